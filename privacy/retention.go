package privacy

import (
	"context"
	"errors"

	"github.com/vvgintake/vvgintake/ledger"
)

// RetentionResult is one retention step applied, with how its erasure
// stands (its mailbox part may wait for the next run).
type RetentionResult struct {
	ledger.RetentionStep
	MailboxErr error
}

// Retain applies the retention rules due now (ledger.ApplyRetention) and
// completes each step's erasure: the files compacted, the purged mail's
// mailbox copies deleted. A mailbox that cannot be reached is recorded on
// the step, and the next run finishes it (Resumer).
func (r *Records) Retain(ctx context.Context, rules ledger.RetentionRules) ([]RetentionResult, error) {
	steps, err := r.db.ApplyRetention(ctx, rules, r.extract)
	var out []RetentionResult
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for _, st := range steps {
		r.log.Info("retention rule applied", "step", st.Subject(), "removed", st.Counts.String(), "erasure", st.Erasure)
		res := RetentionResult{RetentionStep: st}
		e, gerr := r.db.ErasureByID(ctx, st.Erasure)
		if gerr != nil {
			errs = append(errs, gerr)
			out = append(out, res)
			continue
		}
		er := &ErasureResult{Erasure: e}
		if err := r.complete(ctx, e, er); err != nil {
			errs = append(errs, err)
		}
		res.MailboxErr = er.MailboxErr
		out = append(out, res)
	}
	return out, errors.Join(errs...)
}

// RetentionDue previews the steps due now (`retention --dry-run`).
func (r *Records) RetentionDue(ctx context.Context, rules ledger.RetentionRules) ([]ledger.RetentionStep, error) {
	return r.db.RetentionDue(ctx, rules, r.opt.Now())
}
