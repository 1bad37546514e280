package classify

import (
	"fmt"
	"os"
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
	ms, shipped, tune := tuneBase(t, "tune2.jsonl")
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
// confidence, or NeedsReview for too few known words.
func inQueue(th float64) func(prediction) bool {
	return func(p prediction) bool { return p.res.Confidence < th || p.res.NeedsReview }
}
