package intake

import (
	"context"
	"strings"
	"time"

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
	// Measure is the staff's own filing; "" lets the classifier file it.
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
		ns.Class = ledger.Classification{Measure: e.Measure, Confidence: 1}
	} else {
		ns.Class = Classification(p.clf.Classify(e.Text))
		ns.Language = mailparse.GuessLanguage(e.Text)
	}
	if e.Ack && e.Email != "" {
		ns.Ack = &ledger.AckRequest{To: e.Email}
	}
	s, err := p.db.AddSubmission(ctx, ns)
	if err == nil && s.AckStatus != "" && p.opt.Kick != nil {
		p.opt.Kick()
	}
	return s, err
}

// Assign makes a recorded message that opened no case (out of window,
// unrouted, or misfiled) a suggestion of consultation c, classified as
// mail is. No acknowledgement is sent: the resident wrote long ago, and
// staff can answer in person.
func (p *Pipeline) Assign(ctx context.Context, m *ledger.Message, c *ledger.Consultation, actor string) (*ledger.Submission, error) {
	return p.db.AssignMessage(ctx, m.ID, &ledger.NewSubmission{ConsultationID: c.ID, Source: ledger.SourceEmail,
		ReceivedAt: m.InternalDate, SenderName: m.FromName, SenderEmail: m.FromAddr, Subject: m.Subject, Text: m.Text,
		Language: m.Language, Class: Classification(p.clf.Classify(classifyText(m.Subject, m.Text))), Actor: actor}, actor)
}
