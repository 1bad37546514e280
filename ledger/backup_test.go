package ledger

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPruneBackups keeps backups within the retention: by age and by
// count, and touches nothing else in the folder (another ledger's backup,
// an unrelated file, the live ledger itself).
func TestPruneBackups(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 1, 10, 3, 0, 0, 0, time.UTC)}
	db := openTest(t, clock)
	other := openTest(t, clock)
	dir := db.dir // backups beside the live ledger, the worst case
	var paths []string
	for range 4 {
		clock.t = clock.t.AddDate(0, 1, 0)
		p := filepath.Join(dir, clock.t.Format("vvgintake-2006-01-02.db"))
		if err := db.Backup(ctx, p); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	foreign := filepath.Join(dir, "kito-ledgerio.db")
	if err := other.Backup(ctx, foreign); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(dir, "pastabos.txt")
	if err := os.WriteFile(notes, []byte("SQLite format 3 – ne duomenų bazė"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.BackupDir(ctx); got != dir {
		t.Errorf("backup dir = %q, want %q", got, dir)
	}
	// Older than three months before the last: the first goes.
	removed, kept, err := db.PruneBackups(ctx, dir, 0, clock.t.AddDate(0, -3, 0).Add(time.Hour))
	if err != nil || len(removed) != 1 || removed[0].Path != paths[0] || len(kept) != 3 {
		t.Fatalf("prune by age: removed %v, kept %v, %v", removed, kept, err)
	}
	removed, kept, err = db.PruneBackups(ctx, dir, 2, time.Time{})
	if err != nil || len(removed) != 1 || removed[0].Path != paths[1] || len(kept) != 2 || kept[0].Path != paths[3] {
		t.Fatalf("prune to two: removed %v, kept %v, %v", removed, kept, err)
	}
	for _, p := range []string{foreign, notes, filepath.Join(dir, "ledger.db"), paths[2], paths[3]} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
}
