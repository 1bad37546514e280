package console

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/vvgintake/vvgintake/internal/excerpt"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/redact"
	"github.com/vvgintake/vvgintake/notify/results"
)

// The outcome screens: a consultation's decide status with publishing
// (and its confirmation), the results table's downloads, and the review
// of each suggestion's redaction before publishing. The rules are the
// pipeline's (who gets a letter), results' (the plan, the table) and the
// ledger's (the lifecycle).

// redactionRow is one suggestion in the outcome page's redaction list.
type redactionRow struct {
	Ref     string
	Hidden  int
	Source  string // results.Spans*
	Preview string // the published text, shortened
}

type outcomeData struct {
	Plan    *results.Plan
	Ready   bool
	Why     string
	Confirm bool
	Rows    []redactionRow
	More    int // rows not listed
	Staff   int // redactions staff saved
	Stale   int
	Formats []string
}

// maxRedactionRows is how many suggestions the outcome page lists for
// review; the rest are reached from the list of suggestions.
const maxRedactionRows = 300

func (s *Server) outcomePage(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	p, err := results.MakePlan(ctx, s.db, r.PathValue("slug"), s.pipe.LetterTo)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	d := outcomeData{Plan: p, Confirm: r.URL.Query().Get("confirm") == "publish", Formats: results.Formats}
	d.Ready, d.Why = p.Ready()
	err = s.db.ResultRows(ctx, p.Consultation.ID, func(row *ledger.ResultRow) error {
		spans, source := results.Spans(row)
		switch source {
		case results.SpansStaff:
			d.Staff++
		case results.SpansStale:
			d.Stale++
		}
		if len(d.Rows) == maxRedactionRows {
			d.More++
			return nil
		}
		d.Rows = append(d.Rows, redactionRow{Ref: row.Ref, Hidden: len(redact.Normalize(row.Text, spans)), Source: source,
			Preview: excerpt.Line(redact.Apply(row.Text, spans), 160)})
		return nil
	})
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	// Suggestions staff should look at first: made on an earlier text,
	// then those with something hidden that staff have not seen.
	rank := func(x redactionRow) int {
		switch {
		case x.Source == results.SpansStale:
			return 0
		case x.Source != results.SpansStaff && x.Hidden > 0:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(d.Rows, func(a, b redactionRow) int { return rank(a) - rank(b) })
	if !q.can(ledger.RoleStaff) {
		// The board never sees e-mail addresses.
		for i := range p.Letters {
			p.Letters[i].To = ""
		}
	}
	s.render(w, r, q, http.StatusOK, "outcome", "Decisions and results", d)
}

// publishPost publishes the consultation's results after the admin
// confirmed it on the outcome page.
func (s *Server) publishPost(w http.ResponseWriter, r *http.Request, q *request) {
	slug := r.PathValue("slug")
	if r.PostFormValue("confirm") != "1" {
		http.Redirect(w, r, "/c/"+slug+"/outcome?confirm=publish#publish", http.StatusSeeOther)
		return
	}
	var report []*ledger.OutboxItem
	if s.deps.ResultsReport != nil {
		report = s.deps.ResultsReport(slug)
	}
	if _, _, err := results.Publish(r.Context(), s.db, slug, s.pipe.LetterTo, report, q.actor()); err != nil {
		s.refused(w, r, q, err)
		return
	}
	if s.deps.Kick != nil {
		s.deps.Kick()
	}
	back(w, r, "/c/"+slug+"/outcome", "published")
}

// resultsFile downloads the results table in one format.
func (s *Server) resultsFile(w http.ResponseWriter, r *http.Request, q *request) {
	slug, format := r.PathValue("slug"), r.PathValue("format")
	ctypes := map[string]string{"html": "text/html; charset=utf-8", "pdf": "application/pdf",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}
	ctype, ok := ctypes[format]
	if !ok {
		s.fail(w, r, q, http.StatusNotFound, "Not found.")
		return
	}
	opt := s.deps.Results
	opt.Lang = q.lang
	if opt.ByTheme = r.URL.Query().Get("order") == "theme"; opt.ByTheme {
		c, err := s.db.Consultation(r.Context(), slug)
		if err != nil {
			s.refused(w, r, q, err)
			return
		}
		// The themes as they stand now.
		if _, err := s.pipe.Themes(r.Context(), c.ID); err != nil {
			s.refused(w, r, q, err)
			return
		}
	}
	tb, err := results.Build(r.Context(), s.db, slug, opt)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	// Lithuanian Excel reads ';' between fields.
	comma := ','
	if q.lang == "lt" {
		comma = ';'
	}
	var buf bytes.Buffer
	if err := tb.Write(&buf, format, comma); err != nil {
		s.refused(w, r, q, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": slug + "-rezultatai." + format}))
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// spanView is one hidden piece in the review form.
type spanView struct {
	Value string // start-end-kind, the checkbox's value
	Kind  string
	Text  string
}

type redactData struct {
	S        *ledger.Submission
	Source   string
	Spans    []spanView
	Segments []segment // marked: hidden
	Preview  string
	SHA      string
	Kinds    []string
	Error    string
}

// redactionKinds are what staff may call a piece they hide.
var redactionKinds = []string{string(redact.KindName), string(redact.KindEmail), string(redact.KindPhone),
	string(redact.KindPersonalCode), string(redact.KindIBAN), string(redact.KindAddress), string(redact.KindURL)}

func (s *Server) redactData(r *http.Request) (*redactData, error) {
	sub, err := s.db.Submission(r.Context(), r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	text, spans, source, err := results.SubmissionSpans(r.Context(), s.db, sub)
	if err != nil {
		return nil, err
	}
	d := &redactData{S: sub, Source: source, SHA: results.TextSHA256(text), Kinds: redactionKinds}
	d.fill(text, spans)
	return d, nil
}

// fill shows spans over text: the checkboxes, the marked text and the
// text as it will be published.
func (d *redactData) fill(text string, spans []redact.Span) {
	spans = redact.Normalize(text, spans)
	d.Spans, d.Segments = nil, nil
	at := 0
	for _, sp := range spans {
		d.Spans = append(d.Spans, spanView{Value: fmt.Sprintf("%d-%d-%s", sp.Start, sp.End, sp.Kind), Kind: string(sp.Kind), Text: sp.Text})
		if sp.Start > at {
			d.Segments = append(d.Segments, segment{Text: text[at:sp.Start]})
		}
		d.Segments = append(d.Segments, segment{Text: sp.Text, Mark: true})
		at = sp.End
	}
	if at < len(text) {
		d.Segments = append(d.Segments, segment{Text: text[at:]})
	}
	d.Preview = redact.Apply(text, spans)
}

func (s *Server) redactPage(w http.ResponseWriter, r *http.Request, q *request) {
	d, err := s.redactData(r)
	s.show(w, r, q, err, "redact", "Personal data before publishing", d)
}

// redactPost saves the pieces staff keep hidden: the boxes left ticked
// and every place where each added text occurs, checked against the
// text staff saw (redact.Validate).
func (s *Server) redactPost(w http.ResponseWriter, r *http.Request, q *request) {
	d, err := s.redactData(r)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	text := ledger.PublishedText(d.S.Subject, d.S.Text)
	if r.PostFormValue("sha") != d.SHA {
		s.fail(w, r, q, http.StatusConflict, "The suggestion changed while you were reviewing it. Look at it again.")
		return
	}
	var spans []redact.Span
	for _, v := range r.PostForm["hide"] {
		parts := strings.SplitN(v, "-", 3)
		if len(parts) != 3 {
			continue
		}
		start, err1 := strconv.Atoi(parts[0])
		end, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil || start < 0 || end > len(text) || start >= end {
			continue
		}
		spans = append(spans, redact.Span{Start: start, End: end, Kind: redact.Kind(parts[2]), Text: text[start:end]})
	}
	kind := r.PostFormValue("kind")
	if !slices.Contains(redactionKinds, kind) {
		kind = string(redact.KindName)
	}
	for _, line := range strings.Split(strings.ReplaceAll(r.PostFormValue("add"), "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		found := false
		for at := 0; ; {
			i := strings.Index(text[at:], line)
			if i < 0 {
				break
			}
			found = true
			spans = append(spans, redact.Span{Start: at + i, End: at + i + len(line), Kind: redact.Kind(kind), Text: line})
			at += i + len(line)
		}
		if !found {
			d.Error = tr(q.lang, "Not in the text: %q. Copy the words exactly as the suggestion writes them.", line)
			s.render(w, r, q, http.StatusBadRequest, "redact", "Personal data before publishing", d)
			return
		}
	}
	spans = redact.Normalize(text, spans)
	if err := redact.Validate(text, spans); err != nil {
		s.refused(w, r, q, fmt.Errorf("redaction of %s: %w: %w", d.S.Ref, err, ledger.ErrInvalid))
		return
	}
	err = s.db.SetRedaction(r.Context(), d.S.Ref, results.EncodeSpans(spans), d.SHA, q.actor())
	s.done(w, r, q, err, "/s/"+d.S.Ref+"/redact", "redacted")
}
