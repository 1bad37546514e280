package ledger

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"
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
			n, err := db.Export(ctx, &buf, format, Filter{Consultation: "s"})
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
	if _, err := db.Export(ctx, io.Discard, "pdf", Filter{}); err == nil {
		t.Error("export pdf: got nil error")
	}
}

// readXLSXColumn reads one column of the first sheet back, as a
// spreadsheet program would.
func readXLSXColumn(t *testing.T, b []byte, col int) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
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
	if err := xml.NewDecoder(f).Decode(&sheet); err != nil {
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
