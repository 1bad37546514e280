package classify

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// The tests in this file are the tuning bench behind defaultHyper. They
// only run with VVGINTAKE_CLASSIFY_TUNE=1 (they train hundreds of models)
// and only print. Tuning looks at cross-validation over the shipped
// examples alone, column (c); dev.jsonl figures are printed for the
// record but were not used to choose. The rejection and cue features, the
// other gate, the calibration and the review threshold were chosen later
// on our own tuning set instead (tune_own_test.go).

func tuning(t *testing.T) {
	t.Helper()
	if os.Getenv("VVGINTAKE_CLASSIFY_TUNE") != "1" {
		t.Skip("set VVGINTAKE_CLASSIFY_TUNE=1 to run the tuning bench")
	}
}

// TestTuneVariants compares hyper-parameter variants; VARIANT=a,b picks some.
func TestTuneVariants(t *testing.T) {
	tuning(t)
	ms, shipped, dev := aleksotas(t)
	type variant struct {
		name string
		mod  func(*hyper)
	}
	vs := []variant{
		{"base", func(h *hyper) {}},
		{"nostem", func(h *hyper) { h.feat.noStem = true }},
		{"noprefix", func(h *hyper) { h.feat.prefixLen = 0 }},
		{"prefix6", func(h *hyper) { h.feat.prefixLen = 6 }},
		{"gram3-5", func(h *hyper) { h.feat.minGram, h.feat.maxGram = 3, 5 }},
		{"gram3-4", func(h *hyper) { h.feat.minGram, h.feat.maxGram = 3, 4 }},
		{"gram4-5", func(h *hyper) { h.feat.minGram, h.feat.maxGram = 4, 5 }},
		{"nograms", func(h *hyper) { h.feat.minGram, h.feat.maxGram = 9, 0 }},
		{"nopseudo", func(h *hyper) { h.pseudoWeight, h.keywordWeight = 0, 0 }},
		{"pseudo5", func(h *hyper) { h.pseudoWeight, h.keywordWeight = 5, 1 }},
		{"lambda1e-5", func(h *hyper) { h.lr.lambda = 1e-5 }},
		{"lambda1e-3", func(h *hyper) { h.lr.lambda = 1e-3 }},
		{"epochs20", func(h *hyper) { h.lr.epochs = 20 }},
		{"eta0.2", func(h *hyper) { h.lr.eta0 = 0.2 }},
		{"eta1", func(h *hyper) { h.lr.eta0 = 1 }},
		{"lrgroup111", func(h *hyper) { h.lr.groupW = [numKinds]float32{0, 1, 1, 1, 1, 1} }},
		{"lrgroup-grams0.5", func(h *hyper) { h.lr.groupW = [numKinds]float32{0, 1, 0.6, 0.5, 1, 1} }},
		{"ens-lr2", func(h *hyper) { h.ensembleW = [3]float64{1, 1, 2} }},
		{"ens-nolnb", func(h *hyper) { h.ensembleW = [3]float64{0, 1, 1} }},
		{"ens-nocnb", func(h *hyper) { h.ensembleW = [3]float64{1, 0, 1} }},
		{"nbalpha0.1", func(h *hyper) { h.nbAlpha = 0.1 }},
		{"nbalpha1", func(h *hyper) { h.nbAlpha = 1 }},
		{"cnbalpha1", func(h *hyper) { h.cnbAlpha = 1 }},
		{"nocnb-ep20", func(h *hyper) { h.ensembleW = [3]float64{1, 0, 1}; h.lr.epochs = 20 }},
		{"lr2-cnba1", func(h *hyper) { h.ensembleW = [3]float64{1, 1, 2}; h.cnbAlpha = 1 }},
		{"nocnb-lr2", func(h *hyper) { h.ensembleW = [3]float64{1, 0, 2} }},
	}
	if v := os.Getenv("VARIANT"); v != "" {
		var keep []variant
		for _, x := range vs {
			if strings.Contains(","+v+",", ","+x.name+",") {
				keep = append(keep, x)
			}
		}
		vs = keep
	}
	methods := []Method{MethodEnsemble}
	if os.Getenv("ALLMETHODS") == "1" {
		methods = []Method{MethodNaiveBayes, MethodCharNB, MethodLogistic, MethodEnsemble}
	}
	for _, v := range vs {
		h := defaultHyper()
		v.mod(&h)
		for _, meth := range methods {
			opt := Options{Method: meth}
			var cF1, cTop2, cFlag, cCaught float64
			for seed := int64(1); seed <= 3; seed++ {
				c := crossValidate(ms, nil, shipped, 5, seed, opt, h)
				cF1 += c.MacroF1 / 3
				cTop2 += c.Top2Accuracy / 3
				cFlag += c.ReviewShare / 3
				cCaught += c.ErrorsCaught / 3
			}
			m, err := train(ms, shipped, nil, opt, h)
			if err != nil {
				t.Fatal(err)
			}
			a := Evaluate(m, dev)
			b := crossValidate(ms, shipped, dev, 5, 1, opt, h)
			fmt.Printf("%-16s %-9s (c) F1 %.3f top2 %.3f flag %.2f caught %.2f | (a) F1 %.3f top2 %.3f | (b) F1 %.3f top2 %.3f\n",
				v.name, meth, cF1, cTop2, cFlag, cCaught, a.MacroF1, a.Top2Accuracy, b.MacroF1, b.Top2Accuracy)
		}
	}
}

// TestTuneTemperatures fits each component's softmax temperature by
// minimising the log-loss of its held-out logits in (c).
func TestTuneTemperatures(t *testing.T) {
	tuning(t)
	ms, shipped, _ := aleksotas(t)
	h := defaultHyper()
	h.nbTemp, h.cnbTemp, h.lrTemp = 1, 1, 1
	k := 5
	var logits [][][]float64
	var y []int
	for f := 0; f < k; f++ {
		var tr, te []Example
		for i, e := range shipped {
			if i%k == f {
				te = append(te, e)
			} else {
				tr = append(tr, e)
			}
		}
		m, err := train(ms, tr, nil, Options{Method: MethodEnsemble}, h)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range te {
			sc := new(scratch)
			extract(e.Text, 1000, m.h.feat, nil, sc)
			m.vocab.count(sc, false)
			acc := m.logitsAll(sc)
			var per [][]float64
			for ci := range m.comps {
				per = append(per, append([]float64(nil), acc[ci*len(m.labels):(ci+1)*len(m.labels)]...))
			}
			logits = append(logits, per)
			for i, l := range m.labels {
				if l == e.Label {
					y = append(y, i)
				}
			}
		}
	}
	for ci, name := range []string{"nb", "cnb", "lr"} {
		best, bestNLL := 0.0, math.Inf(1)
		for temp := 0.05; temp < 200; temp *= 1.05 {
			var nll float64
			for i := range logits {
				p := append([]float64(nil), logits[i][ci]...)
				for j := range p {
					p[j] *= temp
				}
				softmax(p)
				nll -= math.Log(math.Max(p[y[i]], 1e-12))
			}
			nll /= float64(len(logits))
			if nll < bestNLL {
				best, bestNLL = temp, nll
			}
		}
		fmt.Printf("%s: temperature %.2f (log-loss %.3f)\n", name, best, bestNLL)
	}
}
