package similar

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// labelled is one suggestion of our labelled set (testdata/*.jsonl).
type labelled struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Measure string `json:"measure"`
	Theme   string `json:"theme"` // vienas-NN: a single, its own theme
	Dup     string `json:"dup"`   // near-duplicate group, "" for none
	Note    string `json:"note"`
}

// loadSet reads testdata/<half>.jsonl: "tune" (every choice was made on
// it) or "sealed" (evaluated once, at the end).
func loadSet(t testing.TB, half string) []labelled {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", half+".jsonl"))
	if err != nil {
		t.Fatalf("open labelled set: %v", err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("decode %s line %d: %v", half, len(out)+1, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", half, err)
	}
	return out
}

// tuning skips a test unless VVGINTAKE_SIMILAR_TUNE=1: the runs that
// print the tuning-half figures and compare settings.
func tuning(t *testing.T) {
	t.Helper()
	if os.Getenv("VVGINTAKE_SIMILAR_TUNE") != "1" {
		t.Skip("set VVGINTAKE_SIMILAR_TUNE=1 to run the tuning comparisons")
	}
}
