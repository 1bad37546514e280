package classify

import (
	"slices"
	"testing"
)

func TestSearchWords(t *testing.T) {
	tests := []struct{ query, text string }{
		{"savanoriu", "Reikia savanorių"},
		{"savanorystė", "savanorystės centras"},
		{"dviraciu", "dviračių takas"},
		{"Dviračių", "DVIRACIU TAKAS"},
		{"zmones", "žmonės"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			q := SearchWords(tc.query)[0]
			found := false
			for _, w := range SearchWords(tc.text) {
				for _, term := range q {
					found = found || slices.Contains(w, term)
				}
			}
			if !found {
				t.Errorf("%q does not find %q: query terms %v, text %v", tc.query, tc.text, q, SearchWords(tc.text))
			}
		})
	}
}
