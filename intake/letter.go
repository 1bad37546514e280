package intake

import (
	"context"
	"fmt"
	"strings"

	"github.com/vvgintake/vvgintake/ledger"
)

// When decision letters go (Options.Letters).
const (
	// LettersOnPublish: every letter goes when the results are
	// published, so that each can point to the published table (the
	// default); a decision made after publication is answered at once.
	LettersOnPublish = "publish"
	// LettersOnDecision: each letter goes as soon as its decision is
	// recorded.
	LettersOnDecision = "decision"
	// LettersOff: no letters; the published table is the answer.
	LettersOff = "off"
)

// Check reports every problem with the options that come from the
// configuration, under the option's name; the configuration check runs
// it on the options the daemon runs with.
func (o Options) Check(report func(option, problem string)) {
	switch o.Letters {
	case "", LettersOnPublish, LettersOnDecision, LettersOff:
	default:
		report("letters", "want publish, decision or off, got \""+o.Letters+"\"")
	}
}

// letters is the mode in force.
func (p *Pipeline) letters() string {
	if p.opt.Letters == "" {
		return LettersOnPublish
	}
	return p.opt.Letters
}

// LetterTo is the rule for decision letters: the address a resident's
// decision letter goes to, lower-cased, or "" and why none goes. A letter
// goes where the acknowledgement would (Reply-To, else From, never to our
// own, a blocked or a no-reply address: ackAddress's rules), and not:
//   - when letters are off;
//   - without an address: a form or phone suggestion given without one,
//     or a case whose personal data were erased (it keeps no address);
//   - when the acknowledgement was held back because the sender's domain
//     failed authentication: the From may be forged, and a letter quoting
//     the suggestion would go to a stranger (backscatter). One held back
//     only for an unsure spam score gets its letter: staff reviewed and
//     decided it.
func (p *Pipeline) LetterTo(a ledger.Addressee) (to, why string) {
	if p.letters() == LettersOff {
		return "", "decision letters are off (results.letters)"
	}
	if strings.TrimSpace(a.SenderEmail) == "" {
		return "", "no e-mail address"
	}
	for _, part := range strings.Split(a.AckWithheld, "; ") {
		if part != "" && !strings.HasPrefix(part, spamUnsure) {
			return "", "acknowledgement held back: " + part
		}
	}
	addr := a.ReplyTo
	if addr == "" {
		addr = a.SenderEmail
	}
	if to, why = p.replyAddress(addr); to == "" {
		return "", why
	}
	return to, ""
}

// RecordDecision records the VVG's decision on a suggestion as staff make it (the
// console, `submissions decide`) and, when the decision is to reach the
// resident now, answers them in the same transaction
// (ledger.DecideAnswer): letters by decision, or a decision made after
// the results were published. A withdrawn suggestion is never answered.
func (p *Pipeline) RecordDecision(ctx context.Context, ref, decision, reason, actor string) (*ledger.Submission, error) {
	sub, err := p.db.Submission(ctx, ref)
	if err != nil {
		return nil, err
	}
	c, err := p.db.ConsultationByID(ctx, sub.ConsultationID)
	if err != nil {
		return nil, err
	}
	a := p.answerOf(sub, c)
	s, err := p.db.DecideAnswer(ctx, ref, decision, reason, actor, a)
	if err == nil && a != nil && a.To != "" && p.opt.Kick != nil {
		p.opt.Kick()
	}
	return s, err
}

// answerOf is how a decision on sub, made now, reaches its resident: a
// letter (letters by decision, or a decision made after the results were
// published), the published table alone, or nil (not yet). A withdrawn
// suggestion is never answered.
func (p *Pipeline) answerOf(sub *ledger.Submission, c *ledger.Consultation) *ledger.Answer {
	published := c.Status == ledger.StatusPublished
	if sub.Withdrawn != "" || !published && p.letters() != LettersOnDecision {
		return nil
	}
	to, _ := p.LetterTo(sub.Addressee())
	// Without an address the published table is the answer: not
	// before it is published.
	if to == "" && !published {
		return nil
	}
	return &ledger.Answer{To: to}
}

// DecideGroup records one decision and reason on every suggestion that
// counts in the near-duplicate group of ref (its root and every copy):
// staff decide a campaign once. Each suggestion keeps its own decision and
// history, and each resident is answered on their own suggestion, by the
// rule RecordDecision applies to one (a letter of their own, at most one
// per suggestion, ever). It returns the references decided.
func (p *Pipeline) DecideGroup(ctx context.Context, ref, decision, reason, actor string) ([]string, error) {
	g, err := p.db.Grouping(ctx, ref)
	if err != nil {
		return nil, err
	}
	if g.Root == 0 {
		// Not grouped yet (a crash, or another process recorded it):
		// group it now.
		p.group(ctx, g.ConsultationID)
		if g, err = p.db.Grouping(ctx, ref); err != nil {
			return nil, err
		}
	}
	root := g.Root
	if root == 0 {
		root = g.ID
	}
	c, err := p.db.ConsultationByID(ctx, g.ConsultationID)
	if err != nil {
		return nil, err
	}
	members, err := p.db.Group(ctx, root)
	if err != nil {
		return nil, err
	}
	var (
		items []ledger.GroupAnswer
		mail  bool
	)
	for _, m := range members {
		if m.Withdrawn != "" {
			continue
		}
		sub, err := p.db.SubmissionByID(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		a := p.answerOf(sub, c)
		mail = mail || a != nil && a.To != ""
		items = append(items, ledger.GroupAnswer{SubmissionID: m.ID, Answer: a})
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("decide the group of %s: none of it counts (all withdrawn): %w", g.Ref, ledger.ErrState)
	}
	refs, err := p.db.DecideGroup(ctx, root, items, decision, reason, actor)
	if err == nil && mail && p.opt.Kick != nil {
		p.opt.Kick()
	}
	return refs, err
}
