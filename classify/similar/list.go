package similar

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Theme is what staff and the board see of one theme.
type Theme struct {
	ID      int64
	Measure string
	// Label is staff's name for the theme when Named, else its Words
	// joined with ", ".
	Label string
	Named bool
	// Words are its most telling words: used by many of its suggestions
	// and few of the measure's others.
	Words []string
	// Count is the number of suggestions, copies included: what the
	// board reads as "asked for by N residents".
	Count int
	// Distinct is the number that are not copies of another in the
	// theme: the letters actually written.
	Distinct int
	// Members are the suggestions' ids in ascending order.
	Members []int64
	// Kept: staff edited it, so its pinned members and label stay.
	Kept bool
}

// List returns the themes of measure ("" for all measures), by measure,
// then largest first, then by id.
func (t *Themes) List(measure string) []Theme {
	var out []Theme
	for _, m := range slices.Sorted(maps.Keys(t.parts)) {
		if measure != "" && m != measure {
			continue
		}
		p := t.parts[m]
		start := len(out)
		for _, th := range p.sortedThemes() {
			out = append(out, t.view(th))
		}
		slices.SortStableFunc(out[start:], func(a, b Theme) int { return cmp.Compare(b.Count, a.Count) })
	}
	return out
}

// Theme returns one theme by id.
func (t *Themes) Theme(id int64) (Theme, bool) {
	th, ok := t.themes[id]
	if !ok {
		return Theme{}, false
	}
	return t.view(th), true
}

func (t *Themes) view(th *theme) Theme {
	v := Theme{ID: th.id, Measure: th.part.measure, Named: th.label != "", Count: len(th.members), Distinct: th.nodes, Kept: th.kept}
	v.Members = slices.Sorted(maps.Keys(th.members))
	v.Words = t.words(th)
	v.Label = th.label
	if !v.Named {
		v.Label = strings.Join(v.Words, ", ")
	}
	return v
}

// words picks the theme's label words by a class-based TF-IDF: the share
// of the theme's letters using a term times the term's rarity in the
// measure. With two letters or more, a term one letter alone uses is
// taken only when too few are shared. Each term shows as its commonest
// written form.
func (t *Themes) words(th *theme) []string {
	p := th.part
	uses := map[int32]int{}
	for _, x := range th.members {
		if x.node() {
			for _, c := range x.counts {
				uses[c.term]++
			}
		}
	}
	type scored struct {
		term   int32
		s      float64
		shared bool
	}
	var ss []scored
	for term, n := range uses {
		if !nameWorthy(p.surface(term)) {
			continue
		}
		ss = append(ss, scored{term, float64(n) / float64(th.nodes) * p.rarity(term), n >= 2})
	}
	slices.SortFunc(ss, func(a, b scored) int {
		if a.shared != b.shared && th.nodes >= 2 {
			if a.shared {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.s, a.s); c != 0 {
			return c
		}
		return cmp.Compare(p.terms[a.term].stem, p.terms[b.term].stem)
	})
	var out []string
	for _, s := range ss[:min(len(ss), t.opt.LabelWords)] {
		out = append(out, p.surface(s.term))
	}
	return out
}

// surface returns the commonest written form of a term; among equally
// common ones, the one with diacritics (more bytes for as many letters),
// then the first alphabetically.
func (p *part) surface(term int32) string {
	best, bestN := "", int32(math.MinInt32)
	p.terms[term].eachSurface(func(s string, n int32) {
		if n > bestN || n == bestN && better(s, best) {
			best, bestN = s, n
		}
	})
	return best
}

func better(a, b string) bool {
	da, db := len(a)-utf8.RuneCountInString(a), len(b)-utf8.RuneCountInString(b)
	if da != db {
		return da > db
	}
	return a < b
}

// nameWorthy reports whether a written word may name a theme. A theme is
// a thing asked for, so the verbs of asking are left out: infinitives
// (-ti, -tis: "įtraukti"), conditionals (-tų, -tumėte: "galėtų") and the
// first person present (-au, -iu: "siūlau", "prašau") , which residents
// write whatever they ask for.
func nameWorthy(w string) bool {
	for _, end := range []string{"ti", "tis", "tų", "tųsi", "tusi", "tumėte", "tume", "au"} {
		if strings.HasSuffix(w, end) && utf8.RuneCountInString(w) > len(end)+2 {
			return false
		}
	}
	return true
}
