package redact

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// TestCorpusDump prints what Find removes from the shared development
// corpus of suggestions, for reading by eye: set REDACT_CORPUS to a
// JSONL file with a "text" field per line.
func TestCorpusDump(t *testing.T) {
	path := os.Getenv("REDACT_CORPUS")
	if path == "" {
		t.Skip("REDACT_CORPUS not set")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct{ ID, Text string }
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		for _, s := range Find(l.Text, Known{}) {
			t.Logf("%s %-13s %q", l.ID, s.Kind, s.Text)
		}
	}
}
