package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

// TestConsultationStrategy: a consultation keeps the measure set it names;
// its suggestions and their staff corrections carry it, so the classifier
// of that set learns them; the configuration may move a consultation to
// another set only while nothing is filed under the old one's codes.
func TestConsultationStrategy(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	opens, closes := clocktest.At(t, "2026-11-01T00:00:00+02:00"), clocktest.At(t, "2026-12-14T00:00:00+02:00")
	kd := &Consultation{Slug: "kedainiai", Title: "Kėdainių strategija", Strategy: "kedainiai-2016", OpensAt: opens, ClosesAt: closes}
	if err := db.CreateConsultation(ctx, kd, "test"); err != nil {
		t.Fatal(err)
	}
	def := &Consultation{Slug: "aleksotas", Title: "Aleksoto strategija", OpensAt: opens, ClosesAt: closes}
	if _, err := db.SyncConsultation(ctx, def); err != nil {
		t.Fatal(err)
	}
	for slug, want := range map[string]string{"kedainiai": "kedainiai-2016", "aleksotas": ""} {
		if c, err := db.Consultation(ctx, slug); err != nil || c.Strategy != want {
			t.Errorf("consultation %s: strategy %q, %v; want %q", slug, c.Strategy, err, want)
		}
	}

	add := func(c *Consultation, text string) *Submission {
		t.Helper()
		s, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceStaff, ReceivedAt: opens.Add(24 * 3600e9),
			Text: text, Class: Classification{Measure: "1.1", Confidence: 0.5}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	sk, sa := add(kd, "Dienos centras Dotnuvoje."), add(def, "Dienos centras Aleksote.")
	if sk.Strategy != "kedainiai-2016" || sa.Strategy != "" {
		t.Errorf("submissions' strategies: %q and %q, want kedainiai-2016 and the default", sk.Strategy, sa.Strategy)
	}
	for _, s := range []*Submission{sk, sa} {
		if _, err := db.SetMeasure(ctx, s.Ref, "2.1", "ona"); err != nil {
			t.Fatal(err)
		}
	}
	corr, err := db.Corrections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range corr {
		got[c.Ref] = c.Strategy
	}
	if got[sk.Ref] != "kedainiai-2016" || got[sa.Ref] != "" || len(got) != 2 {
		t.Errorf("corrections by strategy: %v", got)
	}
	if ds, err := db.Decisions(ctx, "kedainiai"); err != nil || len(ds) != 1 || ds[0].Strategy != "kedainiai-2016" {
		t.Errorf("decisions of kedainiai: %+v, %v", ds, err)
	}

	t.Run("export", func(t *testing.T) {
		var buf bytes.Buffer
		titles := map[string]string{"kedainiai-2016": "Kėdainių priemonė", "": "Aleksoto priemonė"}
		_, err := db.Export(ctx, &buf, ExportOptions{Format: "json", Filter: Filter{Consultation: "kedainiai"},
			MeasureTitle: func(strategy, code string) string { return titles[strategy] + " " + code }})
		if err != nil {
			t.Fatal(err)
		}
		var rec ExportRecord
		if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Strategy != "kedainiai-2016" || rec.MeasureTitle != "Kėdainių priemonė 2.1" {
			t.Errorf("export: strategy %q, measure title %q", rec.Strategy, rec.MeasureTitle)
		}
	})
	t.Run("moved while empty", func(t *testing.T) {
		empty := &Consultation{Slug: "tuscia", Title: "Nauja", OpensAt: opens, ClosesAt: closes}
		if _, err := db.SyncConsultation(ctx, empty); err != nil {
			t.Fatal(err)
		}
		moved := *empty
		moved.Strategy = "vps-2028"
		if changed, err := db.SyncConsultation(ctx, &moved); err != nil || !changed || moved.Strategy != "vps-2028" {
			t.Errorf("sync to another strategy: changed %v, %v, strategy %q", changed, err, moved.Strategy)
		}
	})
	t.Run("not moved with suggestions", func(t *testing.T) {
		moved := *kd
		moved.Strategy = "vps-2028"
		_, err := db.SyncConsultation(ctx, &moved)
		if !errors.Is(err, ErrState) {
			t.Fatalf("sync of a consultation with suggestions to another strategy: err %v, want ErrState", err)
		}
		if c, _ := db.Consultation(ctx, "kedainiai"); c.Strategy != "kedainiai-2016" {
			t.Errorf("strategy after the refused move: %q", c.Strategy)
		}
	})
}
