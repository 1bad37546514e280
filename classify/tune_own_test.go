package classify

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ownTune returns the tuning half of our own labelled set. The sealed
// half (testdata/sealed.jsonl) is read only by TestSealed.
func ownTune(t testing.TB) []Example {
	t.Helper()
	return loadExamples(t, filepath.Join("testdata", "tune.jsonl"))
}

// tuneVariant is one hyper-parameter setting tried by TestTuneOwn.
type tuneVariant struct {
	name string
	mod  func(*hyper)
}

// TestTuneOwn compares variants on our tuning set only: (A) trained on the
// shipped examples, tested on the tuning set (other authors than the
// shipped examples'); (B) 5-fold cross-validation over the tuning set with
// the shipped examples always in training, three seeds pooled, which is
// how the shipped model is trained. VARIANT=a,b picks some.
func TestTuneOwn(t *testing.T) {
	tuning(t)
	ms, shipped, _ := aleksotas(t)
	tune := ownTune(t)
	vs := []tuneVariant{
		{"base", func(h *hyper) {}},
		{"nonegation", func(h *hyper) { h.feat.negation = false }},
		{"nocues", func(h *hyper) { h.feat.cues = false }},
		{"neither", func(h *hyper) { h.feat.negation, h.feat.cues = false, false }},
		{"cue2", func(h *hyper) { h.lr.groupW[kindCue] = 2 }},
		{"nogate", func(h *hyper) { h.gateMix = 0 }},
		{"gate0.3", func(h *hyper) { h.gateMix = 0.3 }},
		{"gate0.7", func(h *hyper) { h.gateMix = 0.7 }},
		{"gate1", func(h *hyper) { h.gateMix = 1 }},
		{"gatecue1", func(h *hyper) { h.gateLR.groupW[kindCue] = 1 }},
		{"gatecue4", func(h *hyper) { h.gateLR.groupW[kindCue] = 4 }},
		{"gatecue8", func(h *hyper) { h.gateLR.groupW[kindCue] = 8 }},
		{"gatecue4-0.7", func(h *hyper) { h.gateLR.groupW[kindCue] = 4; h.gateMix = 0.7 }},
		{"gatecue4-cue2", func(h *hyper) { h.gateLR.groupW[kindCue] = 4; h.lr.groupW[kindCue] = 2 }},
		{"cue0.5", func(h *hyper) { h.lr.groupW[kindCue] = 0.5 }},
	}
	vs = pickVariants(vs)
	for _, v := range vs {
		h := defaultHyper()
		v.mod(&h)
		opt := Options{}
		m, err := train(ms, shipped, nil, opt, h)
		if err != nil {
			t.Fatal(err)
		}
		a := Evaluate(m, tune)
		var preds []prediction
		var labels []string
		for seed := int64(1); seed <= 3; seed++ {
			p, l, err := crossPredict(ms, shipped, tune, 5, seed, opt, h)
			if err != nil {
				t.Fatal(err)
			}
			preds, labels = append(preds, p...), l
		}
		tl := newTally(labels)
		for _, p := range preds {
			tl.add(p.ex, p.res, p.probs)
		}
		b := tl.report()
		fmt.Printf("%-14s (A) %s | (B) %s\n", v.name, tuneRow(a), tuneRow(b))
		if os.Getenv("PERLABEL") == "1" {
			for _, r := range []Report{a, b} {
				for _, s := range r.PerLabel {
					fmt.Printf("  %s %.2f/%.2f", s.Label, s.Precision, s.Recall)
				}
				fmt.Println()
			}
		}
	}
}

func tuneRow(r Report) string {
	return fmt.Sprintf("acc %.3f F1 %.3f top2 %.3f flag %.2f caught %.2f", r.Accuracy, r.MacroF1, r.Top2Accuracy, r.ReviewShare, r.ErrorsCaught)
}

// pickVariants keeps the variants named in $VARIANT (all if unset).
func pickVariants(vs []tuneVariant) []tuneVariant {
	v := os.Getenv("VARIANT")
	if v == "" {
		return vs
	}
	var keep []tuneVariant
	for _, x := range vs {
		if strings.Contains(","+v+",", ","+x.name+",") {
			keep = append(keep, x)
		}
	}
	return keep
}

// TestTuneOwnMisses prints the cross-validated misses on the tuning set.
func TestTuneOwnMisses(t *testing.T) {
	tuning(t)
	ms, shipped, _ := aleksotas(t)
	tune := ownTune(t)
	preds, labels, err := crossPredict(ms, shipped, tune, 5, 1, Options{}, defaultHyper())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range preds {
		if p.res.Label == p.ex.Label {
			continue
		}
		var ps []string
		for i, v := range p.probs {
			if v > 0.05 {
				ps = append(ps, fmt.Sprintf("%s:%.2f", labels[i], v))
			}
		}
		fmt.Printf("%s %s→%s %v %q\n   %.150s\n", p.ex.ID, p.ex.Label, p.res.Label, ps, p.res.Evidence, strings.ReplaceAll(p.ex.Text, "\n", " "))
	}
}

// TestTuneShippedCV is column (c) of TestTuneVariants for our variants:
// cross-validation over the shipped examples alone, another author's set.
func TestTuneShippedCV(t *testing.T) {
	tuning(t)
	ms, shipped, _ := aleksotas(t)
	vs := pickVariants([]tuneVariant{
		{"base", func(h *hyper) {}},
		{"neither-nogate", func(h *hyper) { h.feat.negation, h.feat.cues, h.gateMix = false, false, 0 }},
		{"gatecue8", func(h *hyper) { h.gateLR.groupW[kindCue] = 8 }},
	})
	for _, v := range vs {
		h := defaultHyper()
		v.mod(&h)
		c := crossValidate(ms, nil, shipped, 5, 1, Options{}, h)
		fmt.Printf("%-14s (c) %s\n", v.name, tuneRow(c))
	}
}
