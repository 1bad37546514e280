package classify

import (
	"math/rand/v2"
)

// lrParams are the logistic regression's hyper-parameters.
type lrParams struct {
	epochs int // passes over small training sets
	// updates caps epochs·documents: a large set (thousands of staff
	// corrections) converges in fewer passes, and this keeps retraining
	// from 10,000 examples well under a second.
	updates int
	eta0    float64 // initial learning rate
	lambda  float64 // L2 regularisation
	groupW  [numKinds]float32
}

// trainLR fits multinomial logistic regression by SGD with L2
// regularisation and a Bottou-style decaying rate, and returns the
// average of the weights over the last half of the epochs (averaging
// smooths the noise of the last updates and generalises better on small
// data). xs holds the documents' vectors while it trains: made when nil
// (see lrVectors), else overwritten, so that trainings one after another
// share one set, the largest thing training holds besides the documents.
func trainLR(docs []sparse, y []int, wt []float64, idf []float32, k, rows int, kinds kindMask, p lrParams, seed uint64, xs [][]float32) *component {
	c := &component{method: MethodLogistic, kinds: kinds, k: k, tfidf: true, temp: 1, groupW: p.groupW}
	if xs == nil {
		xs = lrVectors(docs)
	}
	for d, s := range docs {
		c.vector(s, idf, xs[d])
	}
	w := make([]float64, rows*k)
	b := make([]float64, k)
	avgW := make([]float64, rows*k)
	avgB := make([]float64, k)
	navg := 0
	// w is stored as scale·w to apply the L2 shrink in O(1) per step.
	scale := 1.0
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	prob := make([]float64, k)
	t := 0.0
	epochs := min(p.epochs, max(3, p.updates/max(len(docs), 1)))
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, d := range order {
			eta := p.eta0 / (1 + p.eta0*p.lambda*t)
			t++
			s, x := docs[d], xs[d]
			copy(prob, b)
			for i, r := range s.rows {
				if x[i] == 0 {
					continue
				}
				xi := float64(x[i]) * scale
				row := w[int(r)*k : int(r)*k+k]
				for j := range prob {
					prob[j] += xi * row[j]
				}
			}
			softmax(prob)
			scale *= 1 - eta*p.lambda
			if scale < 1e-6 {
				for i := range w {
					w[i] *= scale
				}
				scale = 1
			}
			g := eta * wt[d]
			for j := range prob {
				prob[j] *= g
			}
			prob[y[d]] -= g
			for j := range b {
				b[j] -= prob[j]
			}
			for i, r := range s.rows {
				if x[i] == 0 {
					continue
				}
				xi := float64(x[i]) / scale
				row := w[int(r)*k : int(r)*k+k]
				for j := range row {
					row[j] -= xi * prob[j]
				}
			}
		}
		if ep >= epochs/2 {
			for i := range w {
				avgW[i] += w[i] * scale
			}
			for j := range b {
				avgB[j] += b[j]
			}
			navg++
		}
	}
	c.w = make([]float32, rows*k)
	for i := range avgW {
		c.w[i] = float32(avgW[i] / float64(navg))
	}
	c.b = make([]float64, k)
	for j := range avgB {
		c.b[j] = avgB[j] / float64(navg)
	}
	return c
}

// lrVectors makes room for the vectors of docs, one slice of one backing
// array per document.
func lrVectors(docs []sparse) [][]float32 {
	n := 0
	for _, s := range docs {
		n += len(s.rows)
	}
	buf := make([]float32, n)
	xs := make([][]float32, len(docs))
	for d, s := range docs {
		xs[d], buf = buf[:len(s.rows):len(s.rows)], buf[len(s.rows):]
	}
	return xs
}
