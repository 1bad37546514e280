package classify

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// tuneSet names the tuning set a tuning run uses: the file in testdata
// that VVGINTAKE_CLASSIFY_TUNESET names, else def (tune.jsonl, the first
// round, for the runs of that round).
func tuneSet(def string) string {
	return cmp.Or(os.Getenv("VVGINTAKE_CLASSIFY_TUNESET"), def)
}

// tuneRounds are the rounds of tuning sets in the order they joined the
// shipped examples, each with the first letters of its sets' ids.
var tuneRounds = []struct {
	files []string
	ids   string
}{
	{[]string{"tune.jsonl"}, "t"},
	{[]string{"tune2.jsonl"}, "f"},
	{[]string{"tune3.jsonl"}, "g"},
	{[]string{"tune4.jsonl", "tune5.jsonl"}, "mp"},
	{[]string{"tune6.jsonl", "tune7.jsonl"}, "qr"},
	{[]string{"tune8.jsonl", "tune9.jsonl"}, "wx"},
	{[]string{"tune10.jsonl"}, "y"},
	{[]string{"tune11.jsonl", "tune12.jsonl"}, "bc"},
	{[]string{"tune13.jsonl"}, "e"},
	{[]string{"tune14.jsonl", "tune15.jsonl", "tune16.jsonl"}, "ijo"},
	{[]string{"tune17.jsonl", "tune18.jsonl"}, "AB"},
	{[]string{"tune19.jsonl", "tune20.jsonl"}, "DE"},
	{[]string{"tune21.jsonl", "tune22.jsonl"}, "FG"},
	{[]string{"tune23.jsonl", "tune24.jsonl"}, "IJ"},
	{[]string{"tune25.jsonl", "tune26.jsonl"}, "NO"},
	{[]string{"tune27.jsonl", "tune28.jsonl"}, "ST"},
	{[]string{"tune29.jsonl", "tune30.jsonl", "tune31.jsonl"}, "VWU"},
	{[]string{"tune32.jsonl", "tune33.jsonl"}, "YZ"},
	{[]string{"dev.jsonl", "tune34.jsonl", "tune35.jsonl", "tune36.jsonl"}, "d123"},
}

// tuneBase returns the measures, the shipped examples as they were before
// the tuning set in testdata/name joined them (the tuning runs add it by
// folds) and that tuning set (one of tuneRounds'). The sealed sets are
// read only by TestSealed and TestFigures.
func tuneBase(t testing.TB, name string) (ms []Measure, base, tune []Example) {
	t.Helper()
	ms, shipped, _ := aleksotas(t)
	tune = loadExamples(t, filepath.Join("testdata", name))
	// Each round's tuning sets joined the shipped examples after the
	// round was tuned on them: a round's base is without its own sets
	// and the later rounds'.
	var later string
	for i, r := range tuneRounds {
		if slices.Contains(r.files, name) {
			for _, l := range tuneRounds[i:] {
				later += l.ids
			}
		}
	}
	in := make(map[string]bool, len(tune))
	for _, e := range tune {
		in[e.ID] = true
	}
	for _, e := range shipped {
		if !in[e.ID] && (e.ID == "" || !strings.ContainsRune(later, rune(e.ID[0]))) {
			base = append(base, e)
		}
	}
	return ms, base, tune
}

// tuneVariant is one hyper-parameter setting tried by TestTuneOwn.
type tuneVariant struct {
	name string
	mod  func(*hyper)
}

// tuneVariants are the hyper-parameter settings the tuning runs try.
func tuneVariants() []tuneVariant {
	return []tuneVariant{
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
		{"lambda3e-4", func(h *hyper) { h.lr.lambda = 3e-4 }},
		{"lambda1e-3", func(h *hyper) { h.lr.lambda = 1e-3 }},
		{"nbAlpha1", func(h *hyper) { h.nbAlpha, h.cnbAlpha = 1, 1 }},
		{"pseudo4", func(h *hyper) { h.pseudoWeight = 4 }},
		{"pseudo1", func(h *hyper) { h.pseudoWeight = 1 }},
		{"prefix4", func(h *hyper) { h.feat.prefixLen = 4 }},
		{"gram3-5", func(h *hyper) { h.feat.minGram, h.feat.maxGram = 3, 5 }},
		{"ens-lr2", func(h *hyper) { h.ensembleW = [3]float64{1, 1, 2} }},
		{"ens-nb2", func(h *hyper) { h.ensembleW = [3]float64{2, 1, 1} }},
		{"cal1.5", func(h *hyper) { h.cal.temp = 1.5 }},
		{"gate0.4", func(h *hyper) { h.gateMix = 0.4 }},
		{"gate0.3-lr2", func(h *hyper) { h.gateMix = 0.3; h.ensembleW = [3]float64{1, 1, 2} }},
		{"gate0.4-lr2", func(h *hyper) { h.gateMix = 0.4; h.ensembleW = [3]float64{1, 1, 2} }},
		{"gate0.3-lr1.5", func(h *hyper) { h.gateMix = 0.3; h.ensembleW = [3]float64{1, 1, 1.5} }},
		{"gate0.3-pseudo4", func(h *hyper) { h.gateMix = 0.3; h.pseudoWeight = 4 }},
		{"lr2-pseudo4", func(h *hyper) { h.ensembleW = [3]float64{1, 1, 2}; h.pseudoWeight = 4 }},
		{"ens-lr3", func(h *hyper) { h.ensembleW = [3]float64{1, 1, 3} }},
		{"ens-cnb0.5", func(h *hyper) { h.ensembleW = [3]float64{1, 0.5, 1} }},
		{"ens-cnb0.25", func(h *hyper) { h.ensembleW = [3]float64{1, 0.25, 1} }},
		{"ens-cnb0", func(h *hyper) { h.ensembleW = [3]float64{1, 0, 1} }},
		{"cnb0.5-gate0.3", func(h *hyper) { h.ensembleW = [3]float64{1, 0.5, 1}; h.gateMix = 0.3 }},
		{"cnb0.5-lr1.5", func(h *hyper) { h.ensembleW = [3]float64{1, 0.5, 1.5} }},
		{"cnb0.7", func(h *hyper) { h.ensembleW = [3]float64{1, 0.7, 1} }},
		{"noadvert", func(h *hyper) { h.feat.advert = false }},
		{"noask", func(h *hyper) { h.feat.ask = false }},
		{"gate0.5", func(h *hyper) { h.gateMix = 0.5 }},
		{"gate0.2", func(h *hyper) { h.gateMix = 0.2 }},
		{"gate0.25", func(h *hyper) { h.gateMix = 0.25 }},
		{"advert-gate0.3", func(h *hyper) { h.feat.advert = true; h.gateMix = 0.3 }},
		{"advert-gate0.3-cnb0.5", func(h *hyper) { h.feat.advert = true; h.gateMix = 0.3; h.ensembleW = [3]float64{1, 0.5, 1} }},
	}
}

