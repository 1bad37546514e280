package similar

import (
	"testing"

	"github.com/vvgintake/vvgintake/classify"
)

// TestFoldStem checks the one-Fold shortcut against Fold(Stem(w)) on
// every word of the labelled set and on words where it must fall back.
func TestFoldStem(t *testing.T) {
	words := []string{"žmonės", "zmones", "pasiūlymų", "Ąžuolas", "кур", "йогурт", "ǆiaugsmas", "naïve", "čiačia", "pačių"}
	for _, half := range []string{"tune", "sealed"} {
		for _, l := range loadSet(t, half) {
			words = append(words, classify.Tokens(l.Text)...)
		}
	}
	for _, w := range words {
		w = classify.Normalize(w)
		if got, want := foldStem(w, classify.Fold(w)), classify.Fold(classify.Stem(w)); got != want {
			t.Errorf("foldStem(%q) = %q, want %q", w, got, want)
		}
	}
}
