package similar

import (
	"errors"
	"math"
	"slices"
)

// Errors of the staff edits.
var (
	// ErrNotFound: no theme or suggestion with that id.
	ErrNotFound = errors.New("not found")
	// ErrMeasure: themes and suggestions of different measures cannot be
	// merged or moved together; reclassify the suggestion instead (Add it
	// again with its new measure).
	ErrMeasure = errors.New("different measures")
	// ErrSplit: a split must name some but not all of a theme's members.
	ErrSplit = errors.New("a split takes some, not all, of a theme's members")
)

// Doc is one suggestion as the themes see it.
type Doc struct {
	ID      int64
	Measure string // the measure it is filed under; themes never cross measures
	Text    string
	// Root is the first suggestion of its near-duplicate group
	// (Match.Root); 0 or ID when it has none. A copy joins its root's
	// theme and does not weigh in the grouping, so a campaign of forty
	// copies counts forty but pulls like one letter.
	Root int64
}

// Themes groups the suggestions of one consultation into themes, within
// each measure: the same idea in different words. It takes suggestions
// one at a time (Add), regroups all of them on demand (Recluster), and
// takes staff edits (Rename, Merge, Split, Move) as decisions that later
// additions and regroupings keep. Its state is plain data (State) the
// ledger stores; the texts are read again on Load. A Themes is not safe
// for concurrent use.
type Themes struct {
	opt    Options
	next   int64 // the next theme id
	docs   map[int64]*doc
	themes map[int64]*theme
	parts  map[string]*part
}

// doc is one suggestion.
type doc struct {
	id, root int64
	part     *part
	counts   []termCount // sorted by term
	v        vec         // unit TF-IDF vector as last weighed; nil for a copy
	theme    *theme
	pinned   bool   // staff put it in its theme
	copies   []*doc // the copies following it, when it is a root
	follows  *doc   // the root it follows, nil when it is a node
}

// node reports whether d weighs in the grouping with a vector of its own.
func (d *doc) node() bool { return d.follows == nil }

// theme is one group of suggestions.
type theme struct {
	id      int64
	part    *part
	label   string // staff's name, "" for the computed one
	kept    bool   // staff edited it: it keeps its pinned members and never merges on its own
	members map[int64]*doc
	nodes   int // members that are nodes
	sum     vec // the sum of the nodes' vectors
}

// NewThemes returns an empty Themes; the first theme id it gives is 1.
func NewThemes(opt Options) *Themes {
	return &Themes{
		opt:    opt.withDefaults(),
		next:   1,
		docs:   map[int64]*doc{},
		themes: map[int64]*theme{},
		parts:  map[string]*part{},
	}
}

// Len returns the number of suggestions.
func (t *Themes) Len() int { return len(t.docs) }

// Add files one suggestion and returns the id of the theme it joined:
// its root's, when it is a copy; else the theme whose suggestions it is
// most like on average, when that reaches Options.Join; else a new theme
// of its own. Adding an id again with the same measure changes nothing
// and returns its theme; with another measure it moves the suggestion
// there (staff reclassified it).
func (t *Themes) Add(d Doc) int64 {
	if old, ok := t.docs[d.ID]; ok {
		if old.part.measure == d.Measure {
			return old.theme.id
		}
		t.Remove(d.ID)
	}
	x := t.newDoc(d)
	if r := t.rootOf(x); r != nil {
		t.follow(x, r)
		return x.theme.id
	}
	p := x.part
	p.addNode(x)
	x.v = weigh(x.counts, p.idf)
	best, bestSim := (*theme)(nil), math.Inf(-1)
	for _, th := range p.themes {
		if th.nodes == 0 {
			continue
		}
		s := dot(x.v, th.sum) / float64(th.nodes)
		if s > bestSim || s == bestSim && th.id < best.id {
			best, bestSim = th, s
		}
	}
	if best == nil || bestSim < t.opt.Join {
		best = t.newTheme(p)
	}
	t.join(x, best)
	return best.id
}

