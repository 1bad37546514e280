package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/internal/excerpt"
)

// topThemes is how many themes the digest lists per measure: the board
// reads it on a phone, and the console has the rest.
const topThemes = 3

// dueSoonWorkdays is how far ahead the digest warns of answers falling
// due: a working week, so the board sees each one at least once before
// its date.
const dueSoonWorkdays = 5

// renderDigestItem builds a queued digest from its payload.
func (s *Sender) renderDigestItem(ctx context.Context, it *ledger.OutboxItem) (*gomail.Msg, error) {
	var p ledger.DigestPayload
	if err := json.Unmarshal([]byte(it.Payload), &p); err != nil {
		return nil, fmt.Errorf("decode payload: %w", err)
	}
	msg, _, err := s.RenderDigest(ctx, p, it.Recipients, it.MessageID)
	return msg, err
}

// RenderDigest builds the weekly digest covering p (see
// ledger.PendingDigest), with html the standalone HTML body for
// `digest --dry-run`. to defaults to the board, else staff; msgID to a
// preview id. It lists every consultation that is open, closed during the
// period, or received suggestions in it, with counts per configured
// measure (zero rows included), the period's new suggestions, and
// unanswered ones whose answer is due within dueSoonWorkdays working days
// or overdue; a consultation with such answers is listed too, however long
// ago it closed.
func (s *Sender) RenderDigest(ctx context.Context, p ledger.DigestPayload, to []string, msgID string) (*gomail.Msg, []byte, error) {
	if len(to) == 0 {
		to = s.opt.To.Digest()
	}
	if msgID == "" {
		msgID = "vvgintake.digest.preview@" + s.idDomain()
	}
	cs, err := s.digestConsultations(ctx, p)
	if err != nil {
		return nil, nil, fmt.Errorf("render digest: %w", err)
	}
	es, err := s.digestErasures(ctx, p)
	if err != nil {
		return nil, nil, fmt.Errorf("render digest: %w", err)
	}
	d := DigestData{
		Head:          s.head(s.opt.Lang, msgID),
		To:            addrs(to),
		PeriodStart:   p.PeriodStart,
		PeriodEnd:     p.PeriodEnd,
		Consultations: cs,
		Erasures:      es,
	}
	return BuildDigest(d, s.opt.Templates)
}

// digestErasures lists the erasures of the period: each retention rule
// applied, and how many were made on request.
func (s *Sender) digestErasures(ctx context.Context, p ledger.DigestPayload) (DigestErasures, error) {
	var d DigestErasures
	es, err := s.db.ErasuresBetween(ctx, p.PeriodStart, p.PeriodEnd)
	if err != nil {
		return d, err
	}
	for _, e := range es {
		if e.Kind == ledger.ErasurePerson {
			d.OnRequest++
			continue
		}
		cons, rule := ledger.SplitSubject(e.Subject)
		c := e.Counts
		dp := DigestPurge{Consultation: cons, Rule: rule, Cases: c.Submissions, Messages: c.Messages}
		switch rule {
		case ledger.RuleRawMail:
			dp.Messages = c.Raw
		case ledger.RuleCases:
			dp.Cases = c.Deleted
		}
		d.Purged = append(d.Purged, dp)
	}
	return d, nil
}

