package notify

import (
	"bytes"
	"context"
	"fmt"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/internal/excerpt"
)

// renderReport builds the closing report of the item's consultation with
// the CSV and XLSX exports of all its suggestions attached.
func (s *Sender) renderReport(ctx context.Context, it *ledger.OutboxItem) (*gomail.Msg, error) {
	c, err := s.itemConsultation(ctx, it)
	if err != nil {
		return nil, err
	}
	d, err := s.reportData(ctx, c)
	if err != nil {
		return nil, err
	}
	d.To, d.MessageID = addrs(it.Recipients), it.MessageID
	// The attachments are for staff in a spreadsheet: headers and words
	// in the report's language.
	opt := ledger.ExportOptions{Filter: ledger.Filter{Consultation: c.Slug}, Headers: ledger.HeadersLT}
	if s.opt.Lang == LangEN {
		opt.Headers = ledger.HeadersEN
	}
	var csv, xlsx bytes.Buffer
	opt.Format = "csv"
	if _, err := s.db.Export(ctx, &csv, opt); err != nil {
		return nil, err
	}
	opt.Format = "xlsx"
	if _, err := s.db.Export(ctx, &xlsx, opt); err != nil {
		return nil, err
	}
	d.CSV, d.XLSX = csv.Bytes(), xlsx.Bytes()
	return BuildReport(d, s.opt.Templates)
}

// ReportText is the closing report of a consultation as its mail's text
// body says it, every suggestion listed: `vvgintake consultation report`
// prints it.
func (s *Sender) ReportText(ctx context.Context, slug string) (string, error) {
	c, err := s.db.Consultation(ctx, slug)
	if err != nil {
		return "", err
	}
	d, err := s.reportData(ctx, c)
	if err != nil {
		return "", err
	}
	d.MaxItems = -1
	r, err := reportText(d, s.opt.Templates)
	if err != nil {
		return "", fmt.Errorf("report %s: %w", slug, err)
	}
	return r.text, nil
}

// reportData gathers what the closing report of c says.
func (s *Sender) reportData(ctx context.Context, c *ledger.Consultation) (ReportData, error) {
	tot, err := s.db.Totals(ctx, c.ID)
	if err != nil {
		return ReportData{}, err
	}
	counts, err := s.db.CountByMeasure(ctx, c.ID, 0, 0)
	if err != nil {
		return ReportData{}, err
	}
	lang := s.opt.Lang
	d := ReportData{
		Head:        s.head(lang, ""),
		Slug:        c.Slug,
		Title:       c.Title,
		OpensAt:     c.OpensAt,
		ClosesAt:    c.ClosesAt,
		ResponseDue: c.ResponseDue,
		Total:       tot.Total,
		OnTime:      tot.Total - tot.Late,
		Late:        tot.Late,
		NeedsReview: tot.NeedsReview,
		Measures:    s.measureCounts(c.Strategy, nil, counts, lang),
	}
	err = s.db.Submissions(ctx, ledger.Filter{Consultation: c.Slug}, func(sub *ledger.Submission) error {
		d.Items = append(d.Items, ReportItem{
			Ref: sub.Ref, ReceivedAt: sub.ReceivedAt, Source: sub.Source, SenderName: sub.SenderName,
			MeasureCode: sub.Measure, MeasureTitle: s.measureTitle(c.Strategy, sub.Measure, lang),
			Excerpt:  excerpt.Text(submissionText(sub), excerptRunes),
			Decision: decisionText(lang, sub.Decision, sub.DecisionReason), Late: sub.Late,
		})
		return nil
	})
	return d, err
}

// decisionText words a recorded decision and its reason for the report;
// "" when there is none yet.
func decisionText(lang, decision, reason string) string {
	words := map[string][2]string{ // lt, en
		"accepted": {"atsižvelgta", "taken into account"},
		"partly":   {"iš dalies atsižvelgta", "partly taken into account"},
		"rejected": {"neatsižvelgta", "not taken into account"},
	}
	w, ok := words[decision]
	if !ok {
		return decision
	}
	out := w[0]
	if lang == LangEN {
		out = w[1]
	}
	if reason != "" {
		out += ": " + reason
	}
	return out
}
