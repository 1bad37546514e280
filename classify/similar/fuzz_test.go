package similar

import (
	"bytes"
	"math"
	"testing"
)

// checkThemes verifies what every operation must leave true: each
// suggestion in exactly one theme of its measure, no empty theme, counts
// and vector sums that match the members, copies riding in their root's
// theme, pinned suggestions only in kept themes, and document frequencies
// that match the nodes.
func checkThemes(t *testing.T, th *Themes) {
	t.Helper()
	for id, x := range th.docs {
		switch {
		case x.theme == nil:
			t.Fatalf("suggestion %d has no theme", id)
		case th.themes[x.theme.id] != x.theme || x.theme.part.themes[x.theme.id] != x.theme:
			t.Fatalf("suggestion %d in unlisted theme %d", id, x.theme.id)
		case x.theme.members[id] != x:
			t.Fatalf("theme %d does not list suggestion %d", x.theme.id, id)
		case x.theme.part != x.part:
			t.Fatalf("suggestion %d (%s) in theme %d of %s", id, x.part.measure, x.theme.id, x.theme.part.measure)
		case x.pinned && !x.theme.kept:
			t.Fatalf("pinned suggestion %d in unkept theme %d", id, x.theme.id)
		}
		if r := x.follows; r != nil {
			if !r.node() || r.theme != x.theme || x.pinned || th.docs[r.id] != r {
				t.Fatalf("copy %d rides with %d wrongly (root node %v, themes %d/%d, pinned %v)", id, r.id, r.node(), x.theme.id, r.theme.id, x.pinned)
			}
			found := false
			for _, c := range r.copies {
				found = found || c == x
			}
			if !found {
				t.Fatalf("root %d does not list its copy %d", r.id, id)
			}
		}
		for _, c := range x.copies {
			if c.follows != x {
				t.Fatalf("root %d lists %d, which follows %v", id, c.id, c.follows)
			}
		}
	}
	for id, tm := range th.themes {
		if id >= th.next || len(tm.members) == 0 {
			t.Fatalf("theme %d: next %d, %d members", id, th.next, len(tm.members))
		}
		nodes := 0
		var sum vec
		for _, x := range sortedDocs(tm.members) {
			if x.node() {
				nodes++
				sum = add(sum, x.v, 1)
			}
		}
		if nodes != tm.nodes {
			t.Fatalf("theme %d counts %d nodes, has %d", id, tm.nodes, nodes)
		}
		diff := add(sum, tm.sum, -1)
		for _, e := range diff {
			if math.Abs(e.w) > 1e-6 {
				t.Fatalf("theme %d sum off by %g at term %d", id, e.w, e.term)
			}
		}
	}
	for m, p := range th.parts {
		df := make([]int32, len(p.terms))
		nodes := 0
		for _, x := range th.docs {
			if x.part == p && x.node() {
				nodes++
				for _, c := range x.counts {
					df[c.term]++
				}
			}
		}
		if nodes != p.nodes {
			t.Fatalf("measure %s counts %d nodes, has %d", m, p.nodes, nodes)
		}
		for i := range df {
			if df[i] != p.terms[i].df {
				t.Fatalf("measure %s term %q df %d, want %d", m, p.terms[i].stem, p.terms[i].df, df[i])
			}
		}
	}
}

