package classify

import (
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestTuneThreshold prints, for review thresholds from 0.80 to 0.97, the
// share flagged and the errors caught on a later round's tuning set
// (testdata/tune2.jsonl unless VVGINTAKE_CLASSIFY_TUNESET names another),
// another author's, with the shipped examples as they were before it
// joined them: (a) the model trained on the shipped examples, predicting
// it; (b) 5-fold cross-validation over it with the shipped examples in
// training, three seeds pooled; (c) 5-fold cross-validation over the
// shipped examples. A result counts as flagged as the model flags it:
// confidence under the threshold, or too few known words.
func TestTuneThreshold(t *testing.T) {
	tuning(t)
	ms, shipped, tune := tuneBase(t, tuneSet("tune2.jsonl"))
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
			flagged, wrong, caught := tradeoff(ps, inQueue(th))
			fmt.Fprintf(&sb, " %5.1f%% %3d/%-3d %5.1f%% |", 100*float64(flagged)/float64(len(ps)), caught, wrong, 100*float64(caught)/float64(max(wrong, 1)))
		}
		sb.WriteByte('\n')
	}
	os.Stdout.WriteString(sb.String())
}

// inQueue flags what the review queue would hold at threshold th: low
// confidence, NeedsReview for too few known words, or the nearest
// examples' similarity mostly on other labels.
func inQueue(th float64) func(prediction) bool {
	h := defaultHyper()
	return func(p prediction) bool {
		return p.res.Confidence < th || p.res.NeedsReview ||
			p.res.Confidence < h.nearBelow && p.res.near != nil && p.res.near[p.res.Label] < h.nearAgree
	}
}

// byAuthor predicts every example with a model trained without its
// author's examples (the authors are the ids' first letters: the composed
// set, then each round's tuning set), with calibration off.
func byAuthor(t *testing.T, ms []Measure, shipped []Example, h hyper) ([]prediction, []string) {
	t.Helper()
	h.cal = calibration{temp: 1}
	opt := Options{ReviewThreshold: -1}
	groups := map[byte][]Example{}
	for _, e := range shipped {
		groups[e.ID[0]] = append(groups[e.ID[0]], e)
	}
	authors := slices.Sorted(maps.Keys(groups))
	var preds []prediction
	var labels []string
	for _, a := range authors {
		var rest []Example
		for _, b := range authors {
			if b != a {
				rest = append(rest, groups[b]...)
			}
		}
		m, err := train(ms, rest, nil, opt, h)
		if err != nil {
			t.Fatal(err)
		}
		labels = m.labels
		for _, e := range groups[a] {
			if r, p := m.classify(e.Text, true); p != nil {
				preds = append(preds, prediction{e, r, p})
			}
		}
	}
	return preds, labels
}

// atCal calibrates preds with c: their log-loss and the predictions as
// the model would give them.
func atCal(preds []prediction, labels []string, c calibration) (nll float64, ps []prediction) {
	idx := map[string]int{}
	for j, l := range labels {
		idx[l] = j
	}
	other := slices.Index(labels, "other")
	for _, p := range preds {
		q := append([]float64(nil), p.probs...)
		c.apply(q, other)
		nll -= math.Log(math.Max(q[idx[p.ex.Label]], 1e-12))
		a, b := top2(q)
		r := p.res
		r.Label, r.Confidence, r.Secondary, r.SecondaryConfidence = labels[a], q[a], labels[b], q[b]
		ps = append(ps, prediction{p.ex, r, q})
	}
	return nll / float64(len(preds)), ps
}

// fitCal returns the calibration with the least log-loss on preds: the
// temperature on a grid of 0.05, then other's prior on a grid of 0.05,
// twice.
func fitCal(preds []prediction, labels []string) calibration {
	best, bestNLL := calibration{temp: 1}, math.Inf(1)
	try := func(c calibration) {
		if nll, _ := atCal(preds, labels, c); nll < bestNLL {
			best, bestNLL = c, nll
		}
	}
	for range 2 {
		for temp := 0.3; temp <= 4; temp += 0.05 {
			try(calibration{temp: temp, other: best.other})
		}
		for other := -1.0; other <= 2; other += 0.05 {
			try(calibration{temp: best.temp, other: other})
		}
	}
	return best
}

// TestTuneByAuthor predicts every shipped example with a model trained
// without its author's examples, which is how a resident the examples
// never met is classified. On those predictions it fits the calibration
// (hyper.cal) and prints, with the default and the fitted one, the share
// flagged and the errors caught per threshold.
func TestTuneByAuthor(t *testing.T) {
	tuning(t)
	ms, shipped, _ := aleksotas(t)
	preds, labels := byAuthor(t, ms, shipped, defaultHyper())
	for _, c := range []calibration{shippedCal(t, labels), fitCal(preds, labels)} {
		nll, ps := atCal(preds, labels, c)
		rep := reportOf(labels, ps)
		fmt.Printf("temperature %.2f, other %.2f: log-loss %.4f, macro-F1 %.4f, ECE %.3f\n", c.temp, c.other, nll, rep.MacroF1, rep.ECE)
		for th := 0.80; th < 0.985; th += 0.01 {
			flagged, wrong, caught := tradeoff(ps, inQueue(th))
			fmt.Printf("  %.2f  flagged %5.1f%%  caught %3d/%-3d %5.1f%%\n", th, 100*float64(flagged)/float64(len(ps)), caught, wrong, 100*float64(caught)/float64(max(wrong, 1)))
		}
	}
}

