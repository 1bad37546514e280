package similar

import (
	"os"
	"testing"

	"github.com/vvgintake/vvgintake/classify/similar/similartest"
)

// labelled is one suggestion of our labelled set (testdata/*.jsonl).
type labelled = similartest.Labelled

// loadSet reads testdata/<half>.jsonl: "tune" (every choice was made on
// it) or "sealed" (evaluated once, at the end).
func loadSet(t testing.TB, half string) []labelled {
	t.Helper()
	return similartest.Load(t, "testdata", half)
}

// tuning skips a test unless VVGINTAKE_SIMILAR_TUNE=1: the runs that
// print the tuning-half figures and compare settings.
func tuning(t *testing.T) {
	t.Helper()
	if os.Getenv("VVGINTAKE_SIMILAR_TUNE") != "1" {
		t.Skip("set VVGINTAKE_SIMILAR_TUNE=1 to run the tuning comparisons")
	}
}