// FuzzThemes drives a Themes with a random sequence of additions,
// removals, staff edits, regroupings and store/load round trips, and
// checks the invariants after each, and that a regrouping moves no
// pinned suggestion.
func FuzzThemes(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 0, 3, 0, 4, 6, 2, 0, 5, 1, 3, 6, 8, 4, 0, 6})
	f.Add([]byte{9, 7, 0, 0, 0, 1, 3, 0, 5, 2, 6, 7, 3, 1, 8, 6, 4, 1, 2})
	f.Add(bytes.Repeat([]byte{0, 5, 6, 2, 4, 3, 7, 1, 8, 9}, 4))
	texts := append(append(append([]string{}, dayCentre...), camp...), volunteers, "", "Pritariu.")
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 200 {
			ops = ops[:200]
		}
		th := NewThemes(Options{})
		var docs []Doc
		byID := map[int64]Doc{}
		next := int64(1)
		arg := func(i *int) int {
			*i++
			if *i < len(ops) {
				return int(ops[*i])
			}
			return 0
		}
		themeAt := func(n int) (Theme, bool) {
			l := th.List("")
			if len(l) == 0 {
				return Theme{}, false
			}
			return l[n%len(l)], true
		}
		for i := 0; i < len(ops); i++ {
			switch ops[i] % 10 {
			case 0, 9: // add one, or a few at once
				n := 1
				if ops[i]%10 == 9 {
					n = 1 + arg(&i)%4
				}
				var batch []Doc
				for k := 0; k < n; k++ {
					a := arg(&i)
					d := Doc{ID: next, Measure: []string{"1.1", "5"}[a%2], Text: texts[a%len(texts)]}
					if a%3 == 0 && next > 1 {
						d.Root = 1 + int64(a)%(next-1)
						if r, ok := byID[d.Root]; ok && r.Root != 0 && r.Root != r.ID {
							d.Root = r.Root // roots are group-first, as Duplicates gives them
						}
					}
					next++
					batch = append(batch, d)
					byID[d.ID] = d
				}
				docs = append(docs, batch...)
				if n == 1 {
					th.Add(batch[0])
				} else {
					th.AddAll(batch)
				}
			case 1:
				if len(docs) > 0 {
					k := arg(&i) % len(docs)
					th.Remove(docs[k].ID)
					delete(byID, docs[k].ID)
					docs = append(docs[:k], docs[k+1:]...)
				}
			case 2:
				if v, ok := themeAt(arg(&i)); ok {
					th.Rename(v.ID, []string{"", "Tema"}[arg(&i)%2])
				}
			case 3:
				a, okA := themeAt(arg(&i))
				b, okB := themeAt(arg(&i))
				if okA && okB && a.Measure == b.Measure {
					if err := th.Merge(a.ID, b.ID); err != nil {
						t.Fatalf("merge %d %d: %v", a.ID, b.ID, err)
					}
				}
			case 4:
				if v, ok := themeAt(arg(&i)); ok && len(v.Members) > 1 {
					th.Split(v.ID, v.Members[:1+arg(&i)%(len(v.Members)-1)])
				}
			case 5:
				if len(docs) > 0 {
					d := docs[arg(&i)%len(docs)]
					to := int64(0)
					if v, ok := themeAt(arg(&i)); ok && v.Measure == d.Measure {
						to = v.ID
					}
					if _, err := th.Move(d.ID, to); err != nil {
						t.Fatalf("move %d to %d: %v", d.ID, to, err)
					}
				}
			case 6:
				before := map[int64]int64{}
				for id, x := range th.docs {
					if x.pinned {
						before[id] = x.theme.id
					}
				}
				th.Recluster()
				for id, want := range before {
					if got, _ := th.ThemeOf(id); got != want {
						t.Fatalf("regrouping moved pinned suggestion %d from %d to %d", id, want, got)
					}
				}
			case 7:
				if len(docs) > 0 {
					k := arg(&i) % len(docs)
					th.Detach(docs[k].ID)
					docs[k].Root = docs[k].ID
					byID[docs[k].ID] = docs[k]
				}
			case 8:
				st := th.State()
				loaded, err := Load(st, docs, Options{})
				if err != nil {
					t.Fatalf("load: %v", err)
				}
				th = loaded
			}
			checkThemes(t, th)
		}
	})
}

// FuzzSignature decodes arbitrary bytes: an error or a signature that
// encodes back to the same bytes, never a panic.
func FuzzSignature(f *testing.F) {
	good, _ := Sign("Siūlau dienos centrą senjorams").MarshalBinary()
	empty, _ := Sign("").MarshalBinary()
	f.Add(good)
	f.Add(empty)
	f.Add([]byte{SignatureVersion, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Signature
		if err := s.UnmarshalBinary(b); err != nil {
			return
		}
		back, _ := s.MarshalBinary()
		if !bytes.Equal(back, b) {
			t.Fatalf("decoded %x, encodes back to %x", b, back)
		}
	})
}
