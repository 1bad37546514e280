package results

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/internal/xlsxtest"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/notifytest"
	"github.com/vvgintake/vvgintake/notify/redact"
)

// personal are the personal data in samples that no rendering may show.
var personal = []string{"ona.petraitiene@example.lt", "Petraitienė", "+370 612 34567", "Vytauto g. 12-5", "Rūta",
	"Kazlauskaitė", "8 612 34568", "LT12 1000 0111 0100 1000", "38703181745", "jonas@example.lt", "rasa@example.lt",
	"Seo Expert", "Cheap SEO"}

// TestBuild: the table has the suggestions that count, in order, with
// the decisions in words, the submitter as a kind (and an organisation's
// name), and every piece of personal data hidden; measure codes, sums,
// years and streets without a number stay.
func TestBuild(t *testing.T) {
	f := newFixture(t, samples)
	tb := f.table(t, "lt")
	if len(tb.Rows) != 5 {
		t.Fatalf("rows = %d, want 5 (the spam withdrawn)", len(tb.Rows))
	}
	if tb.Accepted != 2 || tb.Partly != 1 || tb.Rejected != 2 || tb.Undecided != 0 {
		t.Errorf("counts = %d/%d/%d/%d", tb.Accepted, tb.Partly, tb.Rejected, tb.Undecided)
	}
	want := []struct{ submitter, decision, measure string }{
		{"Gyventojas", "atsižvelgta", "2.1 Socialinės paslaugos"},
		{"Gyventojas", "iš dalies atsižvelgta", "4 Infrastruktūra"},
		{"NVO ar bendruomenė: Aleksoto bendruomenė", "neatsižvelgta", "3 Bendruomenių stiprinimas"},
		{"Gyventojas", "neatsižvelgta", "Kita"},
		{"Gyventojas", "atsižvelgta", "1.1 Verslumo skatinimas"},
	}
	for i, w := range want {
		r := tb.Rows[i]
		if r.Ref != f.subs[i+i/4].Ref {
			t.Errorf("row %d: ref %s, want %s", i, r.Ref, f.subs[i+i/4].Ref)
		}
		if r.Submitter != w.submitter || DecisionWords("lt", r.Decision) != w.decision || r.MeasureLabel("lt") != w.measure {
			t.Errorf("row %d: %q, %q, %q; want %q, %q, %q", i, r.Submitter, DecisionWords("lt", r.Decision), r.MeasureLabel("lt"),
				w.submitter, w.decision, w.measure)
		}
	}
	all := ""
	for _, r := range tb.Rows {
		all += r.Text + "\n" + r.Submitter + "\n" + r.Reason + "\n"
	}
	for _, p := range personal {
		if strings.Contains(all, p) {
			t.Errorf("table shows %q:\n%s", p, all)
		}
	}
	for _, keep := range []string{"Aleksote", "Veiverių gatvėje", "2.1", "15 000 Eur", "40 val.", "2 000 Eur", "Aleksoto bendruomenė siūlo", "[…]"} {
		if !strings.Contains(all, keep) {
			t.Errorf("table lost %q:\n%s", keep, all)
		}
	}
	if en := f.table(t, "en"); en.Rows[0].Submitter != "Resident" || DecisionWords("en", en.Rows[1].Decision) != "partly taken into account" {
		t.Errorf("English: %q, %q", en.Rows[0].Submitter, en.Rows[1].Decision)
	}
}

// TestStoredSpans: staff's saved spans are what is hidden; spans saved
// for a text that changed since are not applied (the detector's are).
func TestStoredSpans(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, samples[1:2])
	text := f.subs[0].Text
	i := strings.Index(text, "Nemuną")
	spans := []redact.Span{{Start: i, End: i + len("Nemuną"), Kind: redact.KindAddress, Text: "Nemuną"}}
	if err := f.db.SetRedaction(ctx, f.subs[0].Ref, EncodeSpans(spans), TextSHA256(text), "staff@example.lt"); err != nil {
		t.Fatal(err)
	}
	if got := f.table(t, "lt").Rows[0].Text; got != strings.Replace(text, "Nemuną", redact.Mask, 1) {
		t.Errorf("with staff's spans: %q", got)
	}
	if err := f.db.SetRedaction(ctx, f.subs[0].Ref, EncodeSpans(spans), TextSHA256("an older text"), "staff@example.lt"); err != nil {
		t.Fatal(err)
	}
	if got := f.table(t, "lt").Rows[0].Text; got != text {
		t.Errorf("with stale spans: %q, want the detector's (nothing to hide)", got)
	}
}

