package classify

import "math"

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
		sum += p[j]
	}
	if sum > 0 {
		for j := range p {
			p[j] /= sum
		}
	}
}

// none reports whether c leaves probabilities as they are.
func (c calibration) none() bool { return c.temp == 1 && c.other == 0 }
