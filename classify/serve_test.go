package classify

import (
	"math"
	"testing"
)

// logits writes c's calibrated logits for s into out (len k), one
// component at a time: the plain form of Model.logitsAll, kept to check it.
func (c *component) logits(m *Model, ci int, s sparse, idf []float32, x []float32, out []float64) {
	n := c.vector(s, idf, x)
	copy(out, c.b)
	for i, r := range s.rows {
		if x[i] == 0 {
			continue
		}
		row := m.row(ci, r)
		xi := float64(x[i])
		for j, wj := range row {
			out[j] += xi * float64(wj)
		}
	}
	scale := c.temp
	if c.lenDiv {
		scale /= math.Sqrt(math.Max(n, 1))
	}
	for j := range out {
		out[j] *= scale
	}
}

func TestLogitsAllMatchesComponents(t *testing.T) {
	m, dev := shippedModel(t)
	k := len(m.labels)
	for _, e := range dev[:20] {
		sc := new(scratch)
		extract(e.Text, m.opt.MaxTokens, m.h.feat, nil, sc)
		m.vocab.count(sc, false)
		got := append([]float64(nil), m.logitsAll(sc)...)
		for ci, c := range m.comps {
			want := make([]float64, k)
			c.logits(m, ci, sc.s, m.vocab.idf, make([]float32, len(sc.s.rows)), want)
			for j := range want {
				if d := math.Abs(got[ci*k+j] - want[j]); d > 1e-4*math.Max(1, math.Abs(want[j])) {
					t.Fatalf("%s: component %v class %s: fused %v, plain %v", e.ID, c.method, m.labels[j], got[ci*k+j], want[j])
				}
			}
		}
	}
}

// TestSublinearTF: the table gives what the formula gives, to the bit.
func TestSublinearTF(t *testing.T) {
	for _, c := range []float32{1, 2, 3, 17, 63, 64, 65, 1000, 2.5} {
		if got, want := sublinearTF(c), 1+float32(math.Log(float64(c))); got != want {
			t.Errorf("sublinearTF(%v) = %v, want %v", c, got, want)
		}
	}
}
