package classify

import "math"

// trainNB fits multinomial naive Bayes with additive smoothing alpha and a
// uniform prior: the consultation decides how often each measure comes
// up, not the example set.
func trainNB(docs []sparse, y []int, wt []float64, k, rows int, kinds kindMask, alpha float64) *component {
	c := &component{method: MethodNaiveBayes, kinds: kinds, k: k, lenDiv: true, temp: 1}
	counts := make([]float64, rows*k)
	total := make([]float64, k)
	used := 0
	seen := make([]bool, rows)
	for d, s := range docs {
		for i, r := range s.rows {
			if !kinds.has(s.kinds[i]) {
				continue
			}
			v := float64(s.vals[i]) * wt[d]
			counts[int(r)*k+y[d]] += v
			total[y[d]] += v
			if !seen[r] {
				seen[r] = true
				used++
			}
		}
	}
	c.w = make([]float32, rows*k)
	c.b = make([]float64, k)
	for j := 0; j < k; j++ {
		den := math.Log(total[j] + alpha*float64(used))
		for r := 0; r < rows; r++ {
			if !seen[r] {
				continue
			}
			c.w[r*k+j] = float32(math.Log(counts[r*k+j]+alpha) - den)
		}
	}
	return c
}

// trainCNB fits complement naive Bayes (Rennie et al., 2003) over tf-idf
// vectors: each class is scored by how unlike the other classes' text it
// is, which is steadier than plain NB when classes share vocabulary, and
// the weights are normalised so no class wins by having longer examples.
func trainCNB(docs []sparse, y []int, wt []float64, idf []float32, k, rows int, kinds kindMask, alpha float64) *component {
	c := &component{method: MethodCharNB, kinds: kinds, k: k, tfidf: true, temp: 1}
	c.groupW = [numKinds]float32{1, 1, 1, 1, 1, 1}
	counts := make([]float64, rows*k)
	all := make([]float64, rows)
	total := make([]float64, k)
	var grand float64
	x := make([]float32, 0, 256)
	for d, s := range docs {
		x = x[:0]
		x = append(x, make([]float32, len(s.rows))...)
		c.vector(s, idf, x)
		for i, r := range s.rows {
			v := float64(x[i]) * wt[d]
			if v == 0 {
				continue
			}
			counts[int(r)*k+y[d]] += v
			all[r] += v
			total[y[d]] += v
			grand += v
		}
	}
	c.w = make([]float32, rows*k)
	c.b = make([]float64, k)
	nf := 0
	for r := 0; r < rows; r++ {
		if all[r] > 0 {
			nf++
		}
	}
	for j := 0; j < k; j++ {
		den := math.Log(grand - total[j] + alpha*float64(nf))
		var sum float64
		for r := 0; r < rows; r++ {
			if all[r] == 0 {
				continue
			}
			v := math.Log(all[r]-counts[r*k+j]+alpha) - den
			c.w[r*k+j] = float32(v)
			sum += math.Abs(v)
		}
		// Weight normalisation, then negate: a high complement
		// likelihood means "looks like the other classes".
		for r := 0; r < rows; r++ {
			if all[r] != 0 {
				c.w[r*k+j] = float32(-float64(c.w[r*k+j]) / sum * float64(nf))
			}
		}
	}
	return c
}
