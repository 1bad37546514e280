package ledger

import (
	"bytes"
	"context"
	"log/slog"
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
	mustIngest(t, db, inbound(c, 1, raw, "<big@x>", "ona@example.lt", "Siūlau taką"))
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

// TestLitestreamCheckpoints: a ledger opened for Litestream never
// checkpoints, neither in the background, nor in the writer, nor in
// Compact after an erasure: what a commit appends stays in the
// write-ahead log, for Litestream to copy and checkpoint.
func TestLitestreamCheckpoints(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(ctx, path, Options{Checkpoints: CheckpointLitestream})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var auto int
	if err := db.w.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Errorf("writer's wal_autocheckpoint = %d, want 0", auto)
	}
	c := newConsultation(t, db, "s")
	before := fileSize(t, path)
	raw := strings.Repeat("Siūlau įrengti dviračių taką palei upę.\r\n", (3<<20)/42)
	mustIngest(t, db, inbound(c, 1, raw, "<big@x>", "ona@example.lt", "Siūlau taką"))
	wal := fileSize(t, path+"-wal")
	// The ledger's own checkpointer would have copied it within 50 ms.
	time.Sleep(300 * time.Millisecond)
	if err := db.Compact(ctx); err != nil {
		t.Fatalf("compact: %v", err)
	}
	if got := fileSize(t, path); got != before {
		t.Errorf("database file grew from %d to %d bytes: something checkpointed", before, got)
	}
	if got := fileSize(t, path+"-wal"); got != wal || wal < 3<<20 {
		t.Errorf("write-ahead log %d bytes after Compact, want it left as it was (%d bytes)", got, wal)
	}
}

// TestCheckpointsInvalid: an unknown value is refused at Open, by name.
func TestCheckpointsInvalid(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "l.db"), Options{Checkpoints: "rsync"})
	if err == nil || !strings.Contains(err.Error(), `"rsync"`) {
		t.Fatalf("got %v, want an error naming \"rsync\"", err)
	}
}

// TestLitestreamNoticed: a ledger Litestream replicates (its table is in
// the file) opened with the ledger's own checkpoints says to leave them to
// Litestream; opened for Litestream, it says nothing.
func TestLitestreamNoticed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, tt := range []struct {
		name string
		mode Checkpointing
		warn bool
	}{
		{"ledger", CheckpointLedger, true},
		{"litestream", CheckpointLitestream, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			db, err := Open(ctx, path, Options{Checkpoints: tt.mode, Logger: slog.New(slog.NewTextHandler(&buf, nil))})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			if got := strings.Contains(buf.String(), "Litestream replicates this ledger"); got != tt.warn {
				t.Errorf("warned %v, want %v; log:\n%s", got, tt.warn, buf.String())
			}
		})
	}
}

// TestLitestreamAlert: a ledger left to Litestream alerts until
// Litestream has replicated it, and again when its log outgrows what a
// running Litestream allows; the ledger's own checkpoints never alert so.
func TestLitestreamAlert(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name       string
		mode       Checkpointing
		replicated bool
		walBytes   int64
		want       string
	}{
		{"ledger checkpoints", CheckpointLedger, false, 0, ""},
		{"never replicated", CheckpointLitestream, false, 0, "Litestream has never replicated it"},
		{"replicated", CheckpointLitestream, true, 0, ""},
		{"log past Litestream's bound", CheckpointLitestream, true, walLitestreamAlert + 1, "write-ahead log is 1024 MiB"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ledger.db")
			db, err := Open(ctx, path, Options{Checkpoints: tt.mode})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if tt.replicated {
				if _, err := db.w.ExecContext(ctx, `CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)`); err != nil {
					t.Fatal(err)
				}
			}
			if tt.walBytes > 0 {
				// A sparse file stands in for a log nobody checkpointed.
				if err := os.Truncate(path+"-wal", tt.walBytes); err != nil {
					t.Fatal(err)
				}
			}
			got := db.litestreamAlert(ctx)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("alert %q, want one with %q", got, tt.want)
			}
		})
	}
}
