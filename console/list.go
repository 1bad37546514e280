package console

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
)

// The most matches the list counts, and a search; ledger.ListSubmissions
// counts one more to say there are more.
const (
	listCountCap   = 10000
	searchCountCap = 1000
)

// pageSize is the rows of one list page.
const pageSize = 50

type listData struct {
	Rows          []ledger.ListRow
	Total         int
	More          bool // more matched than were counted
	Page, Pages   int
	Query         url.Values // the filters, for links
	Q             string
	Consultations []*ledger.Consultation
	// Measures are the measure filter's choices: the chosen
	// consultation's strategy's, or every code of every strategy.
	Measures []Measure
	F        map[string]string // the chosen filter values
	PrevURL  string
	NextURL  string
	Sort     string
}

// listFilter reads the list's filters from the query.
func listFilter(v url.Values) ledger.Filter {
	f := ledger.Filter{Consultation: v.Get("consultation"), Measure: v.Get("measure"), Status: v.Get("status"),
		Source: v.Get("source"), Sector: v.Get("sector"), Search: strings.TrimSpace(v.Get("q"))}
	switch f.Status {
	case "", "new", "reviewed", "decided", "withdrawn":
	default:
		f.Status = ""
	}
	yes, no := true, false
	switch v.Get("late") {
	case "1":
		f.Late = &yes
	case "0":
		f.Late = &no
	}
	if v.Get("review") == "1" {
		f.NeedsReview = &yes
	}
	switch v.Get("decided") {
	case "1":
		f.Decided = &yes
	case "0":
		f.Decided = &no
	}
	return f
}

func (s *Server) listPage(w http.ResponseWriter, r *http.Request, q *request) {
	v := r.URL.Query()
	v.Del("lang")
	v.Del("ok")
	f := listFilter(v)
	if !q.can(ledger.RoleStaff) && strings.Contains(f.Search, "@") {
		// The board sees no addresses, so it may not look them up.
		f.Search = strings.ReplaceAll(f.Search, "@", " ")
	}
	pg, _ := strconv.Atoi(v.Get("page"))
	pg = max(pg, 1)
	sort := v.Get("sort")
	desc := true
	if strings.HasPrefix(sort, "-") {
		sort = sort[1:]
	} else if sort != "" {
		desc = false
	}
	rows, total, err := s.db.ListSubmissions(r.Context(), f, sort, desc, (pg-1)*pageSize, pageSize)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	cs, err := s.db.ConsultationsCached(r.Context(), 10*time.Second)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	limit := listCountCap
	if f.Search != "" {
		limit = searchCountCap
	}
	more := total > limit
	if more {
		total = limit
	}
	d := listData{Rows: rows, Total: total, More: more, Page: pg, Pages: max(1, (total+pageSize-1)/pageSize), Query: v,
		Q: v.Get("q"), Consultations: cs, F: map[string]string{}, Sort: v.Get("sort")}
	for _, k := range []string{"consultation", "measure", "status", "late", "review", "decided", "source", "sector", "sort"} {
		d.F[k] = v.Get(k)
	}
	d.Measures = s.filterMeasures(cs, f.Consultation)
	if pg > 1 {
		d.PrevURL = s.opt.Prefix + "/submissions?" + setQuery(v, "page", strconv.Itoa(pg-1))
	}
	if pg < d.Pages {
		d.NextURL = s.opt.Prefix + "/submissions?" + setQuery(v, "page", strconv.Itoa(pg+1))
	}
	s.render(w, r, q, http.StatusOK, "list", "Suggestions", d)
}

// filterMeasures are the measure filter's choices: the measures of the
// chosen consultation's strategy, or with none chosen every code any
// consultation's strategy has, once, in the order they first come.
func (s *Server) filterMeasures(cs []*ledger.Consultation, slug string) []Measure {
	var out []Measure
	seen := map[string]bool{}
	for _, c := range cs {
		if slug != "" && c.Slug != slug {
			continue
		}
		for _, m := range s.measuresOf(c.Strategy) {
			if !seen[m.Code] {
				seen[m.Code] = true
				out = append(out, m)
			}
		}
	}
	if out == nil && slug == "" {
		return s.opt.Measures
	}
	return out
}

func setQuery(v url.Values, k, val string) string {
	c := url.Values{}
	for kk, vv := range v {
		c[kk] = vv
	}
	c.Set(k, val)
	return c.Encode()
}

// exportFile sends the filtered list as XLSX, CSV or JSON lines (the
// `submissions export` contract), written to a temporary file first so a
// failure never sends half a spreadsheet.
func (s *Server) exportFile(w http.ResponseWriter, r *http.Request, q *request) {
	v := r.URL.Query()
	format := v.Get("format")
	ctype := map[string]string{"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"csv": "text/csv; charset=utf-8", "json": "application/x-ndjson; charset=utf-8"}[format]
	if ctype == "" {
		s.fail(w, r, q, http.StatusBadRequest, "Choose a format: xlsx, csv or json.")
		return
	}
	tmp, err := os.CreateTemp("", "vvgintake-export-*")
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	// Staff open it in Excel: Lithuanian headers and words, and in
	// Lithuanian the ';' separator Lithuanian Excel expects (its decimal
	// separator is the comma).
	opt := ledger.ExportOptions{Format: format, Filter: listFilter(v), Headers: ledger.HeadersLT, Comma: ';'}
	if q.lang == "en" {
		opt.Headers, opt.Comma = ledger.HeadersEN, ','
	}
	opt.MeasureTitle = func(strategy, code string) string { return s.measureTitle(strategy, code, q.lang) }
	if _, err := s.db.Export(r.Context(), tmp, opt); err != nil {
		s.refused(w, r, q, err)
		return
	}
	name := fmt.Sprintf("pasiulymai-%s.%s", s.opt.Now().In(s.opt.Loc).Format("2006-01-02"), format)
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, name, time.Time{}, tmp)
}

// addPost records a suggestion taken by phone or on paper
// (intake.Pipeline.AddStaff, as `submissions add`).
func (s *Server) addPost(w http.ResponseWriter, r *http.Request, q *request) {
	c, err := s.db.Consultation(r.Context(), r.PostFormValue("consultation"))
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	if text == "" {
		s.fail(w, r, q, http.StatusBadRequest, "The suggestion text is empty.")
		return
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	if email != "" && !strings.Contains(email, "@") {
		s.fail(w, r, q, http.StatusBadRequest, "That is not an e-mail address.")
		return
	}
	sub, err := s.pipe.AddStaff(r.Context(), intake.StaffEntry{Consultation: c, ReceivedAt: s.opt.Now(),
		Name: strings.TrimSpace(r.PostFormValue("name")), Email: email, Text: text,
		Ack: r.PostFormValue("ack") == "1" && email != "", Actor: q.actor()})
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	back(w, r, "/s/"+sub.Ref, "added")
}
