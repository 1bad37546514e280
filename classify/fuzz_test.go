package classify

import (
	"testing"
	"unicode/utf8"
)

// FuzzClassify checks that any text gives a defined result: no panic, a
// known label, a confidence in 0..1, evidence drawn from the text's
// words. The seed corpus is in testdata/fuzz/FuzzClassify.
func FuzzClassify(f *testing.F) {
	m, _ := shippedModel(f)
	known := make(map[string]bool)
	for _, l := range m.Labels() {
		known[l] = true
	}
	f.Add("Siūlau savanorių centrą.")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		r := m.Classify(text)
		if !known[r.Label] {
			t.Fatalf("Label = %q, not a known code", r.Label)
		}
		if r.Confidence < 0 || r.Confidence > 1 || r.Confidence != r.Confidence {
			t.Fatalf("Confidence = %v, want 0..1", r.Confidence)
		}
		if r.Secondary != "" && (!known[r.Secondary] || r.Secondary == r.Label) {
			t.Fatalf("Secondary = %q (Label %q)", r.Secondary, r.Label)
		}
		if len(r.Evidence) > maxEvidence {
			t.Fatalf("Evidence has %d words, want ≤ %d", len(r.Evidence), maxEvidence)
		}
		for _, w := range r.Evidence {
			if w == "" || !utf8.ValidString(w) && utf8.ValidString(text) {
				t.Fatalf("Evidence word %q", w)
			}
		}
	})
}