// AddAll files many suggestions at once and then regroups everything
// (Recluster): the way to group a consultation from scratch, after an
// import, or on the first start with no stored state. It costs one
// Recluster instead of an Add each.
func (t *Themes) AddAll(docs []Doc) {
	var fresh []*doc
	for _, d := range docs {
		if old, ok := t.docs[d.ID]; ok {
			if old.part.measure == d.Measure {
				continue
			}
			t.Remove(d.ID)
		}
		fresh = append(fresh, t.newDoc(d))
	}
	for _, x := range fresh {
		if r := t.rootOf(x); r != nil {
			x.follows = r
			r.copies = append(r.copies, x)
			continue
		}
		x.part.addNode(x)
	}
	t.Recluster()
}

// Remove takes a suggestion out (erased, or not a suggestion after all).
// Its copies stay where they are, as suggestions in their own right.
func (t *Themes) Remove(id int64) {
	x, ok := t.docs[id]
	if !ok {
		return
	}
	for _, c := range slices.Clone(x.copies) {
		t.unfollow(c)
	}
	if x.follows != nil {
		x.follows.copies = slices.DeleteFunc(x.follows.copies, func(c *doc) bool { return c == x })
	} else {
		x.part.removeNode(x)
	}
	t.leave(x)
	delete(t.docs, id)
}

// ThemeOf returns the theme of suggestion id.
func (t *Themes) ThemeOf(id int64) (int64, bool) {
	x, ok := t.docs[id]
	if !ok {
		return 0, false
	}
	return x.theme.id, true
}

// newDoc makes the doc of d and registers it, without a theme yet.
func (t *Themes) newDoc(d Doc) *doc {
	p := t.part(d.Measure)
	x := &doc{id: d.ID, root: d.Root, part: p, counts: p.count(splitWords(d.Text))}
	t.docs[d.ID] = x
	return x
}

// rootOf returns the root x should follow: its near-duplicate root, when
// that is known, in the same measure and a root itself, unless staff
// pinned x elsewhere.
func (t *Themes) rootOf(x *doc) *doc {
	if x.pinned || x.root == 0 || x.root == x.id {
		return nil
	}
	r, ok := t.docs[x.root]
	if !ok || r.part != x.part || r.root != 0 && r.root != r.id {
		return nil
	}
	return r
}

// follow makes x a copy riding with root r, in r's theme.
func (t *Themes) follow(x, r *doc) {
	x.follows = r
	x.v = nil
	r.copies = append(r.copies, x)
	if x.theme != r.theme {
		if x.theme != nil {
			t.leave(x)
		}
		t.join(x, r.theme)
	}
}

// unfollow makes the copy x a node of its own, in the theme it is in.
func (t *Themes) unfollow(x *doc) {
	r := x.follows
	r.copies = slices.DeleteFunc(r.copies, func(c *doc) bool { return c == x })
	th := x.theme
	t.leave(x)
	x.follows = nil
	x.part.addNode(x)
	x.v = weigh(x.counts, x.part.idf)
	if th.members == nil { // the theme emptied and was dropped
		th = t.newTheme(x.part)
	}
	t.join(x, th)
}

func (t *Themes) newTheme(p *part) *theme {
	th := &theme{id: t.next, part: p, members: map[int64]*doc{}}
	t.next++
	t.themes[th.id] = th
	p.themes[th.id] = th
	return th
}

// join puts x (not in any theme) into th.
func (t *Themes) join(x *doc, th *theme) {
	x.theme = th
	th.members[x.id] = x
	if x.node() {
		th.nodes++
		th.sum = add(th.sum, x.v, 1)
	}
}

// leave takes x out of its theme and drops the theme when it empties.
func (t *Themes) leave(x *doc) {
	th := x.theme
	if th == nil {
		return
	}
	delete(th.members, x.id)
	if x.node() {
		th.nodes--
		th.sum = add(th.sum, x.v, -1)
	}
	x.theme = nil
	if len(th.members) == 0 {
		t.dropTheme(th)
	}
}

func (t *Themes) dropTheme(th *theme) {
	delete(t.themes, th.id)
	delete(th.part.themes, th.id)
	th.members = nil
}

// move puts x and its copies into th.
func (t *Themes) move(x *doc, th *theme) {
	for _, d := range append([]*doc{x}, x.copies...) {
		if d.theme == th {
			continue
		}
		t.leave(d)
		t.join(d, th)
	}
}
