package classify

import (
	"math"
	"sync"
)

// Staff decisions in the console should change the next answer, not the
// one after the nightly retrain. An adapter is a small linear layer over a
// model's word-level features (stems, rejected stems and cues, by hash, so
// words the model never saw count too) whose logits are added to the
// model's before calibration. Learning one decision takes a few gradient
// steps of the log-loss on that text alone, until the decided label is
// the answer with calibrated probability learnTarget: a correction is
// fixed at once, a confirmation barely moves anything. Retrain folds the
// decisions into a full model and starts a new adapter.

const (
	// learnRate is the step on the adapter's weights per gradient step;
	// the text's features are L2-normalised, so one step moves its
	// logits by about learnRate·(p − y).
	learnRate = 1.0
	// learnSteps bounds the steps for one decision.
	learnSteps = 40
	// learnTarget is the calibrated probability of the decided label at
	// which learning one decision stops: above DefaultReviewThreshold, so
	// a text staff decided is not sent to them again.
	learnTarget = 0.99
)

// adapter holds the weights learned from staff decisions since the last
// full training. It is safe for concurrent use: Classify reads under a
// read lock, learning one decision holds the write lock for microseconds.
type adapter struct {
	mu sync.RWMutex
	k  int
	w  map[uint64][]float32 // feature hash → k logit weights
	n  int                  // decisions learned
	// decided holds the decided texts' features (sparse.hash), so that
	// a text staff decided is not sent back to them by its neighbours.
	decided map[uint64]bool
}

func newAdapter(k int) *adapter {
	return &adapter{k: k, w: make(map[uint64][]float32), decided: make(map[uint64]bool)}
}

// hasDecided reports whether any decision was learned.
func (a *adapter) hasDecided() bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return len(a.decided) > 0
}

// isDecided reports whether a decision was learned for the text whose
// features hash to h.
func (a *adapter) isDecided(h uint64) bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.decided[h]
}

// adaptKinds are the features the adapter uses: one per word (and the
// cues), so that a correction is cheap to learn and to apply.
func adaptKind(k featureKind) bool {
	return k == kindStem || k == kindNeg || k == kindCue
}

// apply adds the adapter's logits for sc.feats to sc.p's.
func (a *adapter) apply(sc *scratch) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if len(a.w) > 0 {
		addLogits(sc.p, a.logits(sc))
	}
}

// addLogits multiplies p by exp(z) and renormalises (nothing for nil z).
func addLogits(p, z []float64) {
	if z == nil {
		return
	}
	var sum float64
	for j := range p {
		p[j] *= math.Exp(z[j])
		sum += p[j]
	}
	for j := range p {
		p[j] /= sum
	}
}

// logits returns the adapter's logits for sc.feats in sc.tmp, or nil when
// no feature has weights. The caller holds a.mu.
func (a *adapter) logits(sc *scratch) []float64 {
	x := adaptNorm(sc)
	z := resize(sc.tmp, a.k)
	clear(z)
	hit := false
	for _, f := range sc.feats {
		if !adaptKind(f.kind) {
			continue
		}
		if w := a.w[f.h]; w != nil {
			hit = true
			for j, v := range w {
				z[j] += x * float64(v)
			}
		}
	}
	sc.tmp = z
	if !hit {
		return nil
	}
	return z
}

// adaptNorm is the value of each adapter feature of sc: 1/√count, so that
// a text's feature vector has length 1 whatever its length.
func adaptNorm(sc *scratch) float64 {
	n := 0
	for _, f := range sc.feats {
		if adaptKind(f.kind) {
			n++
		}
	}
	return 1 / math.Sqrt(float64(max(n, 1)))
}

// learn takes the decision that text is label y, on top of model m. With
// force it takes at least one step, so that a decision the model already
// agreed with still counts; without, it learns only what m does not
// already give with learnTarget.
func (a *adapter) learn(m *Model, text string, y int, force bool) {
	sc := m.features(text)
	defer m.pool.Put(sc)
	k := len(m.labels)
	base := make([]float64, k)
	if len(sc.s.rows) > 0 {
		copy(base, m.baseProbs(sc))
	} else {
		for j := range base {
			base[j] = 1 / float64(k)
		}
	}
	x := float32(adaptNorm(sc))
	p := make([]float64, k)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	a.decided[sc.s.hash()] = true
	for step := 0; step < learnSteps; step++ {
		copy(p, base)
		addLogits(p, a.logits(sc))
		m.h.cal.apply(p, m.other)
		if (step > 0 || !force) && p[y] >= learnTarget {
			return
		}
		// The gradient of −log p_y with respect to the logits is
		// p − onehot(y); calibration only scales it.
		for _, f := range sc.feats {
			if !adaptKind(f.kind) {
				continue
			}
			w := a.w[f.h]
			if w == nil {
				w = make([]float32, a.k)
				a.w[f.h] = w
			}
			for j := range w {
				g := float32(p[j])
				if j == y {
					g--
				}
				w[j] -= learnRate * x * g
			}
		}
	}
}
