package redact

import (
	"os"
	"testing"

	"github.com/vvgintake/vvgintake/internal/jsonltest"
)

// TestCorpusDump prints what Find removes from the shared development
// corpus of suggestions, for reading by eye: set REDACT_CORPUS to a
// JSONL file with a "text" field per line.
func TestCorpusDump(t *testing.T) {
	path := os.Getenv("REDACT_CORPUS")
	if path == "" {
		t.Skip("REDACT_CORPUS not set")
	}
	for _, l := range jsonltest.Read[struct{ ID, Text string }](t, path) {
		for _, s := range Find(l.Text, Known{}) {
			t.Logf("%s %-13s %q", l.ID, s.Kind, s.Text)
		}
	}
}
