package ledger

import (
	"context"
	"errors"
)

// Transition is one step the clock moved a consultation.
type Transition struct {
	Slug, From, To string
	Queued         bool // the closing report was queued with the close
	Err            error
}

// Advance moves every consultation to the status its dates call for at
// the ledger's now: a draft whose window has started opens, and an open
// consultation whose deadline has passed closes, queuing the closing
// report that closing(slug) returns (nil for none) in the same
// transaction; a closed consultation whose every suggestion has a decision
// becomes decided (settle). A draft whose whole window passed while nothing ran is
// opened first, so the lifecycle stays in order and the audit log shows
// both steps. Each consultation advances on its own: one failing does not
// hold the others, and every step taken is returned, failed ones with
// Err set. A consultation changed meanwhile by someone else (ErrState) is
// not a failure.
func (db *DB) Advance(ctx context.Context, closing func(slug string) []*OutboxItem) ([]Transition, error) {
	cs, err := db.Consultations(ctx)
	if err != nil {
		return nil, err
	}
	now := db.now()
	var done []Transition
	var errs []error
	step := func(c *Consultation, to string, items []*OutboxItem) bool {
		_, err := db.SetConsultationStatus(ctx, c.Slug, to, "scheduler", items...)
		if errors.Is(err, ErrState) {
			return false
		}
		done = append(done, Transition{Slug: c.Slug, From: c.Status, To: to, Queued: err == nil && len(items) > 0, Err: err})
		if err != nil {
			errs = append(errs, err)
			return false
		}
		c.Status = to
		return true
	}
	for _, c := range cs {
		switch {
		case c.Status == StatusDraft && !now.Before(c.OpensAt) && now.Before(c.ClosesAt):
			step(c, StatusOpen, nil)
		case (c.Status == StatusOpen || c.Status == StatusDraft) && !now.Before(c.ClosesAt):
			if c.Status == StatusDraft && !step(c, StatusOpen, nil) {
				continue
			}
			var items []*OutboxItem
			if closing != nil {
				items = closing(c.Slug)
			}
			step(c, StatusClosed, items)
		case c.Status == StatusClosed || c.Status == StatusDecided:
			// The decisions settle the status in their own
			// transactions; this catches a ledger upgraded with
			// every suggestion already decided.
			var to string
			err := db.tx(ctx, func(tx *txn) error {
				var err error
				to, err = db.settled(ctx, tx, c.ID, "scheduler", now)
				return err
			})
			if err != nil || to != "" {
				done = append(done, Transition{Slug: c.Slug, From: c.Status, To: to, Err: err})
			}
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	return done, errors.Join(errs...)
}
