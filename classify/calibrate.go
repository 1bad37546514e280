package classify

import (
	"fmt"
	"math"
	"slices"
)

// calibration is the last step of every answer, fitted on predictions
// for authors the model was not trained on (TestTuneByAuthor) so that
// Confidence means what it says whatever the ensemble and the gate did to
// it: temperature scaling of the log-probabilities, and a prior for the
// other label. Other is a mixture of unlike kinds of mail (questions about
// one's own case, thanks, adverts, corrections of the text), so its
// examples share fewer words than a measure's and a new author's other
// mail gets less probability than it deserves: filed under a measure, or
// right but unsure and flagged.
type calibration struct {
	temp  float64 // p ∝ p^temp: > 1 makes the answers more confident, < 1 less
	other float64 // and P(other) ∝ p_other^temp · e^other
	// bias: p_j ∝ … · e^bias[j], per label index (nil: none). It comes
	// from Options.LabelBias, which ShippedLabelBias gives for a shipped
	// example set: new authors' texts are drawn more to some measures of
	// a set than to others, which one prior for other does not correct.
	bias []float64
}

// apply calibrates the probabilities p in place; other is the other
// label's index.
func (c calibration) apply(p []float64, other int) {
	var sum float64
	for j, v := range p {
		p[j] = math.Pow(v, c.temp)
		if j == other {
			p[j] *= math.Exp(c.other)
		}
		if c.bias != nil {
			p[j] *= math.Exp(c.bias[j])
		}
		sum += p[j]
	}
	if sum > 0 {
		for j := range p {
			p[j] /= sum
		}
	}
}

// none reports whether c leaves probabilities as they are.
func (c calibration) none() bool { return c.temp == 1 && c.other == 0 && c.bias == nil }

// labelBias turns Options.LabelBias into calibration.bias for labels
// (nil for none), rejecting a code that is not one of them.
func labelBias(codes map[string]float64, labels []string) ([]float64, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	bias := make([]float64, len(labels))
	for code, b := range codes {
		j := slices.Index(labels, code)
		if j < 0 {
			return nil, fmt.Errorf("label bias for %q: not a measure code or the other label", code)
		}
		if math.IsNaN(b) || math.IsInf(b, 0) {
			return nil, fmt.Errorf("label bias for %q: %v is not a number", code, b)
		}
		bias[j] = b
	}
	return bias, nil
}
