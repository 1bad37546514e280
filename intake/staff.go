package intake

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/ledger"
)

// StaffEntry is a suggestion staff record by hand: one taken by phone or
// on paper.
type StaffEntry struct {
	Consultation *ledger.Consultation
	ReceivedAt   time.Time
	Name, Email  string
	Sector       string
	Text         string
	// Measure is the staff's own filing, a measure of the consultation's
	// strategy; "" lets the classifier file it.
	Measure string
	// Ack acknowledges to Email. Staff asked for it, so neither the
	// per-sender limit nor the no-reply rules apply.
	Ack   bool
	Actor string
}

// AddStaff records a suggestion staff took by hand.
func (p *Pipeline) AddStaff(ctx context.Context, e StaffEntry) (*ledger.Submission, error) {
	ns := &ledger.NewSubmission{ConsultationID: e.Consultation.ID, Source: ledger.SourceStaff, ReceivedAt: e.ReceivedAt,
		SenderName: e.Name, SenderEmail: strings.ToLower(e.Email), Sector: e.Sector, Text: e.Text, Actor: e.Actor}
	if e.Measure != "" {
		if err := p.checkMeasure(e.Consultation.Strategy, e.Measure); err != nil {
			return nil, err
		}
		ns.Class = ledger.Classification{Measure: e.Measure, Confidence: 1}
	} else {
		ns.Class = Classification(p.classify(e.Consultation.Strategy, e.Text))
		ns.Language = mailparse.GuessLanguage(e.Text)
	}
	if e.Ack && e.Email != "" {
		ns.Ack = &ledger.AckRequest{To: e.Email}
	}
	ns.Signature = Sign("", e.Text)
	s, err := p.db.AddSubmission(ctx, ns)
	if err != nil {
		return nil, err
	}
	p.staffRecorded(ctx, s)
	return s, nil
}

// Assign makes a recorded message that opened no case (out of window,
// unrouted, or misfiled) a suggestion of consultation c, classified as
// mail is. No acknowledgement is sent: the resident wrote long ago, and
// staff can answer in person.
func (p *Pipeline) Assign(ctx context.Context, m *ledger.Message, c *ledger.Consultation, actor string) (*ledger.Submission, error) {
	return p.AssignAs(ctx, m, c, false, actor)
}

// AssignAs is Assign that may acknowledge: staff who turn a misfiled
// message into a suggestion ("this is a person") may ask for the
// acknowledgement it would have had, to Reply-To or else From, under the
// same address rules as mail (never to our own, a blocked or a no-reply
// address) and the per-sender limit.
func (p *Pipeline) AssignAs(ctx context.Context, m *ledger.Message, c *ledger.Consultation, ack bool, actor string) (*ledger.Submission, error) {
	ns := &ledger.NewSubmission{ConsultationID: c.ID, Source: ledger.SourceEmail,
		ReceivedAt: m.InternalDate, SenderName: m.FromName, SenderEmail: m.FromAddr, Subject: m.Subject, Text: m.Text,
		Language: m.Language, Class: Classification(p.classify(c.Strategy, classifyText(m.Subject, m.Text))), Actor: actor}
	if ack {
		to := m.ReplyTo
		if to == "" {
			to = m.FromAddr
		}
		if to = p.ackAddress(to); to != "" {
			ns.Ack = &ledger.AckRequest{To: to, MaxPerDay: p.opt.MaxAcksPerSenderPerDay}
		}
	}
	ns.Signature = Sign(m.Subject, m.Text)
	s, err := p.db.AssignMessage(ctx, m.ID, ns, actor)
	if err != nil {
		return nil, err
	}
	p.staffRecorded(ctx, s)
	return s, nil
}

// staffRecorded does what follows a suggestion staff filed by hand (AddStaff,
// AssignAs): it wakes the outbox when an acknowledgement was queued, and
// lets the consultation's themes take the suggestion in.
func (p *Pipeline) staffRecorded(ctx context.Context, s *ledger.Submission) {
	if s.AckStatus != "" && p.opt.Kick != nil {
		p.opt.Kick()
	}
	p.group(ctx, s.ConsultationID)
}

