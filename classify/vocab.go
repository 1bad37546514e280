package classify

import "math"

// sparse is a text as (row, count) pairs over the model's vocabulary,
// with the kind of each row's feature.
type sparse struct {
	rows  []int32
	vals  []float32
	kinds []featureKind
}

// hash identifies the text s was counted from: the same text, or one
// that differs only in what features ignore (case, diacritics, spacing,
// unknown words), hashes the same.
func (s *sparse) hash() uint64 {
	h := uint64(14695981039346656037)
	for i, r := range s.rows {
		h = (h ^ uint64(uint32(r))) * 1099511628211
		h = (h ^ uint64(math.Float32bits(s.vals[i]))) * 1099511628211
	}
	return h
}

// vocabulary maps feature hashes to dense row numbers. Only features seen
// in training get a row: an unseen feature cannot move a linear score.
type vocabulary struct {
	index *hashIndex
	kind  []featureKind
	df    []float32 // training documents containing the feature
	idf   []float32
}

func newVocabulary() *vocabulary {
	return &vocabulary{index: newHashIndex(1 << 14)}
}

func (v *vocabulary) size() int { return len(v.kind) }

// scratch holds one classification's (or one training document's)
// buffers, so that the hot path does not allocate per feature.
type scratch struct {
	tokens []string
	negs   []bool // per token: it lies in a rejected stretch
	asks   []bool // per word: it lies in a sentence that asks (askSentences)
	words  []word
	cues   cueSet
	feats  []feature
	buf    []byte
	occ    []int32  // row of each feature occurrence, -1 if unknown
	stamp  []uint32 // per row: the gen in which it was last counted
	pos    []int32  // per row: its index in s for that gen
	gen    uint32
	s      sparse
	x      []float32
	p, tmp []float64
	acc    []float64
	acc32  []float32
	// the nearest examples (neighbours.go)
	near   []float64 // per class: its share of the nearest's similarity
	nacc   []float32 // per example: similarity so far, 0 between texts
	nbest  []nearHit
	nterms []nearTerm // the text's words, rarest first
	nread  int        // postings read for the text
	nbm    []uint32   // per block of 32 examples: the bits of its greatest nacc
}

// count turns sc.feats into sc.s (counts over rows) and sc.occ. With
// intern, unseen features get new rows and document frequencies are
// updated (training); otherwise they are dropped (classification).
func (v *vocabulary) count(sc *scratch, intern bool) {
	sc.gen++
	if sc.gen == 0 {
		clear(sc.stamp)
		sc.gen = 1
	}
	s := &sc.s
	s.rows, s.vals, s.kinds = s.rows[:0], s.vals[:0], s.kinds[:0]
	sc.occ = sc.occ[:0]
	var prev uint64
	r := int32(-1)
	for i, f := range sc.feats {
		switch {
		case f.row > 0:
			r = f.row - 1
		case i > 0 && f.h == prev:
			// A repeated feature (a word of an asking sentence) has the
			// row it had a moment ago.
		case intern:
			var added bool
			r, added = v.index.intern(f.h)
			if added {
				v.kind = append(v.kind, f.kind)
				v.df = append(v.df, 0)
			}
		default:
			r = v.index.get(f.h)
		}
		prev = f.h
		sc.occ = append(sc.occ, r)
		if r < 0 {
			continue
		}
		if int(r) >= len(sc.stamp) {
			n := max(2*len(sc.stamp), int(r)+1, 1024)
			sc.stamp = append(sc.stamp, make([]uint32, n-len(sc.stamp))...)
			sc.pos = append(sc.pos, make([]int32, n-len(sc.pos))...)
		}
		if sc.stamp[r] == sc.gen {
			s.vals[sc.pos[r]]++
			continue
		}
		sc.stamp[r] = sc.gen
		sc.pos[r] = int32(len(s.rows))
		s.rows = append(s.rows, r)
		s.vals = append(s.vals, 1)
		s.kinds = append(s.kinds, f.kind)
		if intern {
			v.df[r]++
		}
	}
}

// clone copies s out of a scratch buffer.
func (s sparse) clone() sparse {
	return sparse{
		rows:  append([]int32(nil), s.rows...),
		vals:  append([]float32(nil), s.vals...),
		kinds: append([]featureKind(nil), s.kinds...),
	}
}

// finish computes smoothed inverse document frequencies.
func (v *vocabulary) finish(ndocs int) {
	v.idf = make([]float32, len(v.df))
	for i, d := range v.df {
		v.idf[i] = float32(math.Log(float64(ndocs+1)/float64(d+1)) + 1)
	}
}
