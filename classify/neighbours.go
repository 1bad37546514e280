package classify

import (
	"math"
	"slices"
)

// A linear model weighs each word the same in every text, and it is most
// wrong with confidence where a text has the words of one measure and the
// ask of another, or argues one measure against another. The examples
// most like a text are a second opinion of another kind: when most of
// their similarity lies on other labels than the answer, staff should
// look at it, however sure the model is ("similar suggestions were filed
// elsewhere"). By author this catches errors the confidence alone lets
// through at the same share flagged (doc.go, round 20).
//
// Similarity is the cosine of tf-idf vectors over the word stems (and
// the rejected stems, "not X") of the training examples and staff
// corrections: not the measures' descriptions, which are not residents'
// texts.

// neighbourIndex finds a text's nearest training examples.
type neighbourIndex struct {
	start []int32    // per vocabulary row r, its postings are [start[r], start[r+1])
	post  []nearPost // the examples with the row
	label []uint8    // per example: its class
}

// nearKind reports whether features of kind k are among those the
// similarity is over.
func nearKind(k featureKind) bool { return k == kindStem || k == kindNeg }

// nearWeight is a row's tf-idf weight for count c.
func nearWeight(c, idf float32) float32 { return (1 + float32(math.Log(float64(c)))) * idf }

// buildNeighbours indexes docs (the examples' feature counts, y their
// classes) over the rows of vocabulary v. It returns nil, no second
// opinion, unless each of k classes has at least minPer examples: with
// fewer, the nearest examples of a text are those of the common labels.
func buildNeighbours(docs []sparse, y []int, k int, v *vocabulary, minPer int) *neighbourIndex {
	per := make([]int, k)
	for _, c := range y {
		per[c]++
	}
	if minPer <= 0 || slices.Min(per) < minPer || k > 255 {
		return nil
	}
	ix := &neighbourIndex{start: make([]int32, v.size()+1), label: make([]uint8, len(docs))}
	for d, s := range docs {
		ix.label[d] = uint8(y[d])
		for i, r := range s.rows {
			if nearKind(s.kinds[i]) {
				ix.start[r+1]++
			}
		}
	}
	for r := 1; r < len(ix.start); r++ {
		ix.start[r] += ix.start[r-1]
	}
	n := ix.start[len(ix.start)-1]
	ix.post = make([]nearPost, n)
	fill := slices.Clone(ix.start[:len(ix.start)-1])
	for d, s := range docs {
		var norm float32
		for i, r := range s.rows {
			if nearKind(s.kinds[i]) {
				w := nearWeight(s.vals[i], v.idf[r])
				norm += w * w
			}
		}
		if norm == 0 {
			continue
		}
		norm = float32(math.Sqrt(float64(norm)))
		for i, r := range s.rows {
			if nearKind(s.kinds[i]) {
				p := fill[r]
				fill[r]++
				ix.post[p] = nearPost{int32(d), nearWeight(s.vals[i], v.idf[r]) / norm}
			}
		}
	}
	return ix
}

// near writes into sc.near, per class, the share of the similarity of
// the text's k nearest examples that lies on that class, from its
// features in sc (counted by the vocabulary). It returns false when the
// text shares no word with any example.
func (ix *neighbourIndex) near(sc *scratch, v *vocabulary, classes, k, budget int) bool {
	sc.near = resize(sc.near, classes)
	clear(sc.near)
	if len(sc.nacc) < len(ix.label) {
		sc.nacc = make([]float32, len(ix.label))
	}
	acc := sc.nacc[:len(ix.label)]
	nb := (len(acc) + 31) >> 5
	if len(sc.nbm) < nb {
		sc.nbm = make([]uint32, nb)
	}
	bm := sc.nbm[:nb]
	s := &sc.s
	// The rarest words first, until the budget of postings is spent: a
	// common word's list is the longest to read, and the rarer words
	// have mostly found the nearest examples by then (by author, a
	// budget of 4,000 let one error of 254 more through than reading
	// everything). A text has tens of words: an insertion sort on their
	// list lengths.
	terms := sc.nterms[:0]
	for i, r := range s.rows {
		if !nearKind(s.kinds[i]) {
			continue
		}
		t := nearTerm{int32(i), ix.start[r+1] - ix.start[r]}
		terms = append(terms, t)
		j := len(terms) - 1
		for ; j > 0 && terms[j-1].n > t.n; j-- {
			terms[j] = terms[j-1]
		}
		terms[j] = t
	}
	sc.nterms = terms
	read := 0
	for _, t := range terms {
		i, n := t.i, int(t.n)
		r := s.rows[i]
		if read+n > budget && read > 0 {
			break
		}
		read += n
		q := nearWeight(s.vals[i], v.idf[r])
		for _, p := range ix.post[ix.start[r]:ix.start[r+1]] {
			a := acc[p.d] + q*p.w
			acc[p.d] = a
			b := &bm[p.d>>5]
			*b = max(*b, math.Float32bits(a))
		}
	}
	// The k best, in a small sorted list; a block of 32 examples none of
	// which beats the k-th best so far is passed over.
	best := sc.nbest[:0]
	var floor float32 // the k-th best so far, once there are k
	for bi, top := range bm {
		if top <= math.Float32bits(floor) {
			continue
		}
		lo := bi << 5
		for d, a := range acc[lo:min(lo+32, len(acc))] {
			if a <= floor {
				continue
			}
			if len(best) < k {
				best = append(best, nearHit{})
			}
			j := len(best) - 1
			for ; j > 0 && best[j-1].sim < a; j-- {
				best[j] = best[j-1]
			}
			best[j] = nearHit{int32(lo + d), a}
			if len(best) == k {
				floor = best[k-1].sim
			}
		}
	}
	clear(acc)
	clear(bm)
	sc.nbest, sc.nread = best, read
	var sum float64
	for _, b := range best {
		sc.near[ix.label[b.doc]] += float64(b.sim)
		sum += float64(b.sim)
	}
	if sum == 0 {
		return false
	}
	for j := range sc.near {
		sc.near[j] /= sum
	}
	return true
}

// Nearest returns the label on which most of the similarity of the
// text's nearest examples lies, and its share of it: what a reviewer is
// told as "similar suggestions were mostly filed under". It is "" when
// the model has no neighbour index or the text shares no word with its
// examples.
func (m *Model) Nearest(text string) (label string, share float64) {
	if m.near == nil {
		return "", 0
	}
	sc := m.features(text)
	defer m.pool.Put(sc)
	if !m.near.near(sc, m.vocab, len(m.labels), m.h.nearK, m.h.nearBudget) {
		return "", 0
	}
	best, _ := top2(sc.near)
	return m.labels[best], sc.near[best]
}

// nearPost is an example with a row and the row's weight in it.
type nearPost struct {
	d int32
	w float32
}

// nearTerm is a word of the text: its index in the text's rows and the
// length of its postings.
type nearTerm struct {
	i, n int32
}

// nearHit is an example and its similarity to the text.
type nearHit struct {
	doc int32
	sim float32
}
