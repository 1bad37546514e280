package console

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"
)

type consRow struct {
	C      *ledger.Consultation
	Totals ledger.ConsultationTotals
}

type consultationsData struct {
	Rows []consRow
	// Strategies are what a new consultation may be on, the default
	// first; one choice is no choice and is not shown.
	Strategies []strategyChoice
}

// strategyChoice is one strategy a new consultation may be on.
type strategyChoice struct {
	Name, Title string
	Default     bool
}

// strategyChoices lists the strategies a consultation may be on, in lang:
// the default one first (the top-level measures, "", when there are any).
func (s *Server) strategyChoices(lang string) []strategyChoice {
	var out []strategyChoice
	if len(s.opt.Measures) > 0 && s.opt.DefaultStrategy == "" {
		out = append(out, strategyChoice{Title: tr(lang, "Default strategy"), Default: true})
	}
	for _, st := range s.opt.Strategies {
		out = append(out, strategyChoice{Name: st.Name, Title: s.strategyTitle(st.Name, lang), Default: st.Name == s.opt.DefaultStrategy})
	}
	return out
}

func (s *Server) consultationsPage(w http.ResponseWriter, r *http.Request, q *request) {
	cs, err := s.db.Consultations(r.Context())
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	var d consultationsData
	for _, c := range cs {
		t, err := s.db.Totals(r.Context(), c.ID)
		if err != nil {
			s.refused(w, r, q, err)
			return
		}
		d.Rows = append(d.Rows, consRow{c, t})
	}
	if cs := s.strategyChoices(q.lang); len(cs) > 1 {
		d.Strategies = cs
	}
	s.render(w, r, q, http.StatusOK, "consultations", "Consultations", d)
}

type countRow struct {
	Code, Title string
	Count       int
}

type consultationData struct {
	C        *ledger.Consultation
	Totals   ledger.ConsultationTotals
	Counts   []countRow
	Overdue  []*ledger.Submission
	Deadline string // the last day, as entered
	Early    bool   // closing now would be before the deadline
	Confirm  bool   // ask before closing early
}

