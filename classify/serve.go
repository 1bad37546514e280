package classify

import "math"

// pack lays the components' weights out row by row (row r holds every
// component's k weights side by side), so that scoring a text touches each
// of its features' memory once instead of once per component.
func (m *Model) pack() {
	k, nc := len(m.labels), len(m.comps)
	stride := nc * k
	m.packed = make([]float32, m.vocab.size()*stride)
	for ci, c := range m.comps {
		for r := 0; r < m.vocab.size(); r++ {
			copy(m.packed[r*stride+ci*k:r*stride+ci*k+k], c.w[r*k:r*k+k])
		}
		c.w = nil // only the packed copy is used from here on
	}
}

// row returns component ci's weights for vocabulary row r.
func (m *Model) row(ci int, r int32) []float32 {
	k := len(m.labels)
	off := int(r)*len(m.comps)*k + ci*k
	return m.packed[off : off+k]
}

// logitsAll writes every component's calibrated logits for sc.s into
// sc.acc (component ci at [ci·k, ci·k+k)) in one pass over the features.
// The L2 normalisation of tf-idf vectors is a scalar per component, so it
// is applied to the sums at the end rather than to each feature.
func (m *Model) logitsAll(sc *scratch) []float64 {
	k, nc := len(m.labels), len(m.comps)
	stride := nc * k
	sc.acc = resize(sc.acc, stride)
	sc.acc32 = resize(sc.acc32, stride)
	clear(sc.acc32)
	// xw[ci][kind] is the factor applied to a feature of that kind in
	// component ci: 0 if unused, else the tf-idf group weight (or 1).
	var xw [maxComponents][numKinds]float32
	var norm, count [maxComponents]float64
	for ci, comp := range m.comps {
		for kind := featureKind(1); kind < numKinds; kind++ {
			switch {
			case !comp.kinds.has(kind):
			case comp.tfidf:
				xw[ci][kind] = comp.groupW[kind]
			default:
				xw[ci][kind] = 1
			}
		}
	}
	s := sc.s
	acc := sc.acc32
	for i, r := range s.rows {
		kind := s.kinds[i]
		c := s.vals[i]
		lt := m.vocab.idf[r]
		if c > 1 {
			lt *= sublinearTF(c)
		}
		row := m.packed[int(r)*stride : int(r)*stride+stride]
		for ci := 0; ci < nc; ci++ {
			f := xw[ci][kind]
			if f == 0 {
				continue
			}
			x := c
			if m.comps[ci].tfidf {
				x = lt * f
				norm[ci] += float64(x) * float64(x)
			}
			count[ci] += float64(c)
			a := acc[ci*k : ci*k+k]
			w := row[ci*k : ci*k+k]
			for j := range a {
				a[j] += x * w[j]
			}
		}
	}
	for ci, comp := range m.comps {
		scale := 1.0
		if comp.tfidf && norm[ci] > 0 {
			scale = 1 / math.Sqrt(norm[ci])
		}
		post := comp.temp
		if comp.lenDiv {
			post /= math.Sqrt(math.Max(count[ci], 1))
		}
		for j := ci * k; j < ci*k+k; j++ {
			sc.acc[j] = (float64(acc[j])*scale + comp.b[j-ci*k]) * post
		}
	}
	return sc.acc
}

// maxComponents bounds the ensemble size (three methods today).
const maxComponents = 4

// sublinearTF is the tf-idf weight of a count c > 1: 1 + ln c. Counts are
// whole numbers, mostly small: those come from a table.
func sublinearTF(c float32) float32 {
	if i := int(c); i < len(tfTable) && float32(i) == c {
		return tfTable[i]
	}
	return 1 + float32(math.Log(float64(c)))
}

var tfTable = func() (t [64]float32) {
	for i := 1; i < len(t); i++ {
		t[i] = 1 + float32(math.Log(float64(i)))
	}
	return t
}()