// TestFormats renders every format: the PDF's text, extracted back as a
// reader's tool does, has every reference, the Lithuanian letters and
// the decisions in words and no personal data; the HTML escapes; the
// CSV suits Lithuanian Excel; the XLSX has date cells.
func TestFormats(t *testing.T) {
	f := newFixture(t, samples)
	tb := f.table(t, "lt")
	render := func(format string, comma rune) []byte {
		var b bytes.Buffer
		if err := tb.Write(&b, format, comma); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		return b.Bytes()
	}
	pdf := render("pdf", 0)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("pdf starts %q", pdf[:min(len(pdf), 16)])
	}
	text := pdfText(t, pdf)
	flat := strings.Join(strings.Fields(text), " ")
	for _, r := range tb.Rows {
		if !strings.Contains(text, r.Ref) {
			t.Errorf("pdf text lacks %s", r.Ref)
		}
	}
	for _, w := range []string{"Pasiūlymų vertinimo lentelė", "Aleksoto VVG", "iš dalies atsižvelgta", "neatsižvelgta",
		"Įtraukta į 2.1 priemonę", "Apšvietimas – savivaldybės darbas", "Puslapis 1 iš 1", "ąčęėįšųūž"} {
		if w == "ąčęėįšųūž" {
			for _, r := range w {
				if !strings.ContainsRune(text, r) && !strings.ContainsRune(strings.ToLower(text), r) {
					t.Errorf("pdf text lacks %q", r)
				}
			}
			continue
		}
		if !strings.Contains(flat, w) {
			t.Errorf("pdf text lacks %q", w)
		}
	}
	for _, p := range append(personal, "@") {
		if strings.Contains(flat, p) {
			t.Errorf("pdf text shows %q", p)
		}
	}

	html := string(render("html", 0))
	for _, w := range []string{`<html lang="lt">`, "<th scope=\"col\">Argumentai</th>", "@page { size: A4 landscape", tb.Rows[0].Ref,
		"NVO ar bendruomenė: Aleksoto bendruomenė"} {
		if !strings.Contains(html, w) {
			t.Errorf("html lacks %q", w)
		}
	}
	for _, p := range personal {
		if strings.Contains(html, p) {
			t.Errorf("html shows %q", p)
		}
	}

	csv := string(render("csv", ';'))
	if !strings.HasPrefix(csv, "\uFEFFNr.;Gauta;Teikėjas;Pasiūlymas;Priemonė;Sprendimas;Argumentai\n") ||
		!strings.Contains(csv, ";2026-12-01;Gyventojas;") || !strings.Contains(csv, ";iš dalies atsižvelgta;") {
		t.Errorf("csv:\n%s", csv)
	}
	x := render("xlsx", 0)
	sheet := xlsxtest.Sheet(t, x)
	for _, w := range []string{`state="frozen"`, `<c r="B2" s="3"><v>46357</v></c>`, `<c r="D2" s="4" t="inlineStr">`,
		`>Sprendimas</t>`, `<autoFilter ref="A1:G6"/>`} {
		if !strings.Contains(sheet, w) {
			t.Errorf("sheet lacks %s", w)
		}
	}
	if err := tb.Write(io.Discard, "doc", 0); err == nil {
		t.Error("format doc: got no error")
	}
}

