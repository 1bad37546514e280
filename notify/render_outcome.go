package notify

import (
	"bytes"
	"context"
	"fmt"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/results"

	"github.com/vvgintake/vvgintake/internal/excerpt"
)

// renderDecision builds the decision letter of the item's suggestion as
// the ledger has it at send time: the decision last recorded, in the
// resident's language (as acknowledgements are).
func (s *Sender) renderDecision(ctx context.Context, it *ledger.OutboxItem) (*gomail.Msg, error) {
	return s.decisionLetter(ctx, it.SubmissionID, it.Recipients[0], it.MessageID, false)
}

// PreviewDecision builds the decision letter a suggestion would get at
// addr, under a preview Message-ID, as it will read once the results are
// published (`consultation publish --dry-run`).
func (s *Sender) PreviewDecision(ctx context.Context, subID int64, addr string) (*gomail.Msg, error) {
	return s.decisionLetter(ctx, subID, addr, "vvgintake.decision.preview@"+s.idDomain(), true)
}

// decisionLetter renders the decision letter of submission subID to
// addr; published says the table is out whatever the ledger says yet.
func (s *Sender) decisionLetter(ctx context.Context, subID int64, addr, msgID string, published bool) (*gomail.Msg, error) {
	sub, err := s.db.SubmissionByID(ctx, subID)
	if err != nil {
		return nil, err
	}
	// The letter was queued when the case counted and had an address;
	// one withdrawn or erased since must not be written to (the item
	// fails, for staff to see, instead).
	switch {
	case sub.Decision == "":
		return nil, fmt.Errorf("%s has no decision", sub.Ref)
	case sub.Withdrawn != "":
		return nil, fmt.Errorf("%s was withdrawn since its letter was queued (%s)", sub.Ref, sub.Withdrawn)
	case sub.SenderEmail == "":
		return nil, fmt.Errorf("%s has no address any more (its personal data were erased)", sub.Ref)
	}
	cons, err := s.db.ConsultationByID(ctx, sub.ConsultationID)
	if err != nil {
		return nil, err
	}
	lang := s.residentLang(sub)
	// Known counting this very case (its suggestion and its
	// acknowledgement): an address that wrote it, or was answered for
	// it, is quoted as much as an acknowledgement quotes.
	known, err := s.db.AddressKnown(ctx, addr, sub.ID+1)
	if err != nil {
		return nil, err
	}
	d := DecisionData{
		Reply:      s.reply(sub, cons, lang, addr, msgID, known),
		Decision:   sub.Decision,
		Reason:     sub.DecisionReason,
		ResultsURL: s.opt.Results.URL,
		Published:  published || cons.Status == ledger.StatusPublished,
	}
	return BuildDecision(d, s.opt.Templates)
}

// residentLang is the language a resident is written to in: the
// acknowledgement setting, "auto" following their suggestion's language
// (a language we have no templates for gets the organisation's).
func (s *Sender) residentLang(sub *ledger.Submission) string {
	if s.opt.AckLang != ackLangAuto {
		return s.opt.AckLang
	}
	lang, err := normLang(sub.Language)
	if err != nil {
		return s.opt.Lang
	}
	return lang
}

// ResultsOptions are the options the results table is made with
// (SenderOptions.Results).
func (s *Sender) ResultsOptions() results.Options { return s.opt.Results }

// renderResults builds the results report of the item's consultation
// with the published table attached as PDF and XLSX.
func (s *Sender) renderResults(ctx context.Context, it *ledger.OutboxItem) (*gomail.Msg, error) {
	c, err := s.itemConsultation(ctx, it)
	if err != nil {
		return nil, err
	}
	tb, err := results.Build(ctx, s.db, c.Slug, s.ResultsOptions())
	if err != nil {
		return nil, err
	}
	o, err := s.db.Outcome(ctx, c.ID, 0)
	if err != nil {
		return nil, err
	}
	d := ResultsData{
		Head:        s.head(s.opt.Lang, it.MessageID),
		To:          addrs(it.Recipients),
		Slug:        c.Slug,
		Title:       tb.Title,
		PublishedAt: c.PublishedAt,
		Total:       len(tb.Rows),
		Accepted:    tb.Accepted,
		Partly:      tb.Partly,
		Rejected:    tb.Rejected,
		Letters:     o.LettersQueued + o.LettersSent + o.LettersFailed,
		ResultsURL:  s.opt.Results.URL,
	}
	d.Unlettered = d.Total - d.Letters
	for _, r := range tb.Rows {
		d.Items = append(d.Items, ResultsItem{Ref: r.Ref, MeasureCode: r.MeasureCode, MeasureTitle: r.MeasureTitle,
			Decision: r.Decision, Reason: r.Reason, Excerpt: excerpt.Text(r.Text, excerptRunes)})
	}
	var pdf, xlsx bytes.Buffer
	if err := tb.PDF(&pdf); err != nil {
		return nil, err
	}
	if err := tb.Sheet(&xlsx, "xlsx", 0); err != nil {
		return nil, err
	}
	d.PDF, d.XLSX = pdf.Bytes(), xlsx.Bytes()
	return BuildResults(d, s.opt.Templates)
}
