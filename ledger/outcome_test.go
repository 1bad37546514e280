package ledger

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/internal/xlsxtest"
)

// outcomeFixture is a closed consultation with three suggestions: two
// with an address, one without, and a fourth withdrawn as spam.
type outcomeFixture struct {
	db                  *DB
	c                   *Consultation
	ona, jonas, anon, x *Submission
}

func newOutcomeFixture(t *testing.T) *outcomeFixture {
	t.Helper()
	ctx := context.Background()
	db := openTest(t, &testClock{t: clocktest.At(t, "2026-12-01T10:00:00+02:00")})
	f := &outcomeFixture{db: db, c: newConsultation(t, db, "strategija")}
	add := func(email, text string) *Submission {
		s, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: f.c.ID, Source: SourceForm, SenderEmail: email, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	f.ona = add("ona@example.lt", "Siūlau dienos centrą")
	f.jonas = add("jonas@example.lt", "Siūlau dviračių taką")
	f.anon = add("", "Siūlau suoliukų parke")
	f.x = add("seo@spam.example", "Pigiai SEO")
	if _, err := db.Withdraw(ctx, f.x.Ref, "spam", "staff"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetConsultationStatus(ctx, f.c.Slug, StatusClosed, "test"); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *outcomeFixture) status(t *testing.T) string {
	t.Helper()
	c, err := f.db.Consultation(context.Background(), f.c.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return c.Status
}

func (f *outcomeFixture) plan() PublishPlan {
	return PublishPlan{Actor: "staff", Answers: []Answer{
		{SubmissionID: f.ona.ID, To: "ona@example.lt"},
		{SubmissionID: f.jonas.ID, To: "jonas@example.lt"},
		{SubmissionID: f.anon.ID, Why: "no address"},
	}, Report: []*OutboxItem{{Kind: KindResults, DedupeKey: "results:strategija", Recipients: []string{"staff@example.lt"}}}}
}

// TestPublish: a consultation is published once every suggestion that
// counts is decided; each resident with an address gets one decision
// letter, ever; one without is answered by the table; the withdrawn one
// by nothing; a plan made before a change is refused.
func TestPublish(t *testing.T) {
	ctx := context.Background()
	f := newOutcomeFixture(t)
	db := f.db
	if _, err := db.Publish(ctx, f.c.Slug, f.plan()); !errors.Is(err, ErrState) {
		t.Fatalf("publish with nothing decided: got %v, want ErrState", err)
	}
	for _, s := range []*Submission{f.ona, f.jonas} {
		if _, err := db.Decide(ctx, s.Ref, "pritarta", "Įtraukta į 2.1 priemonę", "staff"); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.status(t); got != StatusClosed {
		t.Errorf("with one undecided: status %s, want closed", got)
	}
	if _, err := db.Decide(ctx, f.anon.Ref, "atmesta", "Ne VVG lėšomis", "staff"); err != nil {
		t.Fatal(err)
	}
	if got := f.status(t); got != StatusDecided {
		t.Errorf("with all decided: status %s, want decided", got)
	}
	o, err := db.Outcome(ctx, f.c.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if o.Total != 3 || o.Decided != 3 || o.Accepted != 2 || o.Rejected != 1 || o.Withdrawn != 1 || o.Answered != 0 || len(o.UnansweredRef) != 3 {
		t.Errorf("outcome before publishing = %+v", o)
	}

	// A plan that misses a suggestion, or names the withdrawn one, is
	// refused.
	short := f.plan()
	short.Answers = short.Answers[:2]
	if _, err := db.Publish(ctx, f.c.Slug, short); !errors.Is(err, ErrState) {
		t.Errorf("plan without a suggestion: got %v, want ErrState", err)
	}
	wrong := f.plan()
	wrong.Answers[2].SubmissionID = f.x.ID
	if _, err := db.Publish(ctx, f.c.Slug, wrong); !errors.Is(err, ErrState) {
		t.Errorf("plan with the withdrawn suggestion: got %v, want ErrState", err)
	}

	plan := f.plan()
	plan.Redactions = []FrozenRedaction{{SubmissionID: f.ona.ID, Spans: `[]`, TextSHA256: "x"}}
	pub, err := db.Publish(ctx, f.c.Slug, plan)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Letters != 2 || pub.Unlettered != 1 || pub.Consultation.Status != StatusPublished || pub.Consultation.PublishedAt.IsZero() {
		t.Errorf("published = %+v (consultation %+v)", pub, pub.Consultation)
	}
	if _, err := db.Publish(ctx, f.c.Slug, f.plan()); !errors.Is(err, ErrState) {
		t.Errorf("publish twice: got %v, want ErrState", err)
	}
	letters := map[string]*OutboxItem{}
	items, err := db.ListOutbox(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Kind == KindDecision {
			letters[it.Recipients[0]] = it
		}
	}
	if len(letters) != 2 || letters["ona@example.lt"] == nil || letters["jonas@example.lt"] == nil {
		t.Fatalf("decision letters = %v, want one to ona and one to jonas", letters)
	}
	if r, err := db.Redaction(ctx, f.ona.ID); err != nil || r.Staff || r.Spans != `[]` {
		t.Errorf("frozen redaction = %+v, %v", r, err)
	}

	// The anonymous one is answered by publication, the others when
	// their letter is accepted.
	o, _ = db.Outcome(ctx, f.c.ID, 10)
	if o.Answered != 1 || o.LettersQueued != 2 || o.ResultsQueued != 1 {
		t.Errorf("outcome after publishing = %+v", o)
	}
	if err := db.Claim(ctx, letters["ona@example.lt"].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(ctx, letters["ona@example.lt"].ID); err != nil {
		t.Fatal(err)
	}
	o, _ = db.Outcome(ctx, f.c.ID, 10)
	if o.Answered != 2 || o.LettersSent != 1 || strings.Join(o.UnansweredRef, " ") != f.jonas.Ref {
		t.Errorf("outcome after one letter = %+v", o)
	}

	// A late suggestion after publication: the consultation stays
	// published; deciding it answers it at once, once.
	late, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: f.c.ID, Source: SourceForm,
		SenderEmail: "rasa@example.lt", Text: "Pavėluotas", ReceivedAt: clocktest.At(t, "2026-12-20T10:00:00+02:00")})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.status(t); got != StatusPublished {
		t.Errorf("after a late suggestion: status %s, want published", got)
	}
	for i := 0; i < 2; i++ {
		if _, err := db.DecideAnswer(ctx, late.Ref, "iš dalies", "Iš dalies", "staff", &Answer{To: "rasa@example.lt"}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	items, _ = db.ListOutbox(ctx, "", 0)
	for _, it := range items {
		if it.Kind == KindDecision && it.SubmissionID == late.ID {
			n++
		}
	}
	if n != 1 {
		t.Errorf("letters for a suggestion decided twice = %d, want 1", n)
	}
}

// TestResultRows: the table's rows are the suggestions that count, with
// the stored redaction, the text or else the subject.
func TestResultRows(t *testing.T) {
	ctx := context.Background()
	f := newOutcomeFixture(t)
	if err := f.db.SetRedaction(ctx, f.ona.Ref, `[{"start":0,"end":6,"kind":"name","text":"Siūlau"}]`, "abc", "staff@example.lt"); err != nil {
		t.Fatal(err)
	}
	var refs []string
	err := f.db.ResultRows(ctx, f.c.ID, func(r *ResultRow) error {
		refs = append(refs, r.Ref)
		if r.Ref == f.ona.Ref && (r.Redaction == nil || !r.Redaction.Staff || r.Redaction.TextSHA256 != "abc" || !r.HasAddress) {
			t.Errorf("%s: redaction %+v, has address %v", r.Ref, r.Redaction, r.HasAddress)
		}
		if r.Ref == f.anon.Ref && (r.Redaction != nil || r.HasAddress || r.Text != "Siūlau suoliukų parke") {
			t.Errorf("%s: %+v", r.Ref, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(refs, " "), strings.Join([]string{f.ona.Ref, f.jonas.Ref, f.anon.Ref}, " "); got != want {
		t.Errorf("rows %s, want %s (the withdrawn one left out)", got, want)
	}
}

// TestTable: the exports' writers serve other tables: CSV with the byte
// order mark, the separator and neutralised formulas; XLSX with a bold
// frozen header and date cells.
func TestTable(t *testing.T) {
	cols := []TableColumn{{"Nr.", 14, false}, {"gauta", 12, false}, {"pasiūlymas", 60, true}}
	at := clocktest.At(t, "2026-12-01T10:30:00+02:00").In(time.FixedZone("EET", 2*3600))
	var csvOut bytes.Buffer
	tb, err := NewTable(&csvOut, "csv", ';', "", cols)
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Row("VVG-2026-0001", DateCell(at, true), "=SUM(A1)"); err != nil {
		t.Fatal(err)
	}
	if err := tb.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := csvOut.String(), "\uFEFFNr.;gauta;pasiūlymas\nVVG-2026-0001;2026-12-01;'=SUM(A1)\n"; got != want {
		t.Errorf("csv = %q, want %q", got, want)
	}
	var x bytes.Buffer
	if tb, err = NewTable(&x, "xlsx", 0, "Rezultatai", cols); err != nil {
		t.Fatal(err)
	}
	if err := tb.Row("VVG-2026-0001", DateCell(at, true), "tekstas"); err != nil {
		t.Fatal(err)
	}
	if err := tb.Close(); err != nil {
		t.Fatal(err)
	}
	sheet := xlsxtest.Sheet(t, x.Bytes())
	for _, want := range []string{`state="frozen"`, `<c r="A1" s="1" t="inlineStr">`, `<c r="B2" s="3"><v>46357</v></c>`,
		`<c r="C2" s="4" t="inlineStr">`, `<col min="3" max="3" width="60" customWidth="1"/>`} {
		if !strings.Contains(sheet, want) {
			t.Errorf("sheet lacks %s", want)
		}
	}
	if _, err := NewTable(&x, "pdf", 0, "", cols); !errors.Is(err, ErrInvalid) {
		t.Errorf("format pdf: got %v, want ErrInvalid", err)
	}
}
