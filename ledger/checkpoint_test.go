package ledger

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBackgroundCheckpoint: what a commit appends to the write-ahead log
// reaches the database file soon after, without the writer checkpointing
// (its own threshold, walBackstop pages, is far above this test's 3 MB),
// and a ledger closed meanwhile stops its checkpointer cleanly.
func TestBackgroundCheckpoint(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := newConsultation(t, db, "s")
	before := fileSize(t, path)

	const rawSize = 3 << 20
	if rawSize >= walBackstop*4096/2 {
		t.Fatalf("the test's message (%d bytes) must stay well below the writer's own checkpoint threshold", rawSize)
	}
	raw := strings.Repeat("Siūlau įrengti dviračių taką palei upę.\r\n", rawSize/42)
	if _, err := db.Ingest(ctx, inbound(c, 1, raw, "<big@x>", "ona@example.lt", "Siūlau taką")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for fileSize(t, path) < before+rawSize {
		if time.Now().After(deadline) {
			t.Fatalf("database file is %d bytes 10 s after the commit, want at least %d: nothing checkpointed it",
				fileSize(t, path), before+rawSize)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
