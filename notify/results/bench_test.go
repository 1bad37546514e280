package results

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"
)

// benchRows is the size the issue asks about: a consultation of 10,000
// suggestions.
const benchRows = 10000

// benchTexts are suggestions of the usual lengths (one line to a short
// letter), with personal data for the detector to find.
var benchTexts = []string{
	samples[0].text,
	samples[1].text,
	samples[2].text + " " + samples[5].text,
	"Siūlome atnaujinti bendruomenės namų stogą ir įrengti saulės elektrinę (apie 30 kW). Namai naudojami " +
		"renginiams, būreliams ir senjorų susitikimams, todėl mažesnės sąskaitos liktų veiklai. Projektą galėtų " +
		"vykdyti bendruomenė kartu su seniūnija 2027–2028 m.; preliminari vertė 45 000 Eur. Daugiau informacijos " +
		"suteiks Laima Jankauskienė, tel. 8 686 12345, el. p. laima.j@example.lt.",
	"Reikia daugiau renginių jaunimui.",
}

// benchTable builds a table of n rows from a ledger, every row through
// the detector, and fills in decisions and reasons.
func benchTable(b *testing.B, n int) (*fixture, *Table) {
	b.Helper()
	ss := make([]sample, n)
	for i := range ss {
		ss[i] = sample{name: "Gyventojas " + fmt.Sprint(i), email: fmt.Sprintf("g%d@example.lt", i),
			text: benchTexts[i%len(benchTexts)], measure: measures[i%len(measures)].Code}
	}
	f := newFixture(b, ss)
	tb := f.table(b, "lt")
	for i := range tb.Rows {
		tb.Rows[i].Decision = []string{"accepted", "partly", "rejected"}[i%3]
		tb.Rows[i].Reason = "Pasiūlymas svarstytas valdybos posėdyje; " + samples[i%4].reason
	}
	return f, tb
}

// BenchmarkResults makes the results table of 10,000 suggestions from the
// ledger (Build: reading and redacting every row) and renders it in each
// format. Run: go test -run '^$' -bench Results -benchtime 1x ./notify/results
func BenchmarkResults(b *testing.B) {
	f, tb := benchTable(b, benchRows)
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			start := time.Now()
			if _, err := Build(context.Background(), f.db, f.c.Slug, Options{Measures: measures, Loc: vilniusLoc(b)}); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/10k")
		}
	})
	for _, format := range Formats {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				var out countingWriter
				start := time.Now()
				if err := tb.Write(&out, format, ';'); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/10k")
				b.ReportMetric(float64(out.n)/1e6, "MB")
			}
		})
	}
}

// countingWriter counts what it is given.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// TestPDFManyRows: a PDF of many pages has every row's reference in its
// extracted text.
func TestPDFManyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	ss := make([]sample, 300)
	for i := range ss {
		ss[i] = sample{text: benchTexts[i%len(benchTexts)], measure: "4", decision: "accepted", reason: "Tinka."}
	}
	f := newFixture(t, ss)
	var b bytes.Buffer
	if err := f.table(t, "lt").PDF(&b); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	for _, s := range f.subs {
		if !bytes.Contains([]byte(text), []byte(s.Ref)) {
			t.Fatalf("pdf of %d rows lacks %s", len(ss), s.Ref)
		}
	}
}
