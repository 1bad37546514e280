package classify

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// LabelStats are one label's figures in a Report.
type LabelStats struct {
	Label     string
	Precision float64
	Recall    float64
	F1        float64
	Support   int // examples with this true label
}

// Miss is one wrongly classified example.
type Miss struct {
	ID         string
	Want       string // true label
	Got        string
	Secondary  string
	Confidence float64
	Flagged    bool // NeedsReview was set, so a person would have seen it
}

// Report summarises a model's results on labelled examples.
type Report struct {
	N            int
	Accuracy     float64
	MacroF1      float64 // unweighted mean of the labels' F1 (labels with support or predictions)
	Top2Accuracy float64 // true label among the two most probable
	Labels       []string
	PerLabel     []LabelStats
	Confusion    [][]int // [true][predicted], both in Labels order
	// ReviewShare is the share of results flagged NeedsReview.
	ReviewShare float64
	// ErrorsCaught is the share of wrong results that were flagged, i.e.
	// that a person reviewing flagged items would have corrected.
	ErrorsCaught float64
	// UnflaggedAccuracy is the accuracy of results not flagged: what goes
	// through without a person looking.
	UnflaggedAccuracy float64
	// SecondaryShare is the share of results that name a Secondary;
	// SecondaryHits the share of wrong results whose Secondary is the
	// true label (a reviewer then only has to swap the two).
	SecondaryShare float64
	SecondaryHits  float64
	// CloseShare is the share of results with Close set.
	CloseShare float64
	// Reliability is the reliability diagram: results binned by
	// Confidence, each bin's mean Confidence against its accuracy. For a
	// calibrated model the two agree in every bin.
	Reliability []ReliabilityBin
	// ECE is the expected calibration error: the bins' |accuracy −
	// mean confidence|, weighted by their share of results.
	ECE    float64
	Misses []Miss
	// Err is set when CrossValidate could not train a fold (a bad label);
	// the figures are then empty.
	Err error
}

// ReliabilityBin is one bin of Report.Reliability: the N results whose
// Confidence lies in [Lo, Hi) (the last bin includes 1).
type ReliabilityBin struct {
	Lo, Hi     float64
	N          int
	Confidence float64 // mean Confidence of the bin's results
	Accuracy   float64 // share of them that were right
}

// reliabilityBins is the number of equal-width confidence bins.
const reliabilityBins = 10

// tally accumulates predictions into a Report.
type tally struct {
	labels  []string
	index   map[string]int
	conf    [][]int
	n       int
	correct int
	top2    int
	flagged int
	wrong   int
	caught  int
	okUnfl  int
	second  int
	close   int
	secHit  int
	misses  []Miss
	binN    [reliabilityBins]int
	binConf [reliabilityBins]float64
	binOK   [reliabilityBins]int
}

func newTally(labels []string) *tally {
	t := &tally{labels: labels, index: make(map[string]int, len(labels))}
	for i, l := range labels {
		t.index[l] = i
	}
	t.conf = make([][]int, len(labels))
	for i := range t.conf {
		t.conf[i] = make([]int, len(labels))
	}
	return t
}

// add records the result r (with class probabilities p, nil if
// degenerate) for example e.
func (t *tally) add(e Example, r Result, p []float64) {
	t.n++
	wi, wok := t.index[e.Label]
	gi := t.index[r.Label]
	if wok {
		t.conf[wi][gi]++
	}
	ok := r.Label == e.Label
	b := min(int(r.Confidence*reliabilityBins), reliabilityBins-1)
	t.binN[b]++
	t.binConf[b] += r.Confidence
	if ok {
		t.binOK[b]++
	}
	if r.NeedsReview {
		t.flagged++
	}
	if r.Secondary != "" {
		t.second++
	}
	if r.Close {
		t.close++
	}
	in2 := ok
	if !ok && p != nil && wok {
		a, b := top2(p)
		in2 = wi == a || wi == b
	}
	if in2 {
		t.top2++
	}
	switch {
	case ok:
		t.correct++
		if !r.NeedsReview {
			t.okUnfl++
		}
	default:
		t.wrong++
		if r.NeedsReview {
			t.caught++
		}
		if r.Secondary == e.Label {
			t.secHit++
		}
		t.misses = append(t.misses, Miss{ID: e.ID, Want: e.Label, Got: r.Label, Secondary: r.Secondary, Confidence: r.Confidence, Flagged: r.NeedsReview})
	}
}

