package spam

import (
	"cmp"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
)

// Example is one labelled message for Train.
type Example struct {
	Subject, Text string
	Hints         Hints
	Spam          bool
	// Weight scales the example's loss; 0 counts as 1. The training
	// program uses it to balance the classes and to give residents' mail,
	// the side that must never be lost, more say than its numbers.
	Weight float64
}

// TrainOptions are Train's hyper-parameters; the zero value of each
// field takes the default shown.
type TrainOptions struct {
	Bits   int     // log2 of the number of weights (16: 65,536 weights, 128 KiB in the file)
	Epochs int     // passes over the examples (20)
	Lambda float64 // L2 regularisation per example (1e-5)
	Rate   float64 // initial learning rate (0.1)
	Seed   uint64  // the shuffle's seed: the same seed and examples give the same model, byte for byte
}

func (o TrainOptions) withDefaults() TrainOptions {
	o.Bits = cmp.Or(o.Bits, 16)
	o.Epochs = cmp.Or(o.Epochs, 20)
	o.Lambda = cmp.Or(o.Lambda, 1e-5)
	o.Rate = cmp.Or(o.Rate, 0.1)
	return o
}

// Train fits L2-regularised logistic regression on the examples' hashed
// features by stochastic gradient descent, and returns the average of
// the weights over the second half of the epochs (averaging smooths the
// last steps' noise). The model's calibration is the identity (A=1, B=0)
// with thresholds at 0.5: the training program replaces it with one
// fitted on held-out margins. The weights come back already quantised as
// MarshalBinary stores them.
func Train(examples []Example, opt TrainOptions) (*Model, error) {
	opt = opt.withDefaults()
	if opt.Bits < 8 || opt.Bits > 24 {
		return nil, errors.New("train spam model: Bits out of range 8-24")
	}
	var pos, neg bool
	for _, ex := range examples {
		pos = pos || ex.Spam
		neg = neg || !ex.Spam
	}
	if !pos || !neg {
		return nil, errors.New("train spam model: need both spam and ham examples")
	}
	m := &Model{bits: uint(opt.Bits), cal: Calibration{A: 1, Unsure: 0.5, Spam: 0.5}}
	// Weights are relative: scaled to a mean of 1, so the learning rate
	// means the same whatever the caller's scale.
	meanW := 0.0
	for _, ex := range examples {
		meanW += exampleWeight(ex)
	}
	meanW /= float64(len(examples))
	xs := make([]sparse, len(examples))
	for i, ex := range examples {
		xs[i] = m.vector(ex)
	}

	n := 1 << opt.Bits
	w := make([]float64, n)
	avg := make([]float64, n)
	var b, avgB float64
	// w holds the weights divided by scale, so the L2 shrink of every
	// weight at every step costs one multiplication.
	scale := 1.0
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed5ba4))
	t := 0.0
	averaged := 0
	for ep := 0; ep < opt.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, d := range order {
			eta := opt.Rate / (1 + opt.Rate*opt.Lambda*t)
			t++
			x := xs[d]
			z := b
			for k, idx := range x.idx {
				z += float64(x.val[k]) * w[idx] * scale
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if examples[d].Spam {
				y = 1
			}
			g := exampleWeight(examples[d]) / meanW * (p - y)
			scale *= 1 - eta*opt.Lambda
			if scale < 1e-9 {
				for i := range w {
					w[i] *= scale
				}
				scale = 1
			}
			step := eta * g / scale
			for k, idx := range x.idx {
				w[idx] -= step * float64(x.val[k])
			}
			b -= eta * g
		}
		if 2*(ep+1) > opt.Epochs {
			for i := range w {
				avg[i] += w[i] * scale
			}
			avgB += b
			averaged++
		}
	}
	m.w = make([]float32, n)
	for i := range avg {
		m.w[i] = float32(avg[i] / float64(averaged))
	}
	m.bias = avgB / float64(averaged)
	// Round-trip through the file format: the quantised weights are the
	// ones every figure is measured on.
	data, err := m.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return Load(data)
}

func exampleWeight(ex Example) float64 {
	if ex.Weight == 0 {
		return 1
	}
	return ex.Weight
}

// sparse is one example's feature vector: distinct buckets, ascending.
type sparse struct {
	idx []uint32
	val []float32
}

// collector is the sink that builds a sparse vector.
type collector struct {
	m      *Model
	lex    []uint32
	shapes []uint32
}

func (c *collector) lexical(_ byte, h uint64, _, _ int32) { c.lex = append(c.lex, c.m.index(h)) }
func (c *collector) shape(h uint64, _ string, _, _ int)   { c.shapes = append(c.shapes, c.m.index(h)) }

// vector is ex's features as Score weighs them: lexical ones at 1/√n
// each (see scorer.lexNorm), shape ones at 1, repeats added up.
func (m *Model) vector(ex Example) sparse {
	c := collector{m: m}
	extract(ex.Subject, ex.Text, ex.Hints, &c)
	type fv struct {
		idx uint32
		val float32
	}
	all := make([]fv, 0, len(c.lex)+len(c.shapes))
	norm := float32(0)
	if len(c.lex) > 0 {
		norm = float32(1 / math.Sqrt(float64(len(c.lex))))
	}
	for _, i := range c.lex {
		all = append(all, fv{i, norm})
	}
	for _, i := range c.shapes {
		all = append(all, fv{i, 1})
	}
	slices.SortFunc(all, func(a, b fv) int { return int(a.idx) - int(b.idx) })
	var s sparse
	for _, f := range all {
		if k := len(s.idx) - 1; k >= 0 && s.idx[k] == f.idx {
			s.val[k] += f.val
			continue
		}
		s.idx = append(s.idx, f.idx)
		s.val = append(s.val, f.val)
	}
	return s
}
