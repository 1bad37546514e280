package classify

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Model is a trained classifier for one strategy's measures. It is
// immutable after Train and safe for concurrent use.
type Model struct {
	labels  []string // class codes; index = class number
	other   int      // index of Options.OtherLabel
	opt     Options
	h       hyper
	vocab   *vocabulary
	words   *wordCache // the features of the common words (wordcache.go)
	comps   []*component
	weights []float64       // ensemble weight of each component
	packed  []float32       // every component's weights, row-major (see pack)
	gate    *component      // other vs any measure (gate.go); nil when off
	near    *neighbourIndex // the examples, to find a text's nearest; nil when too few
	staff   map[uint64]bool // the corrections' features (sparse.hash): texts staff decided
	pool    sync.Pool       // *scratch, so Classify does not allocate per feature
}

// Labels returns the codes the model can answer, measures first in
// configuration order, then the other label if no measure has that code.
func (m *Model) Labels() []string { return append([]string(nil), m.labels...) }

// ErrNoMeasures is returned by Train when no measures are given.
var ErrNoMeasures = errors.New("no measures")

// Train builds a model from the measures (their descriptions and keywords
// are used as pseudo-examples) and labelled examples. Every example's label
// must be a measure code or opt.OtherLabel.
func Train(measures []Measure, examples []Example, opt Options) (*Model, error) {
	return train(measures, examples, nil, opt, defaultHyper())
}

// train is Train with staff corrections (weighted by opt.CorrectionWeight)
// and explicit hyper-parameters.
func train(measures []Measure, examples, corrections []Example, opt Options, h hyper) (*Model, error) {
	opt = opt.withDefaults()
	labels, err := classLabels(measures, opt.OtherLabel)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	m := &Model{labels: labels, opt: opt, h: h, vocab: newVocabulary()}
	class := make(map[string]int, len(labels))
	for i, l := range labels {
		class[l] = i
	}
	m.other = class[opt.OtherLabel]
	if m.h.cal.bias, err = labelBias(opt.LabelBias, labels); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}

	var docs []sparse
	var y []int
	var wt []float64
	sc := new(scratch)
	words := make(wordCounter)
	add := func(text string, label int, w float64) {
		extract(text, opt.MaxTokens, h.feat, nil, sc)
		m.vocab.count(sc, true)
		words.add(sc.tokens)
		docs = append(docs, sc.s.clone())
		y = append(y, label)
		wt = append(wt, w)
	}
	for _, ms := range measures {
		if h.pseudoWeight > 0 {
			add(ms.Title+"\n"+ms.Description+"\n"+strings.Join(ms.Keywords, ", "), class[ms.Code], h.pseudoWeight)
		}
		if h.keywordWeight > 0 {
			for _, kw := range ms.Keywords {
				add(kw, class[ms.Code], h.keywordWeight)
			}
		}
	}
	first := len(docs) // the examples' documents start here
	for set, exs := range [][]Example{examples, corrections} {
		w := 1.0
		if set == 1 {
			w = opt.CorrectionWeight
		}
		for i, e := range exs {
			c, ok := class[strings.TrimSpace(e.Label)]
			if !ok {
				return nil, fmt.Errorf("train: example %d (id %q): label %q is not a measure code or %q", i+1, e.ID, e.Label, opt.OtherLabel)
			}
			add(e.Text, c, w)
		}
	}
	for _, d := range docs[first+len(examples):] {
		if m.staff == nil {
			m.staff = make(map[uint64]bool, len(corrections))
		}
		m.staff[d.hash()] = true
	}
	m.vocab.finish(len(docs))
	m.words = words.build(m.vocab, h.feat)
	k, rows := len(labels), m.vocab.size()

	// The logistic regression takes most of the time; fit it alongside
	// the two naive Bayes models. The gate, a logistic regression too,
	// comes after it and reuses its document vectors (xs): trained at
	// once, the two held two sets of vectors at training's peak.
	method := opt.Method
	var lr *component
	var xs [][]float32
	var wg sync.WaitGroup
	if method == MethodLogistic || method == MethodEnsemble {
		xs = lrVectors(docs)
		wg.Add(1)
		go func() {
			defer wg.Done()
			lr = trainLR(docs, y, wt, m.vocab.idf, k, rows, allKinds, h.lr, 1, xs)
			lr.temp = h.lrTemp
		}()
	}
	if method == MethodNaiveBayes || method == MethodEnsemble {
		c := trainNB(docs, y, wt, k, rows, wordKinds, h.nbAlpha)
		c.temp = h.nbTemp
		m.comps = append(m.comps, c)
		m.weights = append(m.weights, h.ensembleW[0])
	}
	if method == MethodCharNB || method == MethodEnsemble {
		c := trainCNB(docs, y, wt, m.vocab.idf, k, rows, gramKinds, h.cnbAlpha)
		c.temp = h.cnbTemp
		m.comps = append(m.comps, c)
		m.weights = append(m.weights, h.ensembleW[1])
	}
	wg.Wait()
	if h.gateMix > 0 {
		m.gate = trainGate(docs, y, wt, m.vocab.idf, m.other, rows, h, xs)
	}
	if lr != nil {
		m.comps = append(m.comps, lr)
		m.weights = append(m.weights, h.ensembleW[2])
	}
	if len(m.comps) == 0 {
		return nil, fmt.Errorf("train: unknown method %d", method)
	}
	m.near = buildNeighbours(docs[first:], y[first:], k, m.vocab, h.nearMinPer)
	m.pack()
	return m, nil
}