// TestTuneThresholdByAuthor chooses DefaultReviewThreshold: on the
// predictions of TestTuneByAuthor at the default temperature, the lowest
// threshold on a grid of 0.005 that catches the most errors while
// flagging at most 20%. Texts in English or Russian (foreign) are
// weighted to the share they have in dev.jsonl, the residents' own mail:
// three of the authors wrote mostly in those languages, which the queue
// flags three to four times as often, and counted as written they would
// set the threshold for Lithuanian mail by what a VVG rarely receives.
func TestTuneThresholdByAuthor(t *testing.T) {
	tuning(t)
	ms, shipped, dev := aleksotas(t)
	preds, labels := byAuthor(t, ms, shipped, defaultHyper())
	_, ps := atCal(preds, labels, shippedCal(t, labels))
	lt, fo, wf, share := byLanguage(dev, ps)
	fmt.Printf("%d Lithuanian, %d foreign texts; foreign in dev.jsonl %.1f%% of %d, weight %.3f\n",
		len(lt), len(fo), 100*share, len(dev), wf)
	best, bestCaught := 0.0, -1.0
	for i := 0; i <= 23; i++ {
		th := 0.88 + 0.005*float64(i)
		fl, w, ca := tradeoff(lt, inQueue(th))
		ffl, fw, fca := tradeoff(fo, inQueue(th))
		flagged := (float64(fl) + wf*float64(ffl)) / (float64(len(lt)) + wf*float64(len(fo)))
		caught := (float64(ca) + wf*float64(fca)) / (float64(w) + wf*float64(fw))
		fmt.Printf("  %.3f  weighted: flagged %5.2f%% caught %5.1f%% | Lithuanian %5.2f%% %d/%d | foreign %5.1f%% %d/%d\n",
			th, 100*flagged, 100*caught, 100*float64(fl)/float64(len(lt)), ca, w, 100*float64(ffl)/float64(len(fo)), fca, fw)
		if flagged <= 0.2 && caught > bestCaught+1e-9 {
			best, bestCaught = th, caught
		}
	}
	fmt.Printf("threshold %.3f: %.1f%% of errors caught (weighted)\n", best, 100*bestCaught)
}

// TestTuneByAuthorVariants compares TestTuneOwn's variants by author:
// macro-F1, and at each variant's own fitted temperature the errors
// caught at the highest threshold that flags at most 20%.
func TestTuneByAuthorVariants(t *testing.T) {
	tuning(t)
	ms, shipped, _ := aleksotas(t)
	for _, v := range pickVariants(tuneVariants()) {
		h := defaultHyper()
		v.mod(&h)
		preds, labels := byAuthor(t, ms, shipped, h)
		c := fitCal(preds, labels)
		nll, ps := atCal(preds, labels, c)
		rep := reportOf(labels, ps)
		var line string
		for th := 0.99; th >= 0.5; th -= 0.005 {
			flagged, wrong, caught := tradeoff(ps, inQueue(th))
			if float64(flagged) <= 0.2*float64(len(ps)) {
				line = fmt.Sprintf("at %.3f flagged %4.1f%% caught %2d/%-2d %5.1f%%", th, 100*float64(flagged)/float64(len(ps)), caught, wrong, 100*float64(caught)/float64(max(wrong, 1)))
				break
			}
		}
		fmt.Printf("%-14s F1 %.3f acc %.3f ECE %.3f temp %.2f other %.2f nll %.3f | %s\n", v.name, rep.MacroF1, rep.Accuracy, rep.ECE, c.temp, c.other, nll, line)
	}
}

