package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"
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
