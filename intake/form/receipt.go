package form

import (
	"fmt"

	"github.com/vvgintake/vvgintake/internal/excerpt"
)

// excerptRunes is how much of the text the receipt repeats: enough to
// recognise it, short enough for a phone screen.
const excerptRunes = 400

// receiptPage is what the receipt page shows, in no language yet: it
// is kept (see seenTokens) so a refreshed page shows the same receipt, in
// whatever language the refresh asks for.
type receiptPage struct {
	Receipt              Receipt
	Slug, Title, TitleEN string
	Excerpt              string
	Files                []string
	// Measure is the one the resident chose, as the consultation's
	// strategy names it; HasMeasure is false for "let the VVG decide".
	Measure    Measure
	HasMeasure bool
	Email      string
}

// receiptView is the receipt as shown.
type receiptView struct {
	Ref, Slug, Consultation, Received, Measure, Excerpt string
	Deadline, Response, Ack                             string
	Files                                               []string
	Late                                                bool
}

// receiptPage records what a stored submission looked like.
func newReceiptPage(c *Consultation, s *Submission, rc *Receipt) *receiptPage {
	p := &receiptPage{
		Receipt: *rc, Slug: c.Slug, Title: c.Title, TitleEN: c.TitleEN,
		Excerpt: excerpt.Text(s.Text, excerptRunes),
		Email:   s.Email,
	}
	if p.Receipt.ReceivedAt.IsZero() {
		p.Receipt.ReceivedAt = s.ReceivedAt
	}
	if p.Receipt.ClosesAt.IsZero() {
		p.Receipt.ClosesAt = c.ClosesAt
	}
	for _, fl := range s.Files {
		p.Files = append(p.Files, fl.Filename)
	}
	return p
}

// receiptView renders p in lang.
func (f *Server) receiptView(lang string, p *receiptPage) *receiptView {
	t, loc := f.text(lang), f.opt.Loc
	rc := p.Receipt
	v := &receiptView{
		Ref:          rc.Ref,
		Slug:         p.Slug,
		Consultation: (&Consultation{Title: p.Title, TitleEN: p.TitleEN}).title(lang),
		Received:     dateTime(lang, rc.ReceivedAt.In(loc)),
		Measure:      t.MeasureUnknown,
		Excerpt:      p.Excerpt,
		Files:        p.Files,
		Deadline:     showDeadline(lang, rc.ClosesAt, loc),
		Late:         rc.Late,
	}
	if !rc.ResponseDue.IsZero() {
		v.Response = showDate(lang, rc.ResponseDue.In(loc))
	}
	if p.HasMeasure {
		v.Measure = measureLabel(p.Measure, lang)
	}
	switch {
	case rc.AckQueued:
		v.Ack = fmt.Sprintf(t.AckQueuedF, p.Email)
	case p.Email == "":
		v.Ack = t.AckNoEmail
	default:
		v.Ack = t.AckNotQueued
	}
	return v
}