func (s *Server) consultationData(r *http.Request) (*consultationData, error) {
	ctx := r.Context()
	c, err := s.db.Consultation(ctx, r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	d := &consultationData{C: c, Early: s.opt.Now().Before(c.ClosesAt)}
	if d.Totals, err = s.db.Totals(ctx, c.ID); err != nil {
		return nil, err
	}
	counts, err := s.db.CountByMeasure(ctx, c.ID, 0, 0)
	if err != nil {
		return nil, err
	}
	for _, m := range s.measuresOf(c.Strategy) {
		d.Counts = append(d.Counts, countRow{m.Code, m.Title, counts[m.Code]})
	}
	today := s.opt.Now().In(s.opt.Loc)
	if d.Overdue, err = s.db.Unanswered(ctx, c.ID, time.Time{}, today.AddDate(0, 0, -1)); err != nil {
		return nil, err
	}
	d.Deadline = lastDay(c.ClosesAt, s.opt.Loc)
	return d, nil
}

// lastDay writes a deadline as the day staff entered: a window ending at
// midnight ends with the day before.
func lastDay(end time.Time, loc *time.Location) string {
	end = end.In(loc)
	if end.Hour() == 0 && end.Minute() == 0 && end.Second() == 0 {
		return end.Add(-time.Nanosecond).Format("2006-01-02")
	}
	return end.Format("2006-01-02T15:04")
}

func (s *Server) consultationPage(w http.ResponseWriter, r *http.Request, q *request) {
	d, err := s.consultationData(r)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	d.Confirm = r.URL.Query().Get("confirm") == "close"
	if !q.can(ledger.RoleStaff) {
		for _, o := range d.Overdue {
			o.SenderEmail = ""
		}
	}
	s.render(w, r, q, http.StatusOK, "consultation", "Consultation", d)
}

// chartFile is the per-measure chart the digest carries (notify.Chart).
func (s *Server) chartFile(w http.ResponseWriter, r *http.Request, q *request) {
	d, err := s.consultationData(r)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	var mc []notify.MeasureCount
	for _, c := range d.Counts {
		mc = append(mc, notify.MeasureCount{Code: c.Code, Title: c.Title, Total: c.Count})
	}
	png, err := notify.Chart(mc, false)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(png)
}

// parseDay reads "2026-12-13" (the whole day: the window ends at the next
// midnight) or "2026-12-13T17:00" in the VVG's zone.
func parseDay(s string, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("date %q: want 2026-12-13 or 2026-12-13T17:00", s)
}

func (s *Server) consultationCreate(w http.ResponseWriter, r *http.Request, q *request) {
	opens, err1 := parseDay(r.PostFormValue("opens"), s.opt.Loc, false)
	closes, err2 := parseDay(r.PostFormValue("closes"), s.opt.Loc, true)
	if err1 != nil || err2 != nil {
		s.fail(w, r, q, http.StatusBadRequest, "Enter the dates as 2026-12-13.")
		return
	}
	c := &ledger.Consultation{Slug: strings.TrimSpace(r.PostFormValue("slug")), Title: strings.TrimSpace(r.PostFormValue("title")),
		Description: strings.TrimSpace(r.PostFormValue("description")), OpensAt: opens, ClosesAt: closes,
		Strategy: s.opt.DefaultStrategy}
	if r.PostForm.Has("strategy") {
		c.Strategy = r.PostFormValue("strategy")
	}
	known := false
	for _, st := range s.strategyChoices(q.lang) {
		known = known || st.Name == c.Strategy
	}
	if !known {
		s.fail(w, r, q, http.StatusBadRequest, "Choose a strategy.")
		return
	}
	err := s.db.CreateConsultation(r.Context(), c, q.actor())
	s.done(w, r, q, err, "/c/"+c.Slug, "created")
}

func (s *Server) consultationEdit(w http.ResponseWriter, r *http.Request, q *request) {
	slug := r.PathValue("slug")
	closes, err := parseDay(r.PostFormValue("closes"), s.opt.Loc, true)
	if err != nil {
		s.fail(w, r, q, http.StatusBadRequest, "Enter the dates as 2026-12-13.")
		return
	}
	_, err = s.db.EditConsultation(r.Context(), slug, ledger.ConsultationEdit{Title: strings.TrimSpace(r.PostFormValue("title")),
		Description: strings.TrimSpace(r.PostFormValue("description")), ClosesAt: closes}, q.actor())
	s.done(w, r, q, err, "/c/"+slug, "edited")
}

// consultationStatus opens or closes a consultation by hand. Closing
// before the deadline asks first; closing queues the closing report, and
// re-opening withdraws one still queued (ledger.SetConsultationStatus).
func (s *Server) consultationStatus(w http.ResponseWriter, r *http.Request, q *request) {
	slug, to := r.PathValue("slug"), r.PostFormValue("to")
	c, err := s.db.Consultation(r.Context(), slug)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	var items []*ledger.OutboxItem
	switch to {
	case ledger.StatusOpen:
	case ledger.StatusClosed:
		if s.opt.Now().Before(c.ClosesAt) && r.PostFormValue("confirm") != "1" {
			http.Redirect(w, r, "/c/"+slug+"?confirm=close#status", http.StatusSeeOther)
			return
		}
		if s.deps.ClosingReport != nil {
			items = s.deps.ClosingReport(slug)
		}
	default:
		s.fail(w, r, q, http.StatusBadRequest, "Not found.")
		return
	}
	if _, err := s.db.SetConsultationStatus(r.Context(), slug, to, q.actor(), items...); err != nil {
		s.refused(w, r, q, err)
		return
	}
	if len(items) > 0 && s.deps.Kick != nil {
		s.deps.Kick()
	}
	back(w, r, "/c/"+slug, to)
}