func (t *tally) report() Report {
	rep := Report{N: t.n, Labels: t.labels, Confusion: t.conf, Misses: t.misses}
	if t.n == 0 {
		return rep
	}
	rep.Accuracy = float64(t.correct) / float64(t.n)
	rep.Top2Accuracy = float64(t.top2) / float64(t.n)
	rep.ReviewShare = float64(t.flagged) / float64(t.n)
	rep.SecondaryShare = float64(t.second) / float64(t.n)
	rep.CloseShare = float64(t.close) / float64(t.n)
	if t.wrong > 0 {
		rep.ErrorsCaught = float64(t.caught) / float64(t.wrong)
		rep.SecondaryHits = float64(t.secHit) / float64(t.wrong)
	} else {
		rep.ErrorsCaught = 1
	}
	if unfl := t.n - t.flagged; unfl > 0 {
		rep.UnflaggedAccuracy = float64(t.okUnfl) / float64(unfl)
	}
	for b := range t.binN {
		bin := ReliabilityBin{Lo: float64(b) / reliabilityBins, Hi: float64(b+1) / reliabilityBins, N: t.binN[b]}
		if bin.N > 0 {
			bin.Confidence = t.binConf[b] / float64(bin.N)
			bin.Accuracy = float64(t.binOK[b]) / float64(bin.N)
			rep.ECE += float64(bin.N) / float64(t.n) * math.Abs(bin.Accuracy-bin.Confidence)
		}
		rep.Reliability = append(rep.Reliability, bin)
	}
	var f1sum float64
	var nf1 int
	for i, l := range t.labels {
		var tp, fp, fn int
		for j := range t.labels {
			switch {
			case i == j:
				tp = t.conf[i][i]
			default:
				fn += t.conf[i][j]
				fp += t.conf[j][i]
			}
		}
		st := LabelStats{Label: l, Support: tp + fn}
		if tp+fp > 0 {
			st.Precision = float64(tp) / float64(tp+fp)
		}
		if tp+fn > 0 {
			st.Recall = float64(tp) / float64(tp+fn)
		}
		if st.Precision+st.Recall > 0 {
			st.F1 = 2 * st.Precision * st.Recall / (st.Precision + st.Recall)
		}
		rep.PerLabel = append(rep.PerLabel, st)
		if tp+fn+fp > 0 {
			f1sum += st.F1
			nf1++
		}
	}
	if nf1 > 0 {
		rep.MacroF1 = f1sum / float64(nf1)
	}
	return rep
}

// Evaluate classifies every test example with m and reports the results.
func Evaluate(m *Model, test []Example) Report {
	t := newTally(m.labels)
	for _, e := range test {
		r, p := m.classify(e.Text, true)
		t.add(e, r, p)
	}
	return t.report()
}

// CrossValidate splits eval into k folds (shuffled with seed); each fold is
// classified by a model trained on train plus the other folds. The pooled
// results make one Report. k is clamped to 2..len(eval).
func CrossValidate(measures []Measure, train, eval []Example, k int, seed int64, opt Options) Report {
	return crossValidate(measures, train, eval, k, seed, opt, defaultHyper())
}

func crossValidate(measures []Measure, trainSet, eval []Example, k int, seed int64, opt Options, h hyper) Report {
	preds, labels, err := crossPredict(measures, trainSet, eval, k, seed, opt, h)
	if err != nil {
		return Report{Err: err}
	}
	return reportOf(labels, preds)
}

// reportOf is the Report of predictions made elsewhere (held out by
// fold, by author, recalibrated).
func reportOf(labels []string, preds []prediction) Report {
	t := newTally(labels)
	for _, p := range preds {
		t.add(p.ex, p.res, p.probs)
	}
	return t.report()
}

// prediction is one held-out example's result.
type prediction struct {
	ex    Example
	res   Result
	probs []float64
}

// crossPredict runs k-fold cross-validation and returns each eval
// example's held-out prediction, in fold order.
func crossPredict(measures []Measure, trainSet, eval []Example, k int, seed int64, opt Options, h hyper) ([]prediction, []string, error) {
	k = min(max(k, 2), len(eval))
	if k < 2 {
		return nil, nil, fmt.Errorf("cross-validate: %d examples, need at least 2", len(eval))
	}
	order := make([]int, len(eval))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5851f42d4c957f2d))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })

	// Folds train in parallel, at most one per CPU.
	outs := make([][]prediction, k)
	errs := make([]error, k)
	var labels []string
	var once sync.Once
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for f := 0; f < k; f++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(f int) {
			defer wg.Done()
			defer func() { <-sem }()
			tr := append([]Example(nil), trainSet...)
			var te []Example
			for pos, i := range order {
				if pos%k == f {
					te = append(te, eval[i])
				} else {
					tr = append(tr, eval[i])
				}
			}
			m, err := train(measures, tr, nil, opt, h)
			if err != nil {
				errs[f] = fmt.Errorf("cross-validate: fold %d: %w", f+1, err)
				return
			}
			once.Do(func() { labels = m.labels })
			for _, e := range te {
				r, p := m.classify(e.Text, true)
				outs[f] = append(outs[f], prediction{e, r, p})
			}
		}(f)
	}
	wg.Wait()
	var all []prediction
	for f := range outs {
		if errs[f] != nil {
			return nil, nil, errs[f]
		}
		all = append(all, outs[f]...)
	}
	return all, labels, nil
}
