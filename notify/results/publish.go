package results

import (
	"context"
	"fmt"

	"github.com/vvgintake/vvgintake/ledger"
)

// LetterRule says where a resident's decision letter goes, or "" and why
// none goes: intake's Pipeline.LetterTo.
type LetterRule func(ledger.Addressee) (to, why string)

// Letter is one suggestion's answer in a plan.
type Letter struct {
	SubmissionID int64
	Ref          string
	To           string // "" when no letter goes
	Why          string // why no letter goes
}

// Plan is what publishing a consultation would do, as the ledger is now:
// who gets a decision letter and who not (and why), and which
// suggestions still lack a decision (then it cannot be published).
// `consultation publish --dry-run`, decide-status and the console show it.
type Plan struct {
	Consultation *ledger.Consultation
	Outcome      ledger.Outcome
	Letters      []Letter // with an address
	Without      []Letter // without one, answered by the table alone
}

// Ready reports whether the consultation can be published now, and if
// not, why.
func (p *Plan) Ready() (bool, string) {
	switch p.Consultation.Status {
	case ledger.StatusPublished:
		return false, "the results are published already"
	case ledger.StatusDraft, ledger.StatusOpen:
		return false, "the consultation has not closed yet"
	}
	if p.Outcome.Undecided > 0 {
		return false, fmt.Sprintf("%d suggestions have no decision yet", p.Outcome.Undecided)
	}
	return true, ""
}

// MakePlan works out what publishing consultation slug would do.
func MakePlan(ctx context.Context, db *ledger.DB, slug string, rule LetterRule) (*Plan, error) {
	c, err := db.Consultation(ctx, slug)
	if err != nil {
		return nil, err
	}
	p := &Plan{Consultation: c}
	if p.Outcome, err = db.Outcome(ctx, c.ID, 20); err != nil {
		return nil, err
	}
	as, err := db.Addressees(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		l := Letter{SubmissionID: a.SubmissionID, Ref: a.Ref}
		l.To, l.Why = rule(a)
		if l.To != "" {
			p.Letters = append(p.Letters, l)
		} else {
			p.Without = append(p.Without, l)
		}
	}
	return p, nil
}

// Publish publishes consultation slug's results: it makes the plan,
// freezes the detector's redactions, and has the ledger carry it out in one transaction (ledger.Publish: every
// suggestion decided, one letter per resident with an address, ever, the
// others answered by the table, the redactions frozen, report queued,
// status published). report is the results report to queue (nil for
// none).
func Publish(ctx context.Context, db *ledger.DB, slug string, rule LetterRule, report []*ledger.OutboxItem, actor string) (*ledger.Published, *Plan, error) {
	p, err := MakePlan(ctx, db, slug, rule)
	if err != nil {
		return nil, nil, err
	}
	if ok, why := p.Ready(); !ok {
		return nil, p, fmt.Errorf("publish %s: %s: %w", slug, why, ledger.ErrState)
	}
	frozen, err := Freeze(ctx, db, p.Consultation.ID)
	if err != nil {
		return nil, p, err
	}
	lp := ledger.PublishPlan{Redactions: frozen, Report: report, Actor: actor}
	for _, l := range append(append([]Letter(nil), p.Letters...), p.Without...) {
		lp.Answers = append(lp.Answers, ledger.Answer{SubmissionID: l.SubmissionID, To: l.To, Why: l.Why})
	}
	pub, err := db.Publish(ctx, slug, lp)
	return pub, p, err
}