// digestConsultations gathers the digest's sections from the ledger.
func (s *Sender) digestConsultations(ctx context.Context, p ledger.DigestPayload) ([]DigestConsultation, error) {
	list, err := s.db.Consultations(ctx)
	if err != nil {
		return nil, err
	}
	inPeriod := func(t time.Time) bool {
		return !t.IsZero() && !t.Before(p.PeriodStart) && t.Before(p.PeriodEnd)
	}
	today := s.today()
	soon := s.db.Calendar().AddWorkdays(today, dueSoonWorkdays)
	var out []DigestConsultation
	for _, c := range list {
		week := map[string]int{}
		if p.ToID > p.FromID {
			if week, err = s.db.CountByMeasure(ctx, c.ID, p.FromID, p.ToID); err != nil {
				return nil, err
			}
		}
		dueSoon, err := s.dueItems(ctx, c.ID, today, soon)
		if err != nil {
			return nil, err
		}
		overdue, err := s.dueItems(ctx, c.ID, time.Time{}, today.AddDate(0, 0, -1))
		if err != nil {
			return nil, err
		}
		// A consultation that closed long ago still appears while
		// answers to it fall due or are overdue: that is when the
		// board needs to hear of it.
		include := c.Status == ledger.StatusOpen || inPeriod(c.ClosedAt) || (c.Ended() && inPeriod(c.ClosesAt)) ||
			sum(week) > 0 || len(dueSoon) > 0 || len(overdue) > 0
		if !include {
			continue
		}
		// Totals as of the digest's last submission, so a digest
		// rendered again later (a retry) says what it said first.
		total := map[string]int{}
		if p.ToID > 0 {
			if total, err = s.db.CountByMeasure(ctx, c.ID, 0, p.ToID); err != nil {
				return nil, err
			}
		}
		tot, err := s.db.Totals(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		dc := DigestConsultation{
			Slug: c.Slug, Title: c.Title, Status: c.Status, ClosesAt: c.ClosesAt,
			Measures:    s.measureCounts(c.Strategy, week, total, s.opt.Lang),
			NeedsReview: tot.NeedsReview, Late: tot.Late,
		}
		if sum(week) > 0 {
			f := ledger.Filter{Consultation: c.Slug, AfterID: p.FromID, UpToID: p.ToID}
			err := s.db.Submissions(ctx, f, func(sub *ledger.Submission) error {
				dc.New = append(dc.New, DigestItem{
					Ref: sub.Ref, ReceivedAt: sub.ReceivedAt, MeasureCode: sub.Measure,
					MeasureTitle: s.measureTitle(c.Strategy, sub.Measure, s.opt.Lang), Excerpt: excerpt.Text(submissionText(sub), excerptRunes),
					Late: sub.Late, NeedsReview: sub.NeedsReview,
				})
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		dc.DueSoon, dc.Overdue = dueSoon, overdue
		themes, err := s.db.Themes(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		dc.Themes = s.topThemes(c.Strategy, themes, s.opt.Lang)
		out = append(out, dc)
	}
	return out, nil
}

// topThemes picks each measure's largest themes of two suggestions or
// more (a theme of one is no trend), at most topThemes, measures in
// configured order and then any other code; ledger.Themes lists them
// largest first within each measure. The themes are as the ledger holds
// them now: the scheduler regroups before it queues the digest.
func (s *Sender) topThemes(strategy string, themes []ledger.Theme, lang string) []MeasureThemes {
	by := map[string][]ThemeCount{}
	var codes []string
	for _, m := range s.measures(strategy) {
		codes = append(codes, m.Code)
	}
	for _, t := range themes {
		if t.Count < 2 || len(by[t.Measure]) >= topThemes {
			continue
		}
		if _, ok := by[t.Measure]; !ok && !slices.Contains(codes, t.Measure) {
			codes = append(codes, t.Measure)
		}
		by[t.Measure] = append(by[t.Measure], ThemeCount{Label: t.Label, Count: t.Count})
	}
	var out []MeasureThemes
	for _, code := range codes {
		if ts := by[code]; len(ts) > 0 {
			out = append(out, MeasureThemes{Code: code, Title: s.measureTitle(strategy, code, lang), Themes: ts})
		}
	}
	return out
}

// dueItems lists a consultation's unanswered suggestions due between the
// dates of from and to (zero = open bound): a decision counts once it
// reached the resident (ledger.Unanswered).
func (s *Sender) dueItems(ctx context.Context, consID int64, from, to time.Time) ([]DueItem, error) {
	subs, err := s.db.Unanswered(ctx, consID, from, to)
	if err != nil {
		return nil, err
	}
	var out []DueItem
	for _, sub := range subs {
		out = append(out, DueItem{Ref: sub.Ref, Due: sub.ResponseDue, Excerpt: excerpt.Text(submissionText(sub), excerptRunes)})
	}
	return out, nil
}

// measureCounts lists every measure of the consultation's strategy in
// configured order, zero rows included, then any other code found in the
// counts (a measure since removed from the configuration, or "" for not
// yet classified), so the rows always add up to the number of suggestions.
func (s *Sender) measureCounts(strategy string, week, total map[string]int, lang string) []MeasureCount {
	ms := s.measures(strategy)
	out := make([]MeasureCount, 0, len(ms))
	known := make(map[string]bool, len(ms))
	for _, m := range ms {
		known[m.Code] = true
		out = append(out, MeasureCount{Code: m.Code, Title: s.measureTitle(strategy, m.Code, lang), Week: week[m.Code], Total: total[m.Code]})
	}
	var extra []string
	for _, counts := range []map[string]int{total, week} {
		for code, n := range counts {
			if n > 0 && !known[code] {
				known[code] = true
				extra = append(extra, code)
			}
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		mc := MeasureCount{Code: code, Title: code, Week: week[code], Total: total[code]}
		if strings.TrimSpace(code) == "" {
			mc.Code, mc.Title = "?", unfiledTitle(lang)
		}
		out = append(out, mc)
	}
	return out
}

// unfiledTitle names the row of suggestions not yet under any measure.
func unfiledTitle(lang string) string {
	if lang == LangEN {
		return "not yet filed"
	}
	return "dar nepriskirta"
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// today is midnight of the current date in the ledger's zone, where due
// dates live.
func (s *Sender) today() time.Time {
	loc := s.db.Options().Location
	y, m, d := s.now().In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// idDomain is the right-hand side for Message-IDs the sender makes up
// (previews): the ledger's, else the organisation's mail domain.
func (s *Sender) idDomain() string {
	if d := s.db.Options().MessageIDDomain; d != "" {
		return d
	}
	if _, d, ok := strings.Cut(s.opt.Org.Address, "@"); ok {
		return d
	}
	return "vvgintake.invalid"
}
