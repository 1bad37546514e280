package similar

import (
	"math"
	"slices"
)

// entry is one weighted term of a sparse vector; vectors are sorted by term.
type entry struct {
	term int32
	w    float64
}

// vec is a sparse vector sorted by term.
type vec []entry

// dot returns the dot product of a and b. When one is much shorter (a
// suggestion against a large theme's sum) it binary-searches the longer,
// so the cost is the short one's length times a logarithm.
func dot(a, b vec) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var s float64
	if len(a)*8 < len(b) {
		for _, e := range a {
			// The first entry of b at or after e.term, by bisection.
			lo, hi := 0, len(b)
			for lo < hi {
				if m := int(uint(lo+hi) >> 1); b[m].term < e.term {
					lo = m + 1
				} else {
					hi = m
				}
			}
			if lo < len(b) && b[lo].term == e.term {
				s += e.w * b[lo].w
			}
			b = b[lo:]
		}
		return s
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].term < b[j].term:
			i++
		case a[i].term > b[j].term:
			j++
		default:
			s += a[i].w * b[j].w
			i++
			j++
		}
	}
	return s
}

// add returns a + k·b as a new vector; entries that cancel to (nearly)
// zero are dropped, so a theme's sum shrinks back when members leave.
func add(a, b vec, k float64) vec {
	out := make(vec, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i].term < b[j].term:
			out = append(out, a[i])
			i++
		case i == len(a) || a[i].term > b[j].term:
			out = append(out, entry{b[j].term, k * b[j].w})
			j++
		default:
			if w := a[i].w + k*b[j].w; math.Abs(w) > 1e-9 {
				out = append(out, entry{a[i].term, w})
			}
			i++
			j++
		}
	}
	return out
}

// termCount is how often a term occurs in one suggestion.
type termCount struct {
	term int32
	n    int32
}

// weigh returns the unit-length TF-IDF vector of counts: sublinear term
// frequency 1+ln(tf), so a word repeated in a long letter does not drown
// the rest, times idf(term).
func weigh(counts []termCount, idf func(int32) float64) vec {
	v := make(vec, 0, len(counts))
	var norm float64
	for _, c := range counts {
		w := (1 + math.Log(float64(c.n))) * idf(c.term)
		if w <= 0 {
			continue
		}
		v = append(v, entry{c.term, w})
		norm += w * w
	}
	if norm == 0 {
		return nil
	}
	norm = math.Sqrt(norm)
	for i := range v {
		v[i].w /= norm
	}
	return v
}

// sortCounts sorts counts by term and merges repeats.
func sortCounts(cs []termCount) []termCount {
	slices.SortFunc(cs, func(a, b termCount) int { return int(a.term - b.term) })
	out := cs[:0]
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].term == c.term {
			out[n-1].n += c.n
			continue
		}
		out = append(out, c)
	}
	return out
}
