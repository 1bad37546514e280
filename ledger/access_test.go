package ledger

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainOpen: each reason SQLite gives as "unable to open database
// file" is told apart, with the owner and mode, and how to run as the
// owner.
func TestExplainOpen(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vvgintake.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o600)
	fake := func(denied ...string) accessor {
		ok := func(p string) bool {
			for _, d := range denied {
				if p == d {
					return false
				}
			}
			return true
		}
		return accessor{
			whoami:   func() string { return "ona" },
			owner:    func(string) (fileOwner, error) { return fileOwner{user: "vvgintake", mode: fs.ModeDir | 0o700}, nil },
			writable: ok, readable: ok,
		}
	}
	tests := []struct {
		name, path string
		a          accessor
		want       string
	}{
		{"folder missing", filepath.Join(dir, "nope", "v.db"), fake(), "the ledger's folder " + filepath.Join(dir, "nope") + " does not exist"},
		{"not a folder", filepath.Join(file, "v.db"), fake(), "is not a folder"},
		{"folder not writable", db, fake(dir), "user ona cannot write in the ledger's folder " + dir +
			" (belongs to vvgintake, drwx------): run vvgintake as vvgintake (sudo -u vvgintake vvgintake …)"},
		{"ledger of another user", db, fake(db), "user ona cannot read and write " + db + " (belongs to vvgintake"},
		{"nothing wrong", db, fake(), ""},
	}
	cause := errors.New("read schema version: unable to open database file (14)")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := explainOpen(tt.path, cause, tt.a)
			if !errors.Is(err, cause) {
				t.Errorf("the cause is lost: %v", err)
			}
			if tt.want == "" {
				if err.Error() != cause.Error() {
					t.Errorf("got %q, want the cause alone", err)
				}
				return
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want %q", err, tt.want)
			}
		})
	}
}
