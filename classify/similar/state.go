package similar

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// StateVersion is the version of State's meaning; Load refuses others.
const StateVersion = 1

// ErrState is returned by Load for a State it cannot take.
var ErrState = errors.New("theme state does not fit")

// State is everything about a Themes that is not in the suggestions'
// texts: plain data for the ledger to store per consultation (a row per
// theme, a row per membership) and give back to Load.
type State struct {
	Version int
	// Next is the id the next new theme gets.
	Next    int64
	Themes  []ThemeState // by ID
	Members []Member     // by Doc
}

// ThemeState is one theme as stored.
type ThemeState struct {
	ID      int64
	Measure string
	// Label is staff's name for it, "" when the computed one is shown.
	Label string
	// Kept: staff edited it.
	Kept bool
}

// Member is one suggestion's place.
type Member struct {
	Doc    int64
	Theme  int64
	Pinned bool // staff put it there
}

// State returns the current state.
func (t *Themes) State() State {
	st := State{Version: StateVersion, Next: t.next}
	for _, id := range slices.Sorted(maps.Keys(t.themes)) {
		th := t.themes[id]
		st.Themes = append(st.Themes, ThemeState{ID: id, Measure: th.part.measure, Label: th.label, Kept: th.kept})
	}
	for _, id := range slices.Sorted(maps.Keys(t.docs)) {
		x := t.docs[id]
		st.Members = append(st.Members, Member{Doc: id, Theme: x.theme.id, Pinned: x.pinned})
	}
	return st
}

// Load rebuilds a Themes from a stored State and the consultation's
// suggestions, in arrival order. Suggestions the state does not place are
// then added as by Add (mail that arrived while the state was not saved).
// A state naming a suggestion not given, or a theme of another measure
// than its suggestion, is ErrState: the ledger and the state disagree.
func Load(st State, docs []Doc, opt Options) (*Themes, error) {
	if st.Version != StateVersion {
		return nil, fmt.Errorf("load themes: version %d, want %d: %w", st.Version, StateVersion, ErrState)
	}
	t := NewThemes(opt)
	t.next = max(st.Next, 1)
	for _, ts := range st.Themes {
		if _, dup := t.themes[ts.ID]; dup || ts.ID <= 0 || ts.ID >= t.next {
			return nil, fmt.Errorf("load themes: theme id %d: %w", ts.ID, ErrState)
		}
		p := t.part(ts.Measure)
		th := &theme{id: ts.ID, part: p, label: ts.Label, kept: ts.Kept, members: map[int64]*doc{}}
		t.themes[th.id] = th
		p.themes[th.id] = th
	}
	place := map[int64]Member{}
	for _, m := range st.Members {
		place[m.Doc] = m
	}
	var later []Doc
	for _, d := range docs {
		m, ok := place[d.ID]
		if !ok {
			later = append(later, d)
			continue
		}
		delete(place, d.ID)
		th, ok := t.themes[m.Theme]
		switch {
		case !ok:
			return nil, fmt.Errorf("load themes: suggestion %d in theme %d: %w", d.ID, m.Theme, ErrState)
		case th.part.measure != d.Measure:
			return nil, fmt.Errorf("load themes: suggestion %d (%s) in theme %d (%s): %w", d.ID, d.Measure, m.Theme, th.part.measure, ErrState)
		}
		x := t.newDoc(d)
		x.pinned = m.Pinned
		x.theme = th // provisional: joined below, once vectors exist
	}
	if len(place) > 0 {
		missing := slices.Sorted(maps.Keys(place))
		return nil, fmt.Errorf("load themes: %d placed suggestions not given, first %d: %w", len(missing), missing[0], ErrState)
	}
	// Copies ride with their roots (the stored theme of a copy is its
	// root's anyway); every other suggestion is a node.
	stored := map[*doc]*theme{}
	for _, x := range t.docs {
		stored[x] = x.theme
		x.theme = nil
	}
	for _, id := range slices.Sorted(maps.Keys(t.docs)) {
		x := t.docs[id]
		if r := t.rootOf(x); r != nil {
			x.follows = r
			r.copies = append(r.copies, x)
			continue
		}
		x.part.addNode(x)
	}
	for _, id := range slices.Sorted(maps.Keys(t.docs)) {
		x := t.docs[id]
		if x.node() {
			x.v = weigh(x.counts, x.part.idf)
			t.join(x, stored[x])
		}
	}
	for _, id := range slices.Sorted(maps.Keys(t.docs)) {
		if x := t.docs[id]; !x.node() {
			t.join(x, x.follows.theme)
		}
	}
	for _, th := range t.themes {
		if len(th.members) == 0 {
			t.dropTheme(th)
		}
	}
	for _, d := range later {
		t.Add(d)
	}
	return t, nil
}
