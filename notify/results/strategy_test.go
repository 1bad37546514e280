package results

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
)

// TestBuildStrategy: the priemonė column names a measure as the
// consultation's strategy does, not as the default one does under the
// same code.
func TestBuildStrategy(t *testing.T) {
	ctx := context.Background()
	loc := vilniusLoc(t)
	db, err := ledger.Open(ctx, filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{Location: loc, MessageIDDomain: "vvg.test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &ledger.Consultation{Slug: "kedainiai", Title: "Kėdainių strategija", Strategy: "kedainiai-2016",
		OpensAt: time.Date(2026, 11, 1, 0, 0, 0, 0, loc), ClosesAt: time.Date(2026, 12, 14, 0, 0, 0, 0, loc)}
	if err := db.CreateConsultation(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddSubmission(ctx, &ledger.NewSubmission{ConsultationID: c.ID, Source: ledger.SourceForm,
		ReceivedAt: c.OpensAt.Add(time.Hour), Text: "Dienos centras Dotnuvoje.",
		Class: ledger.Classification{Measure: "2.1", Confidence: 0.9}}); err != nil {
		t.Fatal(err)
	}
	tb, err := Build(ctx, db, "kedainiai", Options{Measures: measures, Loc: loc,
		Strategies: map[string][]Measure{"kedainiai-2016": {{Code: "2.1", Title: "Naujų profesinių įgūdžių įgijimas"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tb.Rows[0].MeasureLabel("lt"), "2.1 Naujų profesinių įgūdžių įgijimas"; got != want {
		t.Errorf("measure column = %q, want %q (not the default strategy's %q)", got, want, "2.1 Socialinės paslaugos")
	}
}
