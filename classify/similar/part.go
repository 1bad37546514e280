package similar

import (
	"math"
	"slices"
)

// part holds the vocabulary and themes of one measure: term weights are
// learnt within the measure, so a word every suggestion under it uses
// ("verslas" under entrepreneurship) weighs little there.
type part struct {
	measure string
	vocab   map[string]int32
	terms   []termInfo // by term id
	nodes   int        // node suggestions, the documents of the idf
	themes  map[int64]*theme
}

type termInfo struct {
	stem string
	df   int32 // node suggestions using it
	// The words it came from, for labels: most terms are written one way
	// only (and many just once: names, places, typos), so the first form
	// and its count are kept inline and a map is made only for a second.
	first    string
	firstN   int32
	surfaces map[string]int32 // the other forms
}

// addSurface counts one use of the term written as s.
func (ti *termInfo) addSurface(s string) {
	switch {
	case ti.firstN == 0 || ti.first == s:
		ti.first = s
		ti.firstN++
	default:
		if ti.surfaces == nil {
			ti.surfaces = map[string]int32{}
		}
		ti.surfaces[s]++
	}
}

// eachSurface calls fn with each written form and its count.
func (ti *termInfo) eachSurface(fn func(s string, n int32)) {
	if ti.firstN > 0 {
		fn(ti.first, ti.firstN)
	}
	for s, n := range ti.surfaces {
		fn(s, n)
	}
}

func (t *Themes) part(measure string) *part {
	p, ok := t.parts[measure]
	if !ok {
		p = &part{measure: measure, vocab: map[string]int32{}, themes: map[int64]*theme{}}
		t.parts[measure] = p
	}
	return p
}

// count turns words into sorted term counts, adding new terms to the
// vocabulary. Only content words count.
func (p *part) count(ws []word) []termCount {
	var cs []termCount
	for _, w := range ws {
		if !w.content {
			continue
		}
		id, ok := p.vocab[w.stem]
		if !ok {
			id = int32(len(p.terms))
			p.vocab[w.stem] = id
			p.terms = append(p.terms, termInfo{stem: w.stem})
		}
		p.terms[id].addSurface(w.surface)
		cs = append(cs, termCount{id, 1})
	}
	return sortCounts(cs)
}

func (p *part) addNode(x *doc) {
	p.nodes++
	for _, c := range x.counts {
		p.terms[c.term].df++
	}
}

func (p *part) removeNode(x *doc) {
	p.nodes--
	for _, c := range x.counts {
		p.terms[c.term].df--
	}
}

// idf is the smoothed inverse document frequency ln((1+N)/(1+df)) + 1.
// The + 1 keeps a word every suggestion of the measure uses in play a
// little, which grouped better on the tuning half than dropping it, and
// keeps the first suggestions of a measure from being weightless.
func (p *part) idf(term int32) float64 {
	return p.rarity(term) + 1
}

// rarity is ln((1+N)/(1+df)) alone: 0 for a word every suggestion uses.
// Labels rank by it, so "siūlau" or the place name never names a theme.
func (p *part) rarity(term int32) float64 {
	return math.Log(float64(1+p.nodes) / float64(1+p.terms[term].df))
}

// sortedThemes returns the part's themes by id.
func (p *part) sortedThemes() []*theme {
	out := make([]*theme, 0, len(p.themes))
	for _, th := range p.themes {
		out = append(out, th)
	}
	slices.SortFunc(out, func(a, b *theme) int { return cmpID(a.id, b.id) })
	return out
}

func cmpID(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
