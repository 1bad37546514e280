package ledger

import (
	"context"
	"fmt"
	"time"
)

// Read queries for the notify package: which suggestions still wait for
// the VVG's answer, and when that answer is due. A suggestion is answered
// when its decision reached the resident (answered_at: the decision
// letter was accepted by the mail server, or the results table was
// published for a suggestion with no address), not when staff decided
// it: a decision nobody was told of answers nobody.

// Unanswered lists the submissions of a consultation not answered yet
// whose response is due between the dates of from and to (inclusive, in
// the ledger's zone), earliest due first. A zero bound is open.
// Attachments and follow-ups are not loaded.
func (db *DB) Unanswered(ctx context.Context, consultationID int64, from, to time.Time) ([]*Submission, error) {
	q := `SELECT ` + submissionCols + ` FROM submissions s JOIN consultations c ON c.id = s.consultation_id
		WHERE s.consultation_id = ? AND s.answered_at IS NULL AND s.withdrawn = ''`
	args := []any{consultationID}
	// Due dates are stored as YYYY-MM-DD, so they compare as strings.
	if !from.IsZero() {
		q += ` AND s.response_due >= ?`
		args = append(args, db.fmtDate(from))
	}
	if !to.IsZero() {
		q += ` AND s.response_due <= ?`
		args = append(args, db.fmtDate(to))
	}
	return queryAll(ctx, db.r, fmt.Sprintf("list unanswered submissions of #%d", consultationID), db.scanSubmission,
		q+` ORDER BY s.response_due, s.id`, args...)
}

// DueDate is one date on which answers to a consultation's unanswered
// submissions fall due.
type DueDate struct {
	ConsultationID int64
	Slug           string
	Due            time.Time // midnight in the ledger's zone
	Count          int       // unanswered submissions due that day
}

// UnansweredDueDates lists, for consultations that ended (closed,
// decided, published), every date between the dates of from and to
// (inclusive) on which unanswered submissions fall due, ordered by date
// and slug. Open consultations are left out: their suggestions are
// answered only after they close.
func (db *DB) UnansweredDueDates(ctx context.Context, from, to time.Time) ([]DueDate, error) {
	return queryAll(ctx, db.r, "list due dates", func(r rowScanner) (DueDate, error) {
		var (
			d   DueDate
			due string
		)
		err := r.Scan(&d.ConsultationID, &d.Slug, &due, &d.Count)
		if err == nil {
			d.Due, err = db.parseDate(due)
		}
		return d, err
	}, `
		SELECT c.id, c.slug, s.response_due, count(*) FROM submissions s
		JOIN consultations c ON c.id = s.consultation_id
		WHERE c.status IN ('closed', 'decided', 'published') AND s.answered_at IS NULL AND s.withdrawn = ''
			AND s.response_due >= ? AND s.response_due <= ?
		GROUP BY c.id, s.response_due ORDER BY s.response_due, c.slug`,
		db.fmtDate(from), db.fmtDate(to))
}
