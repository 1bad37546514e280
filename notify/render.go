package notify

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/ledger"
)

// excerptRunes is how much of a suggestion an acknowledgement, digest or
// report quotes: enough to recognise it, short enough not to repeat a
// whole letter back.
const excerptRunes = 300

// Render builds the message for an outbox item from the ledger as it is
// now, under the item's stable Message-ID. The sender calls it at every
// attempt; --dry-run and the demo call it to show a message unsent.
func (s *Sender) Render(ctx context.Context, it *ledger.OutboxItem) (*gomail.Msg, error) {
	if len(it.Recipients) == 0 {
		return nil, fmt.Errorf("render %s item %d: no recipients", it.Kind, it.ID)
	}
	render, ok := renderers[it.Kind]
	if !ok {
		return nil, fmt.Errorf("render %s item %d: unknown kind", it.Kind, it.ID)
	}
	msg, err := render(s, ctx, it)
	if err != nil {
		return nil, fmt.Errorf("render %s item %d: %w", it.Kind, it.ID, err)
	}
	return msg, nil
}

// renderers renders each outbox kind's mail; a table, read only, made
// once rather than on every mail.
var renderers = map[string]func(*Sender, context.Context, *ledger.OutboxItem) (*gomail.Msg, error){
	ledger.KindAck:      (*Sender).renderAck,
	ledger.KindDigest:   (*Sender).renderDigestItem,
	ledger.KindReport:   (*Sender).renderReport,
	ledger.KindReminder: (*Sender).renderReminder,
	ledger.KindDecision: (*Sender).renderDecision,
	ledger.KindResults:  (*Sender).renderResults,
}

// renderAck builds the acknowledgement of the item's submission.
func (s *Sender) renderAck(ctx context.Context, it *ledger.OutboxItem) (*gomail.Msg, error) {
	sub, err := s.db.SubmissionByID(ctx, it.SubmissionID)
	if err != nil {
		return nil, err
	}
	cons, err := s.db.ConsultationByID(ctx, sub.ConsultationID)
	if err != nil {
		return nil, err
	}
	lang := s.residentLang(sub)
	known, err := s.db.AddressKnown(ctx, it.Recipients[0], sub.ID)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, a := range sub.Attachments {
		// Refused files (too large, executable) were not kept; listing
		// them as received would mislead the resident.
		if a.Refused == "" {
			files = append(files, a.Filename)
		}
	}
	d := AckData{
		Reply:       s.reply(sub, cons, lang, it.Recipients[0], it.MessageID, known),
		Attachments: files,
		ClosesAt:    cons.ClosesAt,
		ResponseDue: sub.ResponseDue,
		Late:        sub.Late,
	}
	if sub.NeedsReview {
		// Left empty while the suggestion needs review: the resident
		// must not be told a guess that staff may change.
		d.MeasureCode, d.MeasureTitle = "", ""
	}
	return BuildAck(d, s.opt.Templates)
}

// reply is the start of every message answering submission sub of
// consultation cons at addr, in lang, under msgID; known says addr wrote
// or was answered before (see ackExcerpt).
func (s *Sender) reply(sub *ledger.Submission, cons *ledger.Consultation, lang, addr, msgID string, known bool) Reply {
	r := Reply{
		Head:              s.head(lang, msgID),
		To:                Addr{Name: sub.SenderName, Addr: addr},
		Ref:               sub.Ref,
		ConsultationTitle: consultationTitle(cons, lang),
		ReceivedAt:        sub.ReceivedAt,
		Excerpt:           ackExcerpt(submissionText(sub), known),
		Source:            sub.Source,
		InReplyTo:         sub.OriginMessageID,
	}
	if sub.Measure != "" {
		r.MeasureCode, r.MeasureTitle = sub.Measure, s.measureTitle(cons.Strategy, sub.Measure, lang)
	}
	if sub.OriginMessageID != "" {
		// RFC 5322 §3.6.4: the parent's References, then the parent.
		r.References = append(append([]string(nil), sub.OriginReferences...), sub.OriginMessageID)
	}
	return r
}

// itemConsultation is the consultation an outbox item reports on.
func (s *Sender) itemConsultation(ctx context.Context, it *ledger.OutboxItem) (*ledger.Consultation, error) {
	if it.ConsultationID == 0 {
		return nil, errors.New("no consultation")
	}
	return s.db.ConsultationByID(ctx, it.ConsultationID)
}

// consultationTitle names a consultation in lang: its English title in
// English when it has one.
func consultationTitle(c *ledger.Consultation, lang string) string {
	if lang == LangEN && c.TitleEN != "" {
		return c.TitleEN
	}
	return c.Title
}

// measures are the measures of a strategy ("" the default); none for one
// no longer configured.
func (s *Sender) measures(strategy string) []MeasureInfo {
	if strategy == "" {
		return s.opt.Measures
	}
	return s.opt.Strategies[strategy]
}

// head is the head of a message the sender renders now, in lang, from
// the VVG, in its zone.
func (s *Sender) head(lang, messageID string) Head {
	return Head{Lang: lang, Loc: s.opt.Loc, Org: s.opt.Org, MessageID: messageID, Date: s.now()}
}

// measureTitle names a measure of strategy in lang; the code itself when
// unknown.
func (s *Sender) measureTitle(strategy, code, lang string) string {
	for _, m := range s.measures(strategy) {
		if m.Code == code {
			if lang == LangEN && m.TitleEN != "" {
				return m.TitleEN
			}
			return m.Title
		}
	}
	return code
}

// addrs turns configured or stored recipients into Addrs, keeping a
// display name written as "Name <addr>".
func addrs(list []string) []Addr {
	out := make([]Addr, 0, len(list))
	for _, r := range list {
		if a, err := mail.ParseAddress(r); err == nil {
			out = append(out, Addr{Name: a.Name, Addr: a.Address})
			continue
		}
		out = append(out, Addr{Addr: strings.TrimSpace(r)})
	}
	return out
}

// submissionText is what lists quote of a submission: its text, or its
// subject when the text is empty (a mail with only an attachment).
func submissionText(sub *ledger.Submission) string {
	if strings.TrimSpace(sub.Text) == "" {
		return sub.Subject
	}
	return sub.Text
}
