package classify

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestWordCacheSameFeatures: with the word cache, a text gets the same
// rows, counts, covered words, evidence and probabilities as without it,
// on texts the model has seen and texts it has not, negated and asking
// ones among them.
func TestWordCacheSameFeatures(t *testing.T) {
	_, shipped, _ := aleksotas(t)
	m, _ := shippedModel(t)
	unseen := loadExamples(t, filepath.Join("testdata", "sealed.jsonl"))
	if m.words == nil || len(m.words.entries) == 0 {
		t.Fatal("no word cache")
	}
	cached := 0
	texts := append(append([]Example(nil), unseen...), shipped[:300]...)
	for _, e := range texts {
		slow, fast := new(scratch), new(scratch)
		extract(e.Text, m.opt.MaxTokens, m.h.feat, nil, slow)
		m.vocab.count(slow, false)
		extract(e.Text, m.opt.MaxTokens, m.h.feat, m.words, fast)
		m.vocab.count(fast, false)
		for _, f := range fast.feats {
			if f.row > 0 {
				cached++
			}
		}
		if !slices.Equal(slow.s.rows, fast.s.rows) || !slices.Equal(slow.s.vals, fast.s.vals) || !slices.Equal(slow.s.kinds, fast.s.kinds) {
			t.Fatalf("%s: rows differ with the cache", e.ID)
		}
		if m.covered(slow) != m.covered(fast) {
			t.Fatalf("%s: covered differs with the cache", e.ID)
		}
		if !slices.Equal(adaptFeats(slow), adaptFeats(fast)) {
			t.Fatalf("%s: the adapter's features differ with the cache", e.ID)
		}
		p1 := slices.Clone(m.probs(slow, nil))
		p2 := m.probs(fast, nil)
		if !slices.Equal(p1, p2) {
			t.Fatalf("%s: probabilities %v, with the cache %v", e.ID, p1, p2)
		}
		a, b := top2(p1)
		if !slices.Equal(m.evidence(slow, a, b), m.evidence(fast, a, b)) {
			t.Fatalf("%s: evidence differs with the cache", e.ID)
		}
	}
	if cached == 0 {
		t.Fatal("no feature came from the cache")
	}
}

// adaptFeats returns the features the adapter reads: hash and kind.
func adaptFeats(sc *scratch) []feature {
	var out []feature
	for _, f := range sc.feats {
		if adaptKind(f.kind) {
			out = append(out, feature{h: f.h, tok: f.tok, kind: f.kind})
		}
	}
	return out
}
