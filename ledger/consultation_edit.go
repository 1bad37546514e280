package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ConsultationEdit is what staff may change about a consultation.
type ConsultationEdit struct {
	Title, Description string
	ClosesAt           time.Time // the new deadline (exclusive end)
}

// EditConsultation changes a consultation's title, description and
// deadline. With a new deadline the response date follows, and so does
// every submission's late flag and due date: one received before the new
// deadline is on time and answered by the consultation's date, a later
// one is late and answered ResponseDays working days after it arrived
// (the rule insertSubmission applies).
func (db *DB) EditConsultation(ctx context.Context, slug string, e ConsultationEdit, actor string) (*Consultation, error) {
	cur, err := db.Consultation(ctx, slug)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(e.Title) == "" {
		return nil, fmt.Errorf("consultation %s: title is empty", slug)
	}
	if !e.ClosesAt.After(cur.OpensAt) {
		return nil, fmt.Errorf("consultation %s: the deadline must be after it opens", slug)
	}
	if cur.Status == StatusPublished {
		return nil, fmt.Errorf("consultation %s is published: %w", slug, ErrState)
	}
	due := db.cal.AddWorkdays(e.ClosesAt.Add(-time.Nanosecond), db.opt.ResponseDays)
	now := db.now()
	defer db.cons.changed()
	err = db.tx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, `UPDATE consultations SET title = ?, description = ?, closes_at = ?,
			response_due = ?, updated_at = ? WHERE id = ?`, e.Title, e.Description, fmtTime(e.ClosesAt),
			db.fmtDate(due), fmtTime(now), cur.ID); err != nil {
			return fmt.Errorf("edit consultation %s: %w", slug, err)
		}
		if !e.ClosesAt.Equal(cur.ClosesAt) {
			if err := db.redate(ctx, tx, cur.ID, e.ClosesAt, due); err != nil {
				return err
			}
		}
		detail := ""
		if !e.ClosesAt.Equal(cur.ClosesAt) {
			detail = fmt.Sprintf("deadline %s → %s", fmtTime(cur.ClosesAt), fmtTime(e.ClosesAt))
		}
		return audit(ctx, tx, now, actor, "consultation.edit", slug, detail)
	})
	if err != nil {
		return nil, err
	}
	return db.Consultation(ctx, slug)
}

// redate sets the late flag and due date of every submission of a
// consultation for a new deadline.
func (db *DB) redate(ctx context.Context, tx *txn, consID int64, closes, due time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE submissions SET late = 0, response_due = ?
		WHERE consultation_id = ? AND received_at < ?`, db.fmtDate(due), consID, fmtTime(closes)); err != nil {
		return fmt.Errorf("redate on-time submissions: %w", err)
	}
	type late struct {
		id int64
		at time.Time
	}
	ls, err := queryAll(ctx, tx, "redate late submissions", func(r rowScanner) (late, error) {
		var (
			l  late
			at string
		)
		err := r.Scan(&l.id, &at)
		if err == nil {
			l.at, err = parseTime(at)
		}
		return l, err
	}, `SELECT id, received_at FROM submissions WHERE consultation_id = ? AND received_at >= ?`, consID, fmtTime(closes))
	if err != nil {
		return err
	}
	for _, l := range ls {
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET late = 1, response_due = ? WHERE id = ?`,
			db.fmtDate(db.cal.AddWorkdays(l.at, db.opt.ResponseDays)), l.id); err != nil {
			return fmt.Errorf("redate late submission #%d: %w", l.id, err)
		}
	}
	return nil
}
