package classify

import (
	"fmt"
	"strings"
	"testing"
)

// TestMethodComparison logs each method's figures (run with -v):
// (a) trained on the shipped examples only, tested on all of dev.jsonl;
// (b) 5-fold cross-validation over dev.jsonl, shipped examples always in
// training; (c) 5-fold cross-validation over the shipped examples alone,
// which is what the hyper-parameters were tuned on (dev.jsonl was not).
// The shipped examples of (a) and (b) are those without dev's own.
func TestMethodComparison(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("trains 44 models; figures only")
	}
	ms, shipped, dev := aleksotas(t)
	shipped = beforeDev(shipped, dev)
	var b strings.Builder
	fmt.Fprintf(&b, "%-9s | %-38s | %-38s | %s\n", "method", "(a) held-out: acc F1 top2 flag caught", "(b) CV dev: acc F1 top2 flag caught", "(c) CV shipped: F1 top2")
	for _, meth := range []Method{MethodNaiveBayes, MethodCharNB, MethodLogistic, MethodEnsemble} {
		opt := Options{Method: meth}
		m, err := Train(ms, shipped, opt)
		if err != nil {
			t.Fatalf("Train %v: %v", meth, err)
		}
		a := Evaluate(m, dev)
		cv := CrossValidate(ms, shipped, dev, 5, 1, opt)
		c := CrossValidate(ms, nil, shipped, 5, 1, opt)
		if cv.Err != nil || c.Err != nil {
			t.Fatalf("CrossValidate %v: %v %v", meth, cv.Err, c.Err)
		}
		row := func(r Report) string {
			return fmt.Sprintf("%.3f %.3f %.3f %4.1f%% %5.1f%%", r.Accuracy, r.MacroF1, r.Top2Accuracy, 100*r.ReviewShare, 100*r.ErrorsCaught)
		}
		fmt.Fprintf(&b, "%-9s | %-38s | %-38s | %.3f %.3f\n", meth, row(a), row(cv), c.MacroF1, c.Top2Accuracy)
	}
	t.Log("\n" + b.String())
}

// TestDefaultReport logs the default model's full report on (a).
func TestDefaultReport(t *testing.T) {
	m, dev := shippedModel(t)
	var b strings.Builder
	if err := Evaluate(m, dev).WriteText(&b); err != nil {
		t.Fatalf("WriteText: %v", err)
	}
	for _, want := range []string{"macro-F1", "confusion", "errors caught"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	t.Log("\n" + b.String())
}

// TestReviewTradeoff logs, for the default model, the share of
// suggestions flagged and of errors caught at each review threshold, on
// held-out data: (a) and (b) as in TestMethodComparison, and (c) the
// shipped examples' own cross-validation. DefaultReviewThreshold was
// chosen from it.
func TestReviewTradeoff(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("trains 11 models; figures only")
	}
	ms, shipped, dev := aleksotas(t)
	shipped = beforeDev(shipped, dev)
	opt := Options{ReviewThreshold: -1}
	m, err := Train(ms, shipped, opt)
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	var a []prediction
	for _, e := range dev {
		r, _ := m.classify(e.Text, false)
		a = append(a, prediction{ex: e, res: r})
	}
	b, _, err := crossPredict(ms, shipped, dev, 5, 1, opt, defaultHyper())
	if err != nil {
		t.Fatalf("crossPredict: %v", err)
	}
	c, _, err := crossPredict(ms, nil, shipped, 5, 1, opt, defaultHyper())
	if err != nil {
		t.Fatalf("crossPredict: %v", err)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "threshold | (a) flagged caught | (b) flagged caught | (c) flagged caught\n")
	for _, th := range []float64{0.75, 0.85, 0.9, 0.95, 0.97, 0.98} {
		fmt.Fprintf(&sb, "%9.2f |", th)
		for _, ps := range [][]prediction{a, b, c} {
			flagged, wrong, caught := tradeoff(ps, below(th))
			fmt.Fprintf(&sb, " %5.1f%% %2d/%-2d      |", 100*float64(flagged)/float64(len(ps)), caught, wrong)
		}
		sb.WriteByte('\n')
	}
	t.Log("\n" + sb.String())
}

// tradeoff counts the predictions flag sends to review, the wrong ones,
// and the wrong ones it sends.
func tradeoff(ps []prediction, flag func(prediction) bool) (flagged, wrong, caught int) {
	for _, p := range ps {
		in := flag(p)
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

// below flags a prediction whose confidence is below the review threshold th.
func below(th float64) func(prediction) bool {
	return func(p prediction) bool { return p.res.Confidence < th }
}
