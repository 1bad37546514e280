package classify

import "math"

// sharpen raises the probabilities p to the power t and renormalises them:
// temperature scaling on the log-probabilities, one parameter fitted on
// held-out predictions (see TestTuneCalibration) so that Confidence means
// what it says whatever the ensemble and the gate did to it. t > 1 makes
// the answers more confident, t < 1 less.
func sharpen(p []float64, t float64) {
	var sum float64
	for j, v := range p {
		p[j] = math.Pow(v, t)
		sum += p[j]
	}
	if sum > 0 {
		for j := range p {
			p[j] /= sum
		}
	}
}
