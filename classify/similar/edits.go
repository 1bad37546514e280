package similar

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// The staff edits. Each is a decision Add and Recluster keep: the theme it
// touches becomes kept (its id and label stay, it never merges with
// another kept theme on its own) and the suggestions staff placed become
// pinned (Recluster leaves them where they are). Copies ride with their
// root unless staff move them on their own.

// Rename gives theme id staff's label; an empty label goes back to the
// computed one. The theme's suggestions as they stand are what staff
// named, so they are pinned.
func (t *Themes) Rename(id int64, label string) error {
	th, ok := t.themes[id]
	if !ok {
		return fmt.Errorf("rename theme %d: %w", id, ErrNotFound)
	}
	th.label = strings.Join(strings.Fields(label), " ")
	t.keep(th)
	return nil
}

// Merge moves every suggestion of the themes from into theme into, which
// keeps its label, or takes the first named label among from when it has
// none. All of them are pinned there.
func (t *Themes) Merge(into int64, from ...int64) error {
	dst, ok := t.themes[into]
	if !ok {
		return fmt.Errorf("merge into theme %d: %w", into, ErrNotFound)
	}
	var srcs []*theme
	for _, id := range from {
		src, ok := t.themes[id]
		switch {
		case !ok:
			return fmt.Errorf("merge theme %d: %w", id, ErrNotFound)
		case src.part != dst.part:
			return fmt.Errorf("merge theme %d (%s) into %d (%s): %w", id, src.part.measure, into, dst.part.measure, ErrMeasure)
		}
		if src != dst && !slices.Contains(srcs, src) {
			srcs = append(srcs, src)
		}
	}
	for _, src := range srcs {
		dst.label = cmp.Or(dst.label, src.label)
		for _, x := range sortedDocs(src.members) {
			if x.node() {
				t.move(x, dst)
			}
		}
	}
	t.keep(dst)
	return nil
}

// Split moves the suggestions ids (some, not all, of theme id's) into a new
// theme and returns its id. Both themes are kept and all their
// suggestions pinned: staff said these belong apart. A root named takes
// its copies along; a copy named alone leaves its root.
func (t *Themes) Split(id int64, ids []int64) (int64, error) {
	th, ok := t.themes[id]
	if !ok {
		return 0, fmt.Errorf("split theme %d: %w", id, ErrNotFound)
	}
	named := map[int64]bool{}
	for _, d := range ids {
		if _, ok := th.members[d]; !ok {
			return 0, fmt.Errorf("split theme %d: suggestion %d: %w", id, d, ErrNotFound)
		}
		named[d] = true
	}
	var xs []*doc
	moving := 0
	for _, x := range sortedDocs(th.members) {
		if !named[x.id] || !x.node() && named[x.follows.id] {
			continue // not named, or a copy riding with its named root
		}
		xs = append(xs, x)
		moving++
		if x.node() {
			moving += len(x.copies)
		}
	}
	if moving == 0 || moving >= len(th.members) {
		return 0, fmt.Errorf("split theme %d: %d of %d suggestions: %w", id, moving, len(th.members), ErrSplit)
	}
	dst := t.newTheme(th.part)
	for _, x := range xs {
		t.place(x, dst)
	}
	t.keep(th)
	t.keep(dst)
	return dst.id, nil
}

// Move puts suggestion doc into theme id, or into a new theme of its own
// when id is 0, and pins it there; it returns the theme's id. The theme
// it joins becomes kept; the one it leaves does not change.
func (t *Themes) Move(doc, id int64) (int64, error) {
	x, ok := t.docs[doc]
	if !ok {
		return 0, fmt.Errorf("move suggestion %d: %w", doc, ErrNotFound)
	}
	var dst *theme
	if id == 0 {
		dst = t.newTheme(x.part)
	} else if dst, ok = t.themes[id]; !ok {
		return 0, fmt.Errorf("move suggestion %d to theme %d: %w", doc, id, ErrNotFound)
	} else if dst.part != x.part {
		return 0, fmt.Errorf("move suggestion %d (%s) to theme %d (%s): %w", doc, x.part.measure, id, dst.part.measure, ErrMeasure)
	}
	t.place(x, dst)
	dst.kept = true
	return dst.id, nil
}

// Detach makes suggestion doc stop riding with its near-duplicate root:
// staff found it is no copy (Duplicates.Restore with its own id as root
// records the same in the index). It stays in its theme, as a letter of
// its own, and is not pinned: the next Recluster may place it elsewhere.
func (t *Themes) Detach(doc int64) error {
	x, ok := t.docs[doc]
	if !ok {
		return fmt.Errorf("detach suggestion %d: %w", doc, ErrNotFound)
	}
	x.root = x.id
	if !x.node() {
		t.unfollow(x)
	}
	return nil
}

// place puts x in th by staff's hand: a copy leaves its root and becomes
// a suggestion of its own; x is pinned, and its copies go with it.
func (t *Themes) place(x *doc, th *theme) {
	if !x.node() {
		t.unfollow(x)
	}
	x.pinned = true
	t.move(x, th)
}

// keep marks th as staff's and pins its suggestions.
func (t *Themes) keep(th *theme) {
	th.kept = true
	for _, x := range th.members {
		if x.node() {
			x.pinned = true
		}
	}
}

func sortedDocs(m map[int64]*doc) []*doc {
	out := make([]*doc, 0, len(m))
	for _, x := range m {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b *doc) int { return cmpID(a.id, b.id) })
	return out
}
