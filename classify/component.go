package classify

import "math"

// kindMask selects feature kinds: bit k set means featureKind k is used.
type kindMask uint8

func (m kindMask) has(k featureKind) bool { return m&(1<<k) != 0 }

const (
	wordKinds = kindMask(1<<kindStem | 1<<kindPrefix | 1<<kindNeg | 1<<kindCue)
	gramKinds = kindMask(1 << kindGram)
	allKinds  = wordKinds | gramKinds
)

// component is one linear scorer over the shared vocabulary: naive Bayes,
// complement naive Bayes and logistic regression all reduce to
// score_k = b_k + Σ x_f·w_fk, differing in the transform x of the counts.
type component struct {
	method Method
	kinds  kindMask
	tfidf  bool              // x = (1+ln tf)·idf, L2-normalised; else raw counts
	lenDiv bool              // divide scores by √(feature count): NB's log-likelihoods grow with length
	groupW [numKinds]float32 // weight of each feature kind in the tf-idf vector
	k      int
	w      []float32 // rows × k while training; then moved to Model.packed
	b      []float64
	temp   float64 // softmax temperature multiplier (calibration)
}

// vector writes c's transform of s into x (len(s.rows)); features of
// kinds c does not use get 0. It returns the sum of raw counts used.
func (c *component) vector(s sparse, idf []float32, x []float32) float64 {
	var n, norm float64
	for i, r := range s.rows {
		k := s.kinds[i]
		if !c.kinds.has(k) {
			x[i] = 0
			continue
		}
		n += float64(s.vals[i])
		if !c.tfidf {
			x[i] = s.vals[i]
			continue
		}
		v := idf[r] * c.groupW[k]
		if s.vals[i] > 1 {
			v *= sublinearTF(s.vals[i])
		}
		x[i] = v
		norm += float64(v) * float64(v)
	}
	if c.tfidf && norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range x {
			x[i] *= inv
		}
	}
	return n
}

// softmax turns logits into probabilities in place.
func softmax(v []float64) {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	var sum float64
	for i, x := range v {
		v[i] = math.Exp(x - m)
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}
