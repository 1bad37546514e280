package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

// TestConsultationsCached: a change made through the same DB is seen at
// once; one made by another process only after maxAge; callers get copies.
func TestConsultationsCached(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := Open(ctx, path, Options{}) // another process's handle
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	status := func(maxAge time.Duration) string {
		t.Helper()
		all, err := db.ConsultationsCached(ctx, maxAge)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 {
			t.Fatalf("got %d consultations, want 1", len(all))
		}
		return all[0].Status
	}
	newConsultation(t, db, "a") // created and opened through db
	if got := status(time.Hour); got != StatusOpen {
		t.Fatalf("after opening here: status %s, want open", got)
	}

	all, _ := db.ConsultationsCached(ctx, time.Hour)
	all[0].Status, all[0].Slug = "mangled", "x"
	if got := status(time.Hour); got != StatusOpen {
		t.Fatalf("a caller's change leaked into the cache: status %s", got)
	}

	if _, err := other.SetConsultationStatus(ctx, "a", StatusClosed, "test"); err != nil {
		t.Fatal(err)
	}
	if got := status(time.Hour); got != StatusOpen {
		t.Fatalf("within maxAge: status %s, want the cached open", got)
	}
	if got := status(0); got != StatusClosed {
		t.Fatalf("after maxAge: status %s, want closed", got)
	}

	if _, err := db.SetConsultationStatus(ctx, "a", StatusOpen, "test"); err != nil {
		t.Fatal(err)
	}
	if got := status(time.Hour); got != StatusOpen {
		t.Fatalf("after reopening here: status %s, want open", got)
	}
}

// TestConsultationEnglish: the English title and description are kept,
// and a change to them in the configuration reaches the ledger.
func TestConsultationEnglish(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := &Consultation{Slug: "k", Title: "Strategijos keitimas", TitleEN: "Changing the strategy", DescriptionEN: "Tell us.",
		OpensAt: clocktest.At(t, "2026-11-01T00:00:00+02:00"), ClosesAt: clocktest.At(t, "2026-12-14T00:00:00+02:00")}
	if _, err := db.SyncConsultation(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := db.Consultation(ctx, "k")
	if err != nil || got.TitleEN != "Changing the strategy" || got.DescriptionEN != "Tell us." {
		t.Fatalf("read back %+v, %v", got, err)
	}
	c2 := *got
	c2.TitleEN = "A new strategy"
	if changed, err := db.SyncConsultation(ctx, &c2); err != nil || !changed || c2.TitleEN != "A new strategy" {
		t.Errorf("sync of a new English title: changed %v, %v, %+v", changed, err, c2)
	}
}