// classLabels returns the measure codes plus other, rejecting empty and
// duplicate codes.
func classLabels(measures []Measure, other string) ([]string, error) {
	if len(measures) == 0 {
		return nil, ErrNoMeasures
	}
	seen := make(map[string]bool, len(measures)+1)
	labels := make([]string, 0, len(measures)+1)
	for i, ms := range measures {
		code := strings.TrimSpace(ms.Code)
		if code == "" || code != ms.Code {
			return nil, fmt.Errorf("measure %d: code %q must be non-empty without surrounding spaces", i+1, ms.Code)
		}
		if seen[code] {
			return nil, fmt.Errorf("measure %d: duplicate code %q", i+1, code)
		}
		seen[code] = true
		labels = append(labels, code)
	}
	if !seen[other] {
		labels = append(labels, other)
	}
	return labels, nil
}

// probs writes the ensemble's class probabilities for sc.s into sc.p:
// the weighted mean of the components' calibrated softmax outputs.
func (m *Model) probs(sc *scratch, ad *adapter) []float64 {
	m.baseProbs(sc)
	if ad != nil {
		ad.apply(sc)
	}
	if !m.h.cal.none() {
		m.h.cal.apply(sc.p, m.other)
	}
	return sc.p
}

// baseProbs writes the ensemble's probabilities with the other gate, before
// calibration, into sc.p.
func (m *Model) baseProbs(sc *scratch) []float64 {
	k := len(m.labels)
	sc.p = resize(sc.p, k)
	clear(sc.p)
	acc := m.logitsAll(sc)
	var wsum float64
	for ci := range m.comps {
		part := acc[ci*k : ci*k+k]
		softmax(part)
		for j, v := range part {
			sc.p[j] += m.weights[ci] * v
		}
		wsum += m.weights[ci]
	}
	for j := range sc.p {
		sc.p[j] /= wsum
	}
	if m.gate != nil {
		m.applyGate(sc)
	}
	return sc.p
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// Classify files one suggestion. It never panics: empty or unreadable
// text gives the other label with Confidence 0 and NeedsReview.
func (m *Model) Classify(text string) Result {
	r, _ := m.classify(text, false)
	return r
}

// classify also returns a copy of the class probabilities when withProbs
// (nil for degenerate input).
func (m *Model) classify(text string, withProbs bool) (Result, []float64) {
	return m.classifyWith(text, nil, withProbs)
}

// classifyWith is classify with the staff's on-line corrections (ad, nil
// for none) applied on top of the model.
func (m *Model) classifyWith(text string, ad *adapter, withProbs bool) (Result, []float64) {
	degenerate := Result{Label: m.labels[m.other], NeedsReview: true}
	if strings.TrimSpace(text) == "" {
		return degenerate, nil
	}
	sc := m.features(text)
	defer m.pool.Put(sc)
	if len(sc.s.rows) == 0 {
		return degenerate, nil
	}
	p := m.probs(sc, ad)
	first, second := top2(p)
	r := Result{Label: m.labels[first], Confidence: p[first],
		Secondary: m.labels[second], SecondaryConfidence: p[second], Close: p[second] >= m.h.closeMin}
	r.NeedsReview = m.opt.ReviewThreshold > 0 && r.Confidence < m.opt.ReviewThreshold ||
		!m.covered(sc)
	// The nearest examples are asked about a result that would go
	// through, unless staff decided this very text: their decision is
	// the answer, whatever the examples like it say.
	asked := m.opt.ReviewThreshold > 0 && !r.NeedsReview && r.Confidence < m.h.nearBelow &&
		!m.decided(&sc.s, ad)
	if m.near != nil && (withProbs || asked) && m.near.near(sc, m.vocab, len(m.labels), m.h.nearK, m.h.nearBudget) {
		if withProbs {
			r.near = make(map[string]float64, len(m.labels))
			for j, l := range m.labels {
				r.near[l] = sc.near[j]
			}
		}
		r.NeedsReview = r.NeedsReview || asked && sc.near[first] < m.h.nearAgree
	}
	r.Evidence = m.evidence(sc, first, second)
	if withProbs {
		return r, append([]float64(nil), p...)
	}
	return r, nil
}

// decided reports whether staff decided the text whose features are s:
// a correction the model was trained with, or a decision ad learned.
func (m *Model) decided(s *sparse, ad *adapter) bool {
	if len(m.staff) == 0 && (ad == nil || !ad.hasDecided()) {
		return false
	}
	h := s.hash()
	return m.staff[h] || ad != nil && ad.isDecided(h)
}

// covered reports whether enough of the text's words are known to the
// model for its answer to mean anything. Text in another language or
// script (English, Russian) shares a few character n-grams with the
// training data by chance, which can give a confident-looking answer; a
// person should look at it.
func (m *Model) covered(sc *scratch) bool {
	known, last := 0, int32(-1)
	for i, f := range sc.feats {
		// Features come token by token; count a token once.
		if (f.kind == kindStem || f.kind == kindPrefix || f.kind == kindNeg) && sc.occ[i] >= 0 && f.tok != last {
			known++
			last = f.tok
		}
	}
	return known >= minKnownWords && known*minKnownShare >= len(sc.tokens) &&
		!(foreign(sc.words) && !sc.cues.has(cueProposal))
}

const (
	// minKnownWords: a text with fewer known words is not classified
	// with confidence.
	minKnownWords = 2
	// minKnownShare: at least 1 in minKnownShare content words must be
	// known (by stem or prefix).
	minKnownShare = 3
)

// top2 returns the indices of the two largest values (ties: lower index).
func top2(p []float64) (int, int) {
	first, second := 0, -1
	for i := 1; i < len(p); i++ {
		switch {
		case p[i] > p[first]:
			first, second = i, first
		case second < 0 || p[i] > p[second]:
			second = i
		}
	}
	if second < 0 {
		second = first
	}
	return first, second
}

const (
	// maxEvidence is how many words a Result cites at most.
	maxEvidence = 5
	// evidenceShare: a cited word pushes at least this share of the
	// strongest word's push.
	evidenceShare = 0.25
)

// evidence returns the tokens whose features push most towards class a
// rather than class b in the last component (the logistic regression in
// the ensemble).
func (m *Model) evidence(sc *scratch, a, b int) []string {
	ci := len(m.comps) - 1
	c := m.comps[ci]
	score := resize(sc.tmp, len(sc.tokens))
	clear(score)
	for i, f := range sc.feats {
		r := sc.occ[i]
		if r < 0 || !c.kinds.has(f.kind) || f.kind == kindCue {
			continue
		}
		w := m.row(ci, r)
		v := float64(w[a] - w[b])
		if c.tfidf {
			v *= float64(m.vocab.idf[r] * c.groupW[f.kind])
		}
		score[f.tok] += v
	}
	sc.tmp = score
	var best [maxEvidence]int
	n := 0
	for i, s := range score {
		if s <= 0 {
			continue
		}
		// A repeated word has the same score each time; cite it once.
		dup := false
		for _, j := range best[:n] {
			dup = dup || sc.tokens[j] == sc.tokens[i]
		}
		if dup {
			continue
		}
		// Insert i keeping best sorted by score, descending.
		pos := n
		for pos > 0 && score[best[pos-1]] < s {
			pos--
		}
		if pos == maxEvidence {
			continue
		}
		if n < maxEvidence {
			n++
		}
		copy(best[pos+1:n], best[pos:n-1])
		best[pos] = i
	}
	// Words far weaker than the strongest (greetings, names) are not
	// evidence a reviewer needs.
	for n > 1 && score[best[n-1]] < evidenceShare*score[best[0]] {
		n--
	}
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i, j := range best[:n] {
		out[i] = strings.Clone(sc.tokens[j])
		if sc.negs[j] {
			// A rejected word is evidence by being rejected.
			out[i] = "ne " + out[i]
		}
	}
	return out
}

// features extracts text's features into a scratch buffer from the pool;
// the caller puts it back.
func (m *Model) features(text string) *scratch {
	sc, _ := m.pool.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	extract(text, m.opt.MaxTokens, m.h.feat, m.words, sc)
	m.vocab.count(sc, false)
	return sc
}
