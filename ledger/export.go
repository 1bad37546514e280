package ledger

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ExportRecord is one submission in the export contract other tools read
// (`submissions export --format json`): field names are stable.
type ExportRecord struct {
	Ref             string   `json:"ref"`
	Consultation    string   `json:"consultation"`
	Source          string   `json:"source"`
	ReceivedAt      string   `json:"received_at"`
	Sender          string   `json:"sender"`
	SenderName      string   `json:"sender_name"`
	Sector          string   `json:"sector"`
	Subject         string   `json:"subject"`
	Text            string   `json:"text"`
	Measure         string   `json:"measure"`
	Confidence      float64  `json:"confidence"`
	Secondary       string   `json:"secondary"`
	NeedsReview     bool     `json:"needs_review"`
	ResidentMeasure string   `json:"resident_measure"`
	Late            bool     `json:"late"`
	Status          string   `json:"status"`
	Decision        string   `json:"decision"`
	DecisionReason  string   `json:"decision_reason"`
	ResponseDue     string   `json:"response_due"`
	Attachments     []string `json:"attachments"`
	// MeasureTitle names Measure as the consultation's strategy does
	// (ExportOptions.MeasureTitle); Strategy is that strategy's name, ""
	// for the default one. The same code means another measure in
	// another strategy.
	MeasureTitle string `json:"measure_title"`
	Strategy     string `json:"strategy"`

	// received and due are the times themselves, for spreadsheet cells.
	received, due time.Time
}

// Record converts a submission to its export form, times in loc.
func (s *Submission) Record(loc *time.Location) ExportRecord {
	names := []string{}
	for _, a := range s.Attachments {
		names = append(names, a.Filename)
	}
	sender := s.SenderEmail
	if sender == "" {
		sender = s.SenderName
	}
	return ExportRecord{
		Ref: s.Ref, Consultation: s.Consultation, Source: s.Source,
		ReceivedAt: s.ReceivedAt.In(loc).Format(time.RFC3339), Sender: sender, SenderName: s.SenderName,
		Sector: s.Sector, Subject: s.Subject, Text: s.Text, Measure: s.Measure,
		Confidence: float64(int(s.Confidence*1000+0.5)) / 1000, Secondary: s.Secondary,
		NeedsReview: s.NeedsReview, ResidentMeasure: s.ResidentMeasure, Late: s.Late, Status: s.Status,
		Decision: s.Decision, DecisionReason: s.DecisionReason,
		ResponseDue: s.ResponseDue.Format(dateLayout), Attachments: names, Strategy: s.Strategy,
		received: s.ReceivedAt.In(loc), due: s.ResponseDue,
	}
}

// Export formats and header languages.
const (
	HeadersLT = "lt" // Lithuanian headers and words, for staff in Excel (the default)
	HeadersEN = "en" // the field names and values of the JSON contract, for scripts
)

// ExportOptions say what Export writes.
type ExportOptions struct {
	Format string // "csv", "json" (one object per line) or "xlsx"
	Filter Filter
	// Headers is HeadersLT (default) or HeadersEN; JSON always has the
	// contract's field names and values.
	Headers string
	// Comma separates CSV fields, default ','. Lithuanian Excel expects
	// ';', since its decimal separator is the comma.
	Comma rune
	// Progress, when set, is called after each record with the count so
	// far.
	Progress func(n int)
	// MeasureTitle, when set, names a measure of a strategy ("" the
	// default) for the measure_title column; the ledger keeps codes only.
	MeasureTitle func(strategy, code string) string
}

// column is one CSV and XLSX column: its headers and its width in a
// spreadsheet (characters), wide columns wrapped.
type column struct {
	en, lt string
	width  float64
	wrap   bool
}

// exportColumns are the CSV and XLSX columns, in order.
var exportColumns = []column{
	{"ref", "Nr.", 16, false}, {"consultation", "Konsultacija", 16, false}, {"source", "Šaltinis", 12, false},
	{"received_at", "Gauta", 17, false}, {"sender", "Siuntėjas", 26, false}, {"sender_name", "Vardas, pavardė", 22, false},
	{"sector", "Teikėjas", 18, false}, {"subject", "Tema", 30, true}, {"text", "Pasiūlymas", 70, true},
	{"measure", "Priemonė", 10, false}, {"confidence", "Tikimybė", 10, false}, {"secondary", "Kita galima priemonė", 12, false},
	{"needs_review", "Laukia peržiūros", 10, false}, {"resident_measure", "Gyventojo pasirinkta priemonė", 12, false},
	{"late", "Po termino", 10, false}, {"status", "Būsena", 12, false}, {"decision", "Sprendimas", 14, false},
	{"decision_reason", "Sprendimo motyvai", 40, true}, {"response_due", "Atsakyti iki", 12, false},
	{"attachments", "Priedai", 24, true},
	// Added with strategies per consultation, at the end so that the
	// columns before keep their places.
	{"measure_title", "Priemonės pavadinimas", 40, true}, {"strategy", "Strategija", 16, false},
}

// ltWords are the words of the Lithuanian export for the contract's
// values, as the form, the mail and the reports say them.
var ltWords = map[string]string{
	"email": "el. paštas", "form": "forma", "staff": "darbuotojai",
	"resident": "gyventojas", "ngo": "NVO ar bendruomenė", "business": "verslas", "public": "valstybės ar savivaldybės įstaiga",
	"new": "naujas", "reviewed": "peržiūrėtas", "decided": "sprendimas priimtas",
	"accepted": "atsižvelgta", "partly": "iš dalies atsižvelgta", "rejected": "neatsižvelgta",
	"other": "Kita",
}