// fitCalBias returns the calibration with the least log-loss on preds,
// the per-label bias included: the temperature on a grid of 0.05, then
// each label's bias (other's is its prior, c.other) on a grid of 0.05 in
// turn, three times over.
func fitCalBias(preds []prediction, labels []string) calibration {
	idx := map[string]int{}
	for j, l := range labels {
		idx[l] = j
	}
	other := slices.Index(labels, "other")
	logp := make([][]float64, len(preds))
	for i, p := range preds {
		logp[i] = make([]float64, len(labels))
		for j, v := range p.probs {
			logp[i][j] = math.Log(math.Max(v, 1e-300))
		}
	}
	nll := func(temp float64, b []float64) float64 {
		var sum float64
		for i, p := range preds {
			var z float64
			for j, v := range logp[i] {
				z += math.Exp(temp*v + b[j])
			}
			y := idx[p.ex.Label]
			sum -= temp*logp[i][y] + b[y] - math.Log(z)
		}
		return sum / float64(len(preds))
	}
	temp, bias := 1.0, make([]float64, len(labels))
	best := nll(temp, bias)
	for range 3 {
		for x := 1.0; x <= 2.5+1e-9; x += 0.05 {
			if v := nll(math.Round(x*100)/100, bias); v < best {
				best, temp = v, math.Round(x*100)/100
			}
		}
		for j := range bias {
			for d := -1.5; d <= 2+1e-9; d += 0.05 {
				try := slices.Clone(bias)
				try[j] = math.Round(d*100) / 100
				if v := nll(temp, try); v < best {
					best, bias = v, try
				}
			}
		}
	}
	c := calibration{temp: temp, other: bias[other], bias: bias}
	bias[other] = 0
	return c
}

// TestTuneLabelBias fits the calibration with ShippedLabelBias("aleksotas")
// on the predictions of TestTuneByAuthor, and checks it as the figures
// would see it: with the calibration fitted again without each author in
// turn, with and without the bias, the log-loss and the weighted share
// flagged and caught at each threshold of the rule's grid (as
// TestTuneThresholdByAuthor) for those out-of-author predictions.
func TestTuneLabelBias(t *testing.T) {
	tuning(t)
	ms, shipped, dev := aleksotas(t)
	preds, labels := byAuthor(t, ms, shipped, defaultHyper())
	c := fitCalBias(preds, labels)
	var lit []string
	for j, l := range labels {
		if c.bias[j] != 0 {
			lit = append(lit, fmt.Sprintf("%q: %.2f", l, c.bias[j]))
		}
	}
	fmt.Printf("fitted on every author: temperature %.2f, other %.2f, bias {%s}\n", c.temp, c.other, strings.Join(lit, ", "))
	for _, fitted := range []bool{false, true} {
		var out []prediction
		var nll float64
		for _, a := range slices.Sorted(maps.Keys(authorsOf(preds))) {
			var rest, mine []prediction
			for _, p := range preds {
				if p.ex.ID[0] == a {
					mine = append(mine, p)
				} else {
					rest = append(rest, p)
				}
			}
			ca := fitCal(rest, labels)
			if fitted {
				ca = fitCalBias(rest, labels)
			}
			n, ps := atCal(mine, labels, ca)
			nll += n * float64(len(mine))
			out = append(out, ps...)
		}
		lt, fo, wf, _ := byLanguage(dev, out)
		rep := reportOf(labels, out)
		fmt.Printf("calibration fitted without the author, bias %v: log-loss %.4f, macro-F1 %.4f\n", fitted, nll/float64(len(out)), rep.MacroF1)
		for th := 0.97; th <= 0.9901; th += 0.005 {
			fl, w, ca := tradeoff(lt, inQueue(th))
			ffl, fw, fca := tradeoff(fo, inQueue(th))
			fmt.Printf("  %.3f  weighted: flagged %5.2f%% caught %5.1f%% | Lithuanian %d/%d\n", th,
				100*(float64(fl)+wf*float64(ffl))/(float64(len(lt))+wf*float64(len(fo))),
				100*(float64(ca)+wf*float64(fca))/(float64(w)+wf*float64(fw)), ca, w)
		}
	}
}

// byLanguage splits ps into Lithuanian and foreign (English, Russian)
// texts, and gives the weight of a foreign text against a Lithuanian one's
// 1 that makes foreign texts share of the whole, share being theirs in
// dev, the residents' own mail.
func byLanguage(dev []Example, ps []prediction) (lt, fo []prediction, wf, share float64) {
	isForeign := func(text string) bool {
		ws, _ := splitWords(Normalize(text), nil)
		return foreign(ws)
	}
	n := 0
	for _, e := range dev {
		if isForeign(e.Text) {
			n++
		}
	}
	share = float64(n) / float64(len(dev))
	for _, p := range ps {
		if isForeign(p.ex.Text) {
			fo = append(fo, p)
		} else {
			lt = append(lt, p)
		}
	}
	wf = share / (1 - share) * float64(len(lt)) / float64(max(len(fo), 1))
	return lt, fo, wf, share
}

// shippedCal is the calibration the shipped model has: the default one
// with the Aleksotas examples' label bias.
func shippedCal(t *testing.T, labels []string) calibration {
	t.Helper()
	c := defaultHyper().cal
	var err error
	if c.bias, err = labelBias(ShippedLabelBias("aleksotas"), labels); err != nil {
		t.Fatal(err)
	}
	return c
}

// authorsOf returns the authors (first letters of the ids) of preds.
func authorsOf(preds []prediction) map[byte]bool {
	a := map[byte]bool{}
	for _, p := range preds {
		a[p.ex.ID[0]] = true
	}
	return a
}