// Review files a suggestion under measure as a staff decision — a
// correction, or a confirmation when it is the measure the classifier
// chose — and teaches the classifier of the suggestion's strategy at once,
// so the next suggestion like it is filed that way (the ledger keeps the
// decision, from which every later retraining learns it again). measure
// must be one of that strategy's: another set's code means another
// measure.
func (p *Pipeline) Review(ctx context.Context, ref, measure, actor string) (*ledger.Submission, error) {
	cur, err := p.db.Submission(ctx, ref)
	if err != nil {
		return nil, err
	}
	if err := p.checkMeasure(cur.Strategy, measure); err != nil {
		return nil, fmt.Errorf("%s: %w", cur.Ref, err)
	}
	// The strategy cannot change under us: the ledger keeps a consultation
	// with suggestions on its strategy.
	st, _ := p.strategies.Get(cur.Strategy)
	s, err := p.db.SetMeasure(ctx, cur.Ref, measure, actor)
	if err != nil {
		return nil, err
	}
	if err := st.Classifier.Learn(classify.Example{ID: s.Ref, Text: classifyText(s.Subject, s.Text), Label: measure}); err != nil {
		// The decision is recorded; the model learns it at the next
		// retraining. Only a measure the model does not know fails here.
		p.opt.Logger.Warn("classifier did not learn a staff decision", "ref", s.Ref, "err", err)
	}
	return s, nil
}

// Nearest says under which measure the suggestions most like s were
// filed (the examples and corrections its strategy's model learned
// from), and the share of their similarity that measure holds; "" when
// the model cannot tell. The review page shows it when it is not the
// measure proposed: a reason a confident answer can still wait for a
// person.
func (p *Pipeline) Nearest(s *ledger.Submission) (measure string, share float64) {
	st, err := p.strategies.Get(s.Strategy)
	if err != nil {
		return "", 0
	}
	return st.Classifier.Nearest(classifyText(s.Subject, s.Text))
}

// SplitParts cuts a letter where staff put a line of three dashes (---):
// how the CLI and the console both say where one suggestion ends.
func SplitParts(text string) []string {
	var parts, cur []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "---" {
			parts = append(parts, strings.Join(cur, "\n"))
			cur = nil
			continue
		}
		cur = append(cur, line)
	}
	return append(parts, strings.Join(cur, "\n"))
}

// Split cuts one letter into several suggestions, each classified on its
// own text (ledger.DB.Split keeps the letter's reference for the first).
func (p *Pipeline) Split(ctx context.Context, ref string, parts []string, actor string) ([]*ledger.Submission, error) {
	cur, err := p.db.Submission(ctx, ref)
	if err != nil {
		return nil, err
	}
	var sp []ledger.SplitPart
	for _, t := range parts {
		if t = strings.TrimSpace(t); t != "" {
			sp = append(sp, ledger.SplitPart{Text: t, Class: Classification(p.classify(cur.Strategy, t))})
		}
	}
	subs, err := p.db.Split(ctx, cur.Ref, sp, actor)
	if err == nil && len(subs) > 0 {
		p.group(ctx, subs[0].ConsultationID)
	}
	return subs, err
}

// ErrUnknownMeasure is returned for a measure code the suggestion's
// strategy does not have.
var ErrUnknownMeasure = fmt.Errorf("unknown measure: %w", ledger.ErrInvalid)

// checkMeasure says whether code is a measure of the named strategy.
func (p *Pipeline) checkMeasure(strategy, code string) error {
	st, err := p.strategies.Get(strategy)
	if err != nil {
		return err
	}
	if !st.Has(code) {
		return fmt.Errorf("%q is not a measure of %s (%s): %w", code, st.label(),
			strings.Join(st.Classifier.Model().Labels(), ", "), ErrUnknownMeasure)
	}
	return nil
}

// Measures lists the measure codes of a strategy ("" the default), in
// order; none for a strategy not configured.
func (p *Pipeline) Measures(strategy string) []string {
	st, err := p.strategies.Get(strategy)
	if err != nil {
		return nil
	}
	return st.Classifier.Model().Labels()
}