// cells are the record's values in column order: strings, numbers,
// booleans and times (xlsxDate), in the words of headers.
func (r ExportRecord) cells(headers string) []any {
	if headers == HeadersEN {
		return []any{r.Ref, r.Consultation, r.Source, r.ReceivedAt, r.Sender, r.SenderName, r.Sector,
			r.Subject, r.Text, r.Measure, r.Confidence, r.Secondary, r.NeedsReview, r.ResidentMeasure, r.Late,
			r.Status, r.Decision, r.DecisionReason, r.ResponseDue, strings.Join(r.Attachments, "; "), r.MeasureTitle, r.Strategy}
	}
	word := func(s string) string {
		if w, ok := ltWords[s]; ok {
			return w
		}
		return s
	}
	yes := func(b bool) string {
		if b {
			return "taip"
		}
		return "ne"
	}
	return []any{r.Ref, r.Consultation, word(r.Source), xlsxDate{r.received, false}, r.Sender, r.SenderName, word(r.Sector),
		r.Subject, r.Text, word(r.Measure), r.Confidence, word(r.Secondary), yes(r.NeedsReview), word(r.ResidentMeasure),
		yes(r.Late), word(r.Status), word(r.Decision), r.DecisionReason, xlsxDate{r.due, true},
		strings.Join(r.Attachments, "; "), r.MeasureTitle, r.Strategy}
}

// Export writes the submissions matching opt.Filter to w, streaming rows
// from the database, and returns how many it wrote.
func (db *DB) Export(ctx context.Context, w io.Writer, opt ExportOptions) (int, error) {
	switch opt.Headers {
	case "":
		opt.Headers = HeadersLT
	case HeadersLT, HeadersEN:
	default:
		return 0, invalidf("export headers %q: want lt or en", opt.Headers)
	}
	if opt.Comma == 0 {
		opt.Comma = ','
	}
	if opt.Comma == '"' || opt.Comma == '\r' || opt.Comma == '\n' || opt.Comma == '\'' {
		return 0, invalidf("csv separator %q: want , ; or a tab", opt.Comma)
	}
	n := 0
	each := func(fn func(ExportRecord) error) error {
		return db.Submissions(ctx, opt.Filter, func(s *Submission) error {
			var err error
			if s.Attachments, err = db.submissionAttachments(ctx, s.ID); err != nil {
				return err
			}
			n++
			rec := s.Record(db.opt.Location)
			if opt.MeasureTitle != nil && s.Measure != "" {
				rec.MeasureTitle = opt.MeasureTitle(s.Strategy, s.Measure)
			}
			if err := fn(rec); err != nil {
				return err
			}
			if opt.Progress != nil {
				opt.Progress(n)
			}
			return nil
		})
	}
	headers := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		headers[i] = c.lt
		if opt.Headers == HeadersEN {
			headers[i] = c.en
		}
	}
	var err error
	switch opt.Format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		err = each(func(r ExportRecord) error { return enc.Encode(r) })
	case "csv":
		// A UTF-8 byte order mark makes Excel, which staff use, read the
		// Lithuanian letters correctly.
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return 0, err
		}
		cw := csv.NewWriter(w)
		cw.Comma = opt.Comma
		if err := cw.Write(headers); err != nil {
			return 0, err
		}
		// Lithuanian Excel reads "0,91" as a number and "0.91" as text;
		// with ';' between fields the comma is free for it.
		decimalComma := opt.Headers == HeadersLT && opt.Comma != ','
		err = each(func(r ExportRecord) error {
			cells := r.cells(opt.Headers)
			rec := make([]string, len(cells))
			for i, c := range cells {
				rec[i] = csvCell(c, decimalComma)
			}
			return cw.Write(rec)
		})
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
	case "xlsx":
		xw, xerr := newXLSX(w, "Pasiūlymai", exportColumns, headers)
		if xerr != nil {
			return 0, xerr
		}
		err = each(func(r ExportRecord) error { return xw.Row(r.cells(opt.Headers)) })
		if cerr := xw.Close(); err == nil {
			err = cerr
		}
	default:
		return 0, invalidf("export format %q: want csv, json or xlsx", opt.Format)
	}
	if err != nil {
		return n, fmt.Errorf("export %s: %w", opt.Format, err)
	}
	return n, nil
}

// csvCell writes one value as CSV text. Text a resident wrote that starts
// like a formula (=, +, -, @, or a tab or carriage return before one) is
// prefixed with an apostrophe, so a spreadsheet shows it instead of
// evaluating it ("CSV injection": OWASP's advice). The apostrophe shows in
// the cell; the XLSX export needs none, its text cells are never formulas.
func csvCell(v any, decimalComma bool) string {
	switch v := v.(type) {
	case string:
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			return "'" + v
		}
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	case float64:
		f := strconv.FormatFloat(v, 'f', -1, 64)
		if decimalComma {
			f = strings.Replace(f, ".", ",", 1)
		}
		return f
	case xlsxDate:
		if v.t.IsZero() {
			return ""
		}
		if v.dateOnly {
			return v.t.Format(dateLayout)
		}
		return v.t.Format("2006-01-02 15:04")
	default:
		return fmt.Sprint(v)
	}
}
