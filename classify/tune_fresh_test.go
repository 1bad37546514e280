package classify

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestTuneThreshold prints, for review thresholds from 0.80 to 0.97, the
// share flagged and the errors caught on the tuning half of our second
// labelled set (testdata/tune2.jsonl), written after the first round of
// tuning by another author, with the shipped examples as they were before
// it joined them: (a) the model trained
// on the shipped examples, predicting it (other authors than the
// examples'); (b) 5-fold cross-validation over it with the shipped
// examples in training, three seeds pooled; (c) 5-fold cross-validation
// over the shipped examples. A result counts as flagged as the model
// flags it: confidence under the threshold, or too few known words.
func TestTuneThreshold(t *testing.T) {
	tuning(t)
	ms, shipped, tune := tuneBase(t, cmp.Or(os.Getenv("VVGINTAKE_CLASSIFY_TUNESET"), "tune2.jsonl"))
	opt := Options{ReviewThreshold: -1}
	h := defaultHyper()
	m, err := train(ms, shipped, nil, opt, h)
	if err != nil {
		t.Fatal(err)
	}
	var a []prediction
	for _, e := range tune {
		r, p := m.classify(e.Text, true)
		a = append(a, prediction{e, r, p})
	}
	var b []prediction
	for seed := int64(1); seed <= 3; seed++ {
		p, _, err := crossPredict(ms, shipped, tune, 5, seed, opt, h)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, p...)
	}
	c, _, err := crossPredict(ms, nil, shipped, 5, 1, opt, h)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString("threshold | (a) flagged caught  | (b) flagged caught  | (c) flagged caught\n")
	for th := 0.80; th < 0.975; th += 0.01 {
		fmt.Fprintf(&sb, "%9.2f |", th)
		for _, ps := range [][]prediction{a, b, c} {
			flagged, wrong, caught := queueTradeoff(ps, th)
			fmt.Fprintf(&sb, " %5.1f%% %3d/%-3d %5.1f%% |", 100*float64(flagged)/float64(len(ps)), caught, wrong, 100*float64(caught)/float64(max(wrong, 1)))
		}
		sb.WriteByte('\n')
	}
	os.Stdout.WriteString(sb.String())
}

// queueTradeoff is tradeoff counting as flagged what the review queue
// would hold at threshold th: low confidence or NeedsReview for too few
// known words.
func queueTradeoff(ps []prediction, th float64) (flagged, wrong, caught int) {
	for _, p := range ps {
		in := p.res.Confidence < th || p.res.NeedsReview
		if in {
			flagged++
		}
		if p.res.Label != p.ex.Label {
			wrong++
			if in {
				caught++
			}
		}
	}
	return flagged, wrong, caught
}

// TestTuneByAuthor predicts every shipped example with a model trained
// without its author's examples (the authors are the ids' first letters:
// the composed set, then each round's tuning set), which is how a
// resident the examples never met is classified. On those predictions it
// fits the calibration temperature (hyper.calTemp) and prints, at that
// temperature, the share flagged and the errors caught per threshold.
func TestTuneByAuthor(t *testing.T) {
	tuning(t)
	ms, shipped, _ := aleksotas(t)
	h := defaultHyper()
	h.calTemp = 1
	opt := Options{ReviewThreshold: -1}
	byAuthor := map[byte][]Example{}
	for _, e := range shipped {
		byAuthor[e.ID[0]] = append(byAuthor[e.ID[0]], e)
	}
	var preds []prediction
	var labels []string
	authors := slices.Sorted(maps.Keys(byAuthor))
	for _, a := range authors {
		held := byAuthor[a]
		var train_ []Example
		for _, b := range authors {
			if b != a {
				train_ = append(train_, byAuthor[b]...)
			}
		}
		m, err := train(ms, train_, nil, opt, h)
		if err != nil {
			t.Fatal(err)
		}
		labels = m.labels
		for _, e := range held {
			r, p := m.classify(e.Text, true)
			if p != nil {
				preds = append(preds, prediction{e, r, p})
			}
		}
	}
	idx := map[string]int{}
	for j, l := range labels {
		idx[l] = j
	}
	at := func(temp float64) (nll float64, ps []prediction) {
		for _, p := range preds {
			q := append([]float64(nil), p.probs...)
			sharpen(q, temp)
			nll -= math.Log(math.Max(q[idx[p.ex.Label]], 1e-12))
			a, b := top2(q)
			r := p.res
			r.Label, r.Confidence, r.Secondary, r.SecondaryConfidence = labels[a], q[a], labels[b], q[b]
			ps = append(ps, prediction{p.ex, r, q})
		}
		return nll / float64(len(preds)), ps
	}
	best, bestNLL := 1.0, math.Inf(1)
	for temp := 0.5; temp <= 4; temp += 0.05 {
		if nll, _ := at(temp); nll < bestNLL {
			best, bestNLL = temp, nll
		}
	}
	for _, temp := range []float64{defaultHyper().calTemp, best} {
		nll, ps := at(temp)
		tl := newTally(labels)
		for _, p := range ps {
			tl.add(p.ex, p.res, p.probs)
		}
		rep := tl.report()
		fmt.Printf("calTemp %.2f: log-loss %.3f, macro-F1 %.3f, ECE %.3f\n", temp, nll, rep.MacroF1, rep.ECE)
		for th := 0.80; th < 0.985; th += 0.01 {
			flagged, wrong, caught := queueTradeoff(ps, th)
			fmt.Printf("  %.2f  flagged %5.1f%%  caught %3d/%-3d %5.1f%%\n", th, 100*float64(flagged)/float64(len(ps)), caught, wrong, 100*float64(caught)/float64(max(wrong, 1)))
		}
	}
}
