package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// digestWatermark is the state key holding the id of the last submission
// that went into a weekly digest.
const digestWatermark = "digest.last_submission_id"

// DigestPayload is what a queued digest covers: the submissions with
// FromID < id <= ToID, and the period it reports on.
type DigestPayload struct {
	FromID      int64     `json:"from_id"`
	ToID        int64     `json:"to_id"`
	PeriodStart time.Time `json:"period_start"`
	PeriodEnd   time.Time `json:"period_end"`
}

// DigestWatermark returns the id of the last submission already covered
// by a digest, and when that digest was queued.
func (db *DB) DigestWatermark(ctx context.Context) (int64, time.Time, error) {
	v, ok, err := db.State(ctx, digestWatermark)
	if err != nil || !ok {
		return 0, time.Time{}, err
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("digest watermark %q: %w", v, err)
	}
	var at string
	err = db.r.QueryRowContext(ctx, `SELECT updated_at FROM state WHERE key = ?`, digestWatermark).Scan(&at)
	if err != nil {
		return id, time.Time{}, fmt.Errorf("read digest watermark: %w", err)
	}
	t, err := parseTime(at)
	return id, t, err
}

// PendingDigest computes what the next digest would cover without queuing
// it (for --dry-run).
func (db *DB) PendingDigest(ctx context.Context, periodEnd time.Time) (DigestPayload, error) {
	from, last, err := db.DigestWatermark(ctx)
	if err != nil {
		return DigestPayload{}, err
	}
	var to int64
	if err := db.r.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM submissions`).Scan(&to); err != nil {
		return DigestPayload{}, fmt.Errorf("read last submission: %w", err)
	}
	if to < from {
		to = from
	}
	start := last
	if start.IsZero() {
		if start, err = db.firstPeriodStart(ctx, db.r, periodEnd); err != nil {
			return DigestPayload{}, err
		}
	}
	return DigestPayload{FromID: from, ToID: to, PeriodStart: start, PeriodEnd: periodEnd}, nil
}

// firstPeriodStart is where the first digest's period starts. The first
// digest covers every submission so far, so it starts a week before
// periodEnd or, when the first suggestion came earlier, at it: a digest
// that says "this week" must not count a month.
func (db *DB) firstPeriodStart(ctx context.Context, q querier, periodEnd time.Time) (time.Time, error) {
	start := periodEnd.AddDate(0, 0, -7)
	var first sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT min(received_at) FROM submissions`).Scan(&first); err != nil {
		return start, fmt.Errorf("read first submission: %w", err)
	}
	t, err := parseNullTime(first)
	if err != nil {
		return start, err
	}
	if !t.IsZero() && t.Before(start) {
		// From the start of that minute, so the period holds it.
		start = t.Truncate(time.Minute)
	}
	return start, nil
}

// EnqueueDigest queues the digest for one scheduled slot and moves the
// watermark past every submission it covers, in one transaction, so each
// submission appears in exactly one digest. The slot key makes a repeated
// call for the same slot a no-op.
func (db *DB) EnqueueDigest(ctx context.Context, slot string, recipients []string, periodEnd time.Time) (*OutboxItem, bool, error) {
	var (
		it      *OutboxItem
		created bool
	)
	now := db.now()
	err := db.tx(ctx, func(tx *txn) error {
		var from, to int64
		var last sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT
			coalesce((SELECT CAST(value AS INTEGER) FROM state WHERE key = ?), 0),
			(SELECT updated_at FROM state WHERE key = ?),
			coalesce((SELECT max(id) FROM submissions), 0)`, digestWatermark, digestWatermark).Scan(&from, &last, &to)
		if err != nil {
			return fmt.Errorf("read digest watermark: %w", err)
		}
		if to < from {
			to = from
		}
		start, err := parseNullTime(last)
		if err != nil {
			return err
		}
		if start.IsZero() {
			if start, err = db.firstPeriodStart(ctx, tx, periodEnd); err != nil {
				return err
			}
		}
		p, _ := json.Marshal(DigestPayload{FromID: from, ToID: to, PeriodStart: start, PeriodEnd: periodEnd})
		it = &OutboxItem{Kind: KindDigest, DedupeKey: "digest:" + slot, Recipients: recipients, Payload: string(p)}
		created, err = db.enqueue(ctx, tx, it, now)
		if err != nil || !created {
			return err
		}
		return setState(ctx, tx, digestWatermark, strconv.FormatInt(to, 10), fmtTime(now))
	})
	return it, created, err
}

// MeasureCount is how many submissions of a consultation one measure has.
type MeasureCount struct {
	Measure string
	Count   int
}

// CountByMeasure counts a consultation's submissions per measure, only
// those with afterID < id <= upToID when upToID > 0. Withdrawn ones do
// not count.
func (db *DB) CountByMeasure(ctx context.Context, consultationID, afterID, upToID int64) (map[string]int, error) {
	q := `SELECT measure, count(*) FROM submissions WHERE consultation_id = ? AND id > ? AND withdrawn = ''`
	args := []any{consultationID, afterID}
	if upToID > 0 {
		q += ` AND id <= ?`
		args = append(args, upToID)
	}
	return queryCounts(ctx, db.r, "count submissions by measure", q+` GROUP BY measure`, args...)
}

// ConsultationTotals summarises one consultation. Decided counts
// suggestions with a decision; Answered those whose decision reached the
// resident (see Unanswered).
type ConsultationTotals struct {
	Total, Late, NeedsReview, Decided, Answered int
}

// Totals counts a consultation's submissions, the withdrawn left out.
func (db *DB) Totals(ctx context.Context, consultationID int64) (ConsultationTotals, error) {
	var t ConsultationTotals
	err := db.r.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(late), 0), coalesce(sum(needs_review), 0),
		count(*) FILTER (WHERE status = 'decided'), count(*) FILTER (WHERE answered_at IS NOT NULL)
		FROM submissions WHERE consultation_id = ? AND withdrawn = ''`, consultationID).
		Scan(&t.Total, &t.Late, &t.NeedsReview, &t.Decided, &t.Answered)
	if err != nil {
		return t, fmt.Errorf("count submissions: %w", err)
	}
	return t, nil
}
