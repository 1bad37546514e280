package results

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/internal/vilnius"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/redact"
)

// Measure names one strategy measure (priemonė).
type Measure struct{ Code, Title, TitleEN string }

// Options say how a table is made and shown.
type Options struct {
	OrgName   string // the VVG's name at the top of the table
	OrgNameEN string // in English; OrgName when empty
	// Measures are those of the default strategy (a consultation whose
	// Strategy is ""), Strategies those of each strategy a consultation
	// may name: a table names measures as its consultation's strategy does.
	Measures   []Measure
	Strategies map[string][]Measure
	Lang       string         // "lt" (default) or "en"
	Loc        *time.Location // dates; nil is Europe/Vilnius
	// URL is where the VVG publishes the table, printed under it; "" for
	// none.
	URL string
	// ByTheme orders the rows by measure, then by theme (the largest
	// first), and adds a column naming each row's theme: the board reads
	// what many residents asked for together.
	ByTheme bool
}

// Row is one published suggestion, its personal data hidden.
type Row struct {
	Ref          string
	ReceivedAt   time.Time // in the table's zone
	Submitter    string    // teikėjas: a resident or an organisation's type, with its name when it gave one
	Text         string    // the suggestion, redacted
	MeasureCode  string
	MeasureTitle string
	Decision     string // accepted, partly, rejected; "" while undecided
	Reason       string
	Hidden       int // how many pieces of personal data were hidden
	// Theme names the theme the suggestion is in, and ThemeCount is how
	// many suggestions of the table are in it ("" and 0 while not
	// grouped).
	Theme      string
	ThemeCount int
	themeID    int64
}

// Table is a consultation's results table.
type Table struct {
	Lang                       string
	OrgName                    string
	Slug, Title                string
	OpensAt, ClosesAt          time.Time
	PublishedAt                time.Time // zero before publication: the table is a draft
	URL                        string
	Rows                       []Row
	Accepted, Partly, Rejected int
	Undecided                  int
	// ByTheme: the rows are in theme order with a theme column.
	ByTheme bool
	loc     *time.Location
}

// Build reads the results table of consultation slug from the ledger, every
// row redacted (see Spans).
func Build(ctx context.Context, db *ledger.DB, slug string, opt Options) (*Table, error) {
	c, err := db.Consultation(ctx, slug)
	if err != nil {
		return nil, err
	}
	lang := opt.Lang
	if lang != "en" {
		lang = "lt"
	}
	loc, err := vilnius.Or(opt.Loc)
	if err != nil {
		return nil, err
	}
	t := &Table{Lang: lang, OrgName: opt.OrgName, Slug: c.Slug, Title: c.Title, OpensAt: c.OpensAt.In(loc),
		ClosesAt: c.ClosesAt.In(loc), URL: opt.URL, ByTheme: opt.ByTheme, loc: loc}
	if lang == "en" {
		if c.TitleEN != "" {
			t.Title = c.TitleEN
		}
		if opt.OrgNameEN != "" {
			t.OrgName = opt.OrgNameEN
		}
	}
	if !c.PublishedAt.IsZero() {
		t.PublishedAt = c.PublishedAt.In(loc)
	}
	measures := opt.Measures
	if c.Strategy != "" {
		measures = opt.Strategies[c.Strategy]
	}
	err = db.ResultRows(ctx, c.ID, func(r *ledger.ResultRow) error {
		spans, _ := Spans(r)
		row := Row{Ref: r.Ref, ReceivedAt: r.ReceivedAt.In(loc), Submitter: submitter(lang, r.Sector, r.SenderName),
			Text: redact.Apply(r.Text, spans), MeasureCode: r.Measure, MeasureTitle: measureTitle(measures, r.Measure, lang),
			Decision: r.Decision, Reason: r.Reason, Hidden: len(redact.Normalize(r.Text, spans)),
			Theme: r.ThemeLabel, themeID: r.Theme}
		switch r.Decision {
		case "accepted":
			t.Accepted++
		case "partly":
			t.Partly++
		case "rejected":
			t.Rejected++
		default:
			t.Undecided++
		}
		t.Rows = append(t.Rows, row)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("build results of %s: %w", slug, err)
	}
	t.countThemes()
	if t.ByTheme {
		t.orderByTheme(opt.Measures)
	}
	return t, nil
}

// ungrouped is 1 for a row in no theme (yet), which sorts after the others.
func ungrouped(r Row) int {
	if r.themeID == 0 {
		return 1
	}
	return 0
}

// countThemes fills each row's ThemeCount.
func (t *Table) countThemes() {
	n := map[int64]int{}
	for _, r := range t.Rows {
		if r.themeID != 0 {
			n[r.themeID]++
		}
	}
	for i := range t.Rows {
		t.Rows[i].ThemeCount = n[t.Rows[i].themeID]
	}
}

// orderByTheme orders the rows by measure (as configured, then any
// other), then by theme, the largest first (ties by name, then id), then
// as received; rows not grouped yet close their measure.
func (t *Table) orderByTheme(ms []Measure) {
	rank := map[string]int{}
	for i, m := range ms {
		rank[m.Code] = i + 1
	}
	measureRank := func(code string) int {
		if n, ok := rank[code]; ok {
			return n
		}
		return len(rank) + 1
	}
	slices.SortStableFunc(t.Rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(measureRank(a.MeasureCode), measureRank(b.MeasureCode)), cmp.Compare(a.MeasureCode, b.MeasureCode),
			cmp.Compare(ungrouped(a), ungrouped(b)), cmp.Compare(b.ThemeCount, a.ThemeCount),
			strings.Compare(a.Theme, b.Theme), cmp.Compare(a.themeID, b.themeID))
	})
}