// TestTuneOwn compares variants on our tuning set only: (A) trained on the
// shipped examples, tested on the tuning set (other authors than the
// shipped examples'); (B) 5-fold cross-validation over the tuning set with
// the shipped examples always in training, three seeds pooled, which is
// how the shipped model is trained. VARIANT=a,b picks some.
func TestTuneOwn(t *testing.T) {
	tuning(t)
	ms, shipped, tune := tuneBase(t, tuneSet("tune.jsonl"))
	vs := pickVariants(tuneVariants())
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
	ms, shipped, tune := tuneBase(t, tuneSet("tune.jsonl"))
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
	ms, shipped, _ := tuneBase(t, tuneSet("tune.jsonl"))
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

// TestTuneCalibration fits the final calibration (hyper.cal) on the
// tuning set's out-of-fold predictions (5-fold CV with the shipped examples
// in training, 3 seeds) and prints, for each review threshold, the share
// flagged, the errors caught and the accuracy of the rest.
func TestTuneCalibration(t *testing.T) {
	tuning(t)
	ms, shipped, tune := tuneBase(t, tuneSet("tune.jsonl"))
	h := defaultHyper()
	h.cal = calibration{temp: 1}
	var preds []prediction
	var labels []string
	if os.Getenv("CALIB") == "A" {
		// Across authors: trained on the shipped examples, predicting ours.
		m, err := train(ms, shipped, nil, Options{}, h)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range tune {
			r, p := m.classify(e.Text, true)
			preds = append(preds, prediction{e, r, p})
		}
		labels = m.labels
	}
	for seed := int64(1); seed <= 3 && os.Getenv("CALIB") != "A"; seed++ {
		p, l, err := crossPredict(ms, shipped, tune, 5, seed, Options{}, h)
		if err != nil {
			t.Fatal(err)
		}
		preds, labels = append(preds, p...), l
	}
	best := fitCal(preds, labels)
	nllBest, ps := atCal(preds, labels, best)
	nll1, _ := atCal(preds, labels, calibration{temp: 1})
	fmt.Printf("temperature %.2f, other %.2f: log-loss %.3f (none: %.3f)\n", best.temp, best.other, nllBest, nll1)
	type scored struct {
		conf, margin float64
		ok           bool
	}
	var ss []scored
	for _, p := range ps {
		ss = append(ss, scored{p.res.Confidence, p.res.Confidence - p.res.SecondaryConfidence, p.res.Label == p.ex.Label})
	}
	rep := reportOf(labels, ps)
	fmt.Printf("ECE %.3f\n", rep.ECE)
	for _, bin := range rep.Reliability {
		fmt.Printf("  %.1f-%.1f n %4d conf %.3f acc %.3f\n", bin.Lo, bin.Hi, bin.N, bin.Confidence, bin.Accuracy)
	}
	for _, share := range []float64{0.1, 0.15, 0.2} {
		for name, key := range map[string]func(s scored) float64{
			"conf":   func(s scored) float64 { return s.conf },
			"margin": func(s scored) float64 { return s.margin },
		} {
			ks := make([]float64, len(ss))
			for i, s := range ss {
				ks[i] = key(s)
			}
			sort.Float64s(ks)
			cut := ks[int(share*float64(len(ks)))]
			var wrong, caught int
			for _, s := range ss {
				if !s.ok {
					wrong++
					if key(s) < cut {
						caught++
					}
				}
			}
			fmt.Printf("flag lowest %.0f%% by %-6s (below %.3f): caught %d/%d\n", 100*share, name, cut, caught, wrong)
		}
	}
	for _, th := range []float64{0.8, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.97} {
		var flagged, wrong, caught, okUnfl int
		for _, s := range ss {
			f := s.conf < th
			if f {
				flagged++
			}
			if !s.ok {
				wrong++
				if f {
					caught++
				}
			} else if !f {
				okUnfl++
			}
		}
		fmt.Printf("threshold %.2f: flagged %.3f caught %d/%d unflagged acc %.3f\n", th, float64(flagged)/float64(len(ss)), caught, wrong, float64(okUnfl)/float64(len(ss)-flagged))
	}
}