// TestLongRows: a suggestion longer than a page continues over pages;
// nothing is lost and the header row repeats.
func TestLongRows(t *testing.T) {
	long := strings.Repeat("Siūlau įrengti suoliukus ir šiukšliadėžes prie upės. ", 300) + "PABAIGA"
	ss := []sample{{text: long, measure: "4", decision: "accepted", reason: "Tinka."}}
	for i := 0; i < 40; i++ {
		ss = append(ss, sample{text: "Trumpas pasiūlymas dėl žaidimų aikštelės.", measure: "4", decision: "rejected", reason: "Ne šiai strategijai."})
	}
	f := newFixture(t, ss)
	var b bytes.Buffer
	if err := f.table(t, "lt").PDF(&b); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	pages := strings.Count(text, "\f")
	if pages < 3 || strings.Count(text, "Argumentai") != pages || !strings.Contains(text, "PABAIGA") ||
		!strings.Contains(text, f.subs[len(f.subs)-1].Ref) {
		t.Errorf("%d pages, %d header rows, the end of the long text %v, the last ref %v", pages, strings.Count(text, "Argumentai"),
			strings.Contains(text, "PABAIGA"), strings.Contains(text, f.subs[len(f.subs)-1].Ref))
	}
}

// TestResultsPages opens the HTML table in Chromium at 1280 px and at a
// phone's 390 px (nothing wider than the screen), prints page 1 of the
// PDF with pdftoppm, and puts the screenshots in $VVGINTAKE_ARTIFACTS.
func TestResultsPages(t *testing.T) {
	f := newFixture(t, samples)
	tb := f.table(t, "lt")
	dir := intaketest.Artifacts(t)
	var html, pdf bytes.Buffer
	if err := tb.HTML(&html); err != nil {
		t.Fatal(err)
	}
	if err := tb.PDF(&pdf); err != nil {
		t.Fatal(err)
	}
	pdfPath := filepath.Join(t.TempDir(), "rezultatai.pdf")
	if err := os.WriteFile(pdfPath, pdf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool(t, "pdftoppm"), "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdfPath,
		filepath.Join(dir, "results-pdf-page1")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	t.Logf("screenshot: %s", filepath.Join(dir, "results-pdf-page1.png"))

	ctx := intaketest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	notifytest.OnScreens(ctx, t, html.Bytes(), "table", dir, "results-html", nil)
}

// TestPublish: the plan lists who gets a letter and who does not, and
// why; publishing is refused while a suggestion lacks a decision and
// carries the plan out once it is ready.
func TestPublish(t *testing.T) {
	ctx := context.Background()
	ss := append([]sample(nil), samples...)
	ss[1].decision = "" // Jonas's is not decided yet
	f := newFixture(t, ss)
	rule := func(a ledger.Addressee) (string, string) {
		if a.SenderEmail == "" {
			return "", "no e-mail address"
		}
		return a.SenderEmail, ""
	}
	p, err := MakePlan(ctx, f.db, f.c.Slug, rule)
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := p.Ready(); ok || !strings.Contains(why, "1 suggestions have no decision") {
		t.Errorf("ready = %v, %q", ok, why)
	}
	if len(p.Letters) != 4 || len(p.Without) != 1 || p.Without[0].Ref != f.subs[3].Ref {
		t.Errorf("plan: %d letters, without %+v", len(p.Letters), p.Without)
	}
	if _, _, err := Publish(ctx, f.db, f.c.Slug, rule, nil, "staff"); !errors.Is(err, ledger.ErrState) {
		t.Fatalf("publish with one undecided: %v", err)
	}
	if _, err := f.db.Decide(ctx, f.subs[1].Ref, "partly", "Iš dalies", "staff"); err != nil {
		t.Fatal(err)
	}
	pub, _, err := Publish(ctx, f.db, f.c.Slug, rule, nil, "staff")
	if err != nil {
		t.Fatal(err)
	}
	if pub.Letters != 4 || pub.Unlettered != 1 || pub.Consultation.Status != ledger.StatusPublished {
		t.Errorf("published: %+v", pub)
	}
	// The table is published now, with the frozen redactions.
	tb := f.table(t, "lt")
	if tb.PublishedAt.IsZero() || strings.Contains(tb.Rows[0].Text, "Petraitienė") {
		t.Errorf("published table: %v, %q", tb.PublishedAt, tb.Rows[0].Text)
	}
	err = f.db.ResultRows(ctx, f.c.ID, func(r *ledger.ResultRow) error {
		if _, source := Spans(r); source != SpansFrozen {
			t.Errorf("%s: spans %s, want frozen", r.Ref, source)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