// Formats are the renderings Write knows.
var Formats = []string{"html", "pdf", "xlsx", "csv"}

// Write renders t in format (html, pdf, xlsx or csv); comma separates
// CSV fields (0: ',').
func (t *Table) Write(w io.Writer, format string, comma rune) error {
	switch format {
	case "html":
		return t.HTML(w)
	case "pdf":
		return t.PDF(w)
	case "xlsx", "csv":
		return t.Sheet(w, format, comma)
	}
	return fmt.Errorf("results format %q: want %s", format, strings.Join(Formats, ", "))
}

// words are the table's fixed texts, by language.
var words = map[string]map[string]string{
	"lt": {
		"title": "Pasiūlymų vertinimo lentelė", "sheet": "Rezultatai", "Nr.": "Nr.", "received": "Gauta", "submitter": "Teikėjas",
		"text": "Pasiūlymas", "measure": "Priemonė", "theme": "Tema", "decision": "Sprendimas", "reason": "Argumentai",
		"accepted": "atsižvelgta", "partly": "iš dalies atsižvelgta", "rejected": "neatsižvelgta", "": "nepriimtas",
		"resident": "Gyventojas", "ngo": "NVO ar bendruomenė", "business": "Verslas",
		"public": "Valstybės ar savivaldybės įstaiga", "organisation": "Organizacija", "other": "Kita",
		"consultation": "Konsultacija", "period": "Pasiūlymai teikti", "published": "Paskelbta",
		"draft": "Projektas: dar nepaskelbta", "total": "Iš viso pasiūlymų", "none": "Pasiūlymų negauta.",
		"privacy": "Asmens duomenys (vardai, kontaktai, adresai, asmens kodai, sąskaitų numeriai) pakeisti ženklu […].",
		"url":     "Lentelė skelbiama", "page": "Puslapis %d iš %s",
	},
	"en": {
		"title": "How the suggestions were taken into account", "sheet": "Results", "Nr.": "No.", "received": "Received",
		"submitter": "Submitted by", "text": "Suggestion", "measure": "Measure", "theme": "Theme", "decision": "Decision",
		"reason": "Reasons", "accepted": "taken into account", "partly": "partly taken into account",
		"rejected": "not taken into account", "": "not decided", "resident": "Resident", "ngo": "NGO or community",
		"business": "Business", "public": "State or municipal institution", "organisation": "Organisation",
		"other": "Other", "consultation": "Consultation", "period": "Suggestions taken",
		"published": "Published", "draft": "Draft: not published yet", "total": "Suggestions",
		"none":    "No suggestions were received.",
		"privacy": "Personal data (names, contacts, addresses, personal codes, account numbers) are replaced with […].",
		"url":     "The table is published at", "page": "Page %d of %s",
	},
}

// DecisionWords says a stored decision (accepted, partly, rejected) as
// the published table and the decision letters say it: atsižvelgta, iš
// dalies atsižvelgta, neatsižvelgta.
func DecisionWords(lang, decision string) string {
	if lang != "en" {
		lang = "lt"
	}
	return words[lang][decision]
}

func (t *Table) word(key string) string { return words[t.Lang][key] }

// submitter is the teikėjas column: the sector the resident chose, and an
// organisation's name when the name it gave is one (with any person's
// name inside hidden); a person's name never.
func submitter(lang, sector, name string) string {
	w := words[lang]
	kind := w["resident"]
	switch sector {
	case "ngo", "business", "public":
		kind = w[sector]
	}
	name = strings.TrimSpace(name)
	if name == "" || !redact.IsOrganisation(name) {
		return kind
	}
	if sector == "" || sector == "resident" {
		kind = w["organisation"]
	}
	return kind + ": " + redact.Apply(name, redact.Find(name, redact.Known{}))
}

// measureTitle names a measure in lang: "Kita" (Other) for other, the code
// itself when it is unknown, "" when there is none.
func measureTitle(ms []Measure, code, lang string) string {
	for _, m := range ms {
		if m.Code == code {
			if lang == "en" && m.TitleEN != "" {
				return m.TitleEN
			}
			return m.Title
		}
	}
	if code == "other" {
		return words[lang]["other"]
	}
	return ""
}

// MeasureLabel is the priemonė column: the code and the title.
func (r Row) MeasureLabel(lang string) string {
	code := r.MeasureCode
	if code == "other" {
		code = ""
	}
	switch {
	case code == "":
		return r.MeasureTitle
	case r.MeasureTitle == "":
		return code
	}
	return code + " " + r.MeasureTitle
}

// dateText writes a date as the table shows it: 2026-12-01.
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}
