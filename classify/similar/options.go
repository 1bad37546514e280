package similar

import "cmp"

// Options tune the near-duplicate detection (Duplicates) and the
// grouping into themes (Themes). The zero value means the defaults,
// chosen on the tuning half of the labelled set (doc.go).
type Options struct {
	// MinJaccard: texts whose estimated Jaccard similarity reaches it are
	// copies (default 0.3): a campaign text with the name, address,
	// greeting and a sentence or two changed. On the tuning half copies
	// measured 0.43 and up, different letters 0.16 and below.
	MinJaccard float64
	// MinContainment: texts of which one repeats this share of the other
	// are copies too (default 0.7), when the shorter has at least
	// MinContained shingles (default 15): a resident who pasted the
	// campaign letter and wrote a long paragraph of their own under it.
	// Different letters measured 0.30 and below.
	MinContainment float64
	MinContained   int

	// Join is the average TF-IDF cosine similarity a suggestion needs
	// with a theme's suggestions to join it, and two themes need to be
	// merged by Recluster (default 0.1).
	Join float64
	// LabelWords is the number of words in a computed label (default 3).
	LabelWords int
	// Neighbours is how many nearest suggestions each one starts with as
	// merge candidates in Recluster (default 10).
	Neighbours int
}

func (o Options) withDefaults() Options {
	o.MinJaccard = cmp.Or(o.MinJaccard, 0.3)
	o.MinContainment = cmp.Or(o.MinContainment, 0.7)
	o.MinContained = cmp.Or(o.MinContained, 15)
	o.Join = cmp.Or(o.Join, 0.1)
	o.LabelWords = cmp.Or(o.LabelWords, 3)
	o.Neighbours = cmp.Or(o.Neighbours, 10)
	return o
}
