package spam

import (
	"math"
	"sort"
)

// scorer is the sink that adds up a message's weights and keeps the
// strongest spam evidence.
type scorer struct {
	m        *Model
	lex      float64 // sum of lexical weights, before length normalisation
	nLex     int
	shapeSum float64
	words    [MaxEvidence]candidate // strongest lexical features towards spam
	shapes   [MaxEvidence]candidate // strongest shape features towards spam
}

// candidate is one feature that may become Evidence; its name is made
// only if it does.
type candidate struct {
	h          uint64
	w          float64
	ns         byte
	start, end int32  // lexical: the name in the extractor's buffer
	name       string // shape: the count's name and bucket
	lo, hi     int
}

func (s *scorer) lexical(ns byte, h uint64, start, end int32) {
	w := float64(s.m.w[s.m.index(h)])
	s.lex += w
	s.nLex++
	if w > 0 {
		keep(&s.words, candidate{h: h, w: w, ns: ns, start: start, end: end})
	}
}

func (s *scorer) shape(h uint64, name string, lo, hi int) {
	w := float64(s.m.w[s.m.index(h)])
	s.shapeSum += w
	if w > 0 {
		keep(&s.shapes, candidate{h: h, w: w, name: name, lo: lo, hi: hi})
	}
}

// lexNorm is the factor applied to lexical weights: 1/√n for n lexical
// features, so a long letter does not pile up evidence just by being
// long, while the shape features, one per count, keep their full weight.
func (s *scorer) lexNorm() float64 {
	if s.nLex == 0 {
		return 0
	}
	return 1 / math.Sqrt(float64(s.nLex))
}

func (s *scorer) margin() float64 {
	return s.m.bias + s.lex*s.lexNorm() + s.shapeSum
}

// keep puts c among the strongest candidates in top, adding it to an
// entry of the same feature (a word said twice counts twice).
func keep(top *[MaxEvidence]candidate, c candidate) {
	weakest := 0
	for i := range top {
		if top[i].h == c.h && top[i].w > 0 {
			top[i].w += c.w
			return
		}
		if top[i].w < top[weakest].w {
			weakest = i
		}
	}
	if c.w > top[weakest].w {
		top[weakest] = c
	}
}

// evidence names the strongest candidates, strongest first.
func (s *scorer) evidence(buf []byte) []Evidence {
	norm := s.lexNorm()
	var all []Evidence
	for _, c := range s.words {
		if c.w > 0 {
			all = append(all, Evidence{Feature: lexName(c.ns, buf[c.start:c.end]), Weight: c.w * norm})
		}
	}
	for _, c := range s.shapes {
		if c.w > 0 {
			all = append(all, Evidence{Feature: shapeName(c.name, c.lo, c.hi), Weight: c.w})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Weight != all[j].Weight {
			return all[i].Weight > all[j].Weight
		}
		return all[i].Feature < all[j].Feature
	})
	return all[:min(len(all), MaxEvidence)]
}

// lexName renders a lexical feature for Evidence.
func lexName(ns byte, b []byte) string {
	switch ns {
	case nsPrefix:
		return string(b) + "…"
	case nsSubject:
		return "subject:" + string(b)
	case nsDomain:
		return "link:" + string(b)
	}
	return string(b)
}
