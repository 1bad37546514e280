// Package similartest holds what the tests and benchmarks of near
// duplicates and themes share, in classify/similar and in the pipeline
// that stores them: the labelled set's reader and the synthetic
// consultation drawn from its words.
package similartest

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/internal/jsonltest"
)

// Labelled is one suggestion of the labelled set (classify/similar's
// testdata/tune.jsonl and sealed.jsonl).
type Labelled struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Measure string `json:"measure"`
	Theme   string `json:"theme"` // vienas-NN: a single, its own theme
	Dup     string `json:"dup"`   // near-duplicate group, "" for none
	Note    string `json:"note"`
}

// Load reads dir/<half>.jsonl: half "tune" (every choice was made on it)
// or "sealed" (evaluated once, at the end).
func Load(t testing.TB, dir, half string) []Labelled {
	t.Helper()
	return jsonltest.Read[Labelled](t, filepath.Join(dir, half+".jsonl"))
}

// Suggestion is one suggestion of a synthetic consultation.
type Suggestion struct {
	Text, Measure string
}

// Synthetic returns n suggestions drawn from set's words, the same ones
// for the same set: each picks a theme and writes 15 to 80 words, seven
// in ten from that theme's letters, two from any letter and one a name
// or place that occurs once (a real consultation's long tail), under the
// theme's measure. One in ten is instead a copy of an earlier one with
// another signature line, as campaigns are.
func Synthetic(set []Labelled, n int) []Suggestion {
	type pool struct {
		measure string
		words   []string
	}
	byTheme := map[string]*pool{}
	var themes, all []string
	for _, l := range set {
		p, ok := byTheme[l.Theme]
		if !ok {
			p = &pool{measure: l.Measure}
			byTheme[l.Theme] = p
			themes = append(themes, l.Theme)
		}
		ws := strings.Fields(l.Text)
		p.words = append(p.words, ws...)
		all = append(all, ws...)
	}
	rng := rand.New(rand.NewPCG(19, 2026))
	out := make([]Suggestion, 0, n)
	for i := range n {
		if i > 10 && rng.IntN(10) == 0 {
			src := out[rng.IntN(len(out))]
			out = append(out, Suggestion{Text: src.Text + fmt.Sprintf("\nGyventojas Nr. %d", i), Measure: src.Measure})
			continue
		}
		p := byTheme[themes[rng.IntN(len(themes))]]
		words := make([]string, 15+rng.IntN(66))
		for k := range words {
			switch r := rng.IntN(10); {
			case r < 7:
				words[k] = p.words[rng.IntN(len(p.words))]
			case r < 9:
				words[k] = all[rng.IntN(len(all))]
			default:
				words[k] = fmt.Sprintf("vieta%dx%d", i, k)
			}
		}
		out = append(out, Suggestion{Text: strings.Join(words, " "), Measure: p.measure})
	}
	return out
}
