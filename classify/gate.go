package classify

import "math"

// The other label is not a topic: it is whatever is not a proposal about
// a measure. As one class among eight it is learned like a topic, from
// the few words its examples happen to share, and unseen kinds of other
// mail (a question about one's own benefits, a correction of the strategy
// text) land on the measure whose words they use. The gate is a second,
// binary model, other vs any measure, over the same features with the
// cues weighing more; its probability is mixed into the ensemble's
// P(other), and the measures share the rest in their ensemble proportions.

// trainGate fits the binary other-vs-measure logistic regression.
func trainGate(docs []sparse, y []int, wt []float64, idf []float32, other, rows int, h hyper, xs [][]float32) *component {
	yb := make([]int, len(y))
	for i, c := range y {
		if c == other {
			yb[i] = 1
		}
	}
	g := trainLR(docs, yb, wt, idf, 2, rows, allKinds, h.gateLR, 2, xs)
	g.temp = h.gateTemp
	return g
}

// applyGate mixes the gate's P(other) into sc.p.
func (m *Model) applyGate(sc *scratch) {
	g := m.gate
	sc.x = resize(sc.x, len(sc.s.rows))
	g.vector(sc.s, m.vocab.idf, sc.x)
	z := g.b[1] - g.b[0]
	for i, r := range sc.s.rows {
		if x := sc.x[i]; x != 0 {
			z += float64(x) * float64(g.w[2*r+1]-g.w[2*r])
		}
	}
	q := 1 / (1 + math.Exp(-g.temp*z))
	o := m.other
	po := sc.p[o]
	mixed := m.h.gateMix*q + (1-m.h.gateMix)*po
	rest := 1 - po
	for j := range sc.p {
		switch {
		case j == o:
			sc.p[j] = mixed
		case rest > 0:
			sc.p[j] *= (1 - mixed) / rest
		}
	}
}
