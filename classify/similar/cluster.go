package similar

import (
	"container/heap"
	"maps"
	"slices"
)

// Recluster groups each measure's suggestions again from scratch, with
// term weights learnt from all of them, and keeps every staff decision:
// a suggestion staff placed (pinned) stays in its theme, a theme staff
// edited (kept) keeps its id and label and never merges with another kept
// theme on its own, though new suggestions may still join it. Themes not
// touched by staff keep their ids where most of their suggestions stay
// together, so the console does not reshuffle under staff's eyes.
//
// The grouping is average-linkage agglomerative clustering over unit
// TF-IDF vectors, stopped at Options.Join. The average cosine similarity
// between two groups is the dot product of their vector sums over the
// product of their sizes, so it is computed exactly from the sums; only
// which pairs are ever compared is approximate: groups are compared when
// some of their suggestions are among each other's Options.Neighbours
// nearest. Cost is near-linear in the number of suggestions (doc.go).
func (t *Themes) Recluster() {
	for _, m := range slices.Sorted(maps.Keys(t.parts)) {
		t.recluster(t.parts[m])
	}
}

// cluster is a group of nodes during agglomeration.
type cluster struct {
	n     int
	sum   vec
	kept  *theme // the staff-kept theme it grows from, if any
	nbrs  map[int32]struct{}
	alive bool
	into  int32 // where a merged-away cluster went
	ver   int32
}

func (t *Themes) recluster(p *part) {
	var nodes []*doc
	for _, x := range t.docs {
		if x.part == p && x.node() {
			nodes = append(nodes, x)
		}
	}
	slices.SortFunc(nodes, func(a, b *doc) int { return cmpID(a.id, b.id) })
	for _, x := range nodes {
		x.v = weigh(x.counts, p.idf)
	}

	// Start from each kept theme's pinned suggestions and every other
	// suggestion on its own.
	var cls []*cluster
	keptCluster := map[*theme]int32{}
	for _, th := range p.sortedThemes() {
		if th.kept {
			keptCluster[th] = int32(len(cls))
			cls = append(cls, &cluster{kept: th, nbrs: map[int32]struct{}{}, alive: true})
		}
	}
	of := make([]int32, len(nodes)) // node → its starting cluster
	old := make([]*theme, len(nodes))
	for i, x := range nodes {
		old[i] = x.theme
		if c, ok := keptCluster[x.theme]; ok && x.pinned {
			of[i] = c
		} else {
			of[i] = int32(len(cls))
			cls = append(cls, &cluster{nbrs: map[int32]struct{}{}, alive: true})
		}
		c := cls[of[i]]
		c.n++
		c.sum = add(c.sum, x.v, 1)
	}

	for i, js := range neighbours(nodes, p, t.opt.Neighbours) {
		for _, j := range js {
			a, b := of[i], of[j]
			if a != b {
				cls[a].nbrs[b] = struct{}{}
				cls[b].nbrs[a] = struct{}{}
			}
		}
	}
	agglomerate(cls, t.opt.Join)

	// Find each surviving cluster's root and its theme.
	root := func(c int32) int32 {
		for !cls[c].alive {
			c = cls[c].into
		}
		return c
	}
	final := make([]int32, len(nodes))
	members := map[int32][]int{}
	for i := range nodes {
		final[i] = root(of[i])
		members[final[i]] = append(members[final[i]], i)
	}
	target := t.themeIDs(p, cls, members, old)

	// Regroup: empty the part's themes and join everything again, with
	// the new vectors.
	for _, th := range p.themes {
		clear(th.members)
		th.nodes, th.sum = 0, nil
	}
	for _, x := range t.docs {
		if x.part == p {
			x.theme = nil
		}
	}
	for i, x := range nodes {
		th := target[final[i]]
		t.join(x, th)
		for _, c := range x.copies {
			t.join(c, th)
		}
	}
	for _, th := range p.sortedThemes() {
		if len(th.members) == 0 {
			t.dropTheme(th)
		}
	}
}

// themeIDs gives each final cluster a theme: its kept theme; else the
// untouched old theme it shares most suggestions with, each old theme
// going to one cluster, biggest overlaps first; else a new theme.
func (t *Themes) themeIDs(p *part, cls []*cluster, members map[int32][]int, old []*theme) map[int32]*theme {
	out := map[int32]*theme{}
	type overlap struct {
		c     int32
		first int // the cluster's first node, for a stable order
		th    *theme
		n     int
	}
	var ov []overlap
	for _, c := range slices.Sorted(maps.Keys(members)) {
		if cls[c].kept != nil {
			out[c] = cls[c].kept
			continue
		}
		count := map[*theme]int{}
		for _, i := range members[c] {
			if th := old[i]; th != nil && !th.kept {
				count[th]++
			}
		}
		for th, n := range count {
			ov = append(ov, overlap{c, members[c][0], th, n})
		}
	}
	slices.SortFunc(ov, func(a, b overlap) int {
		if a.n != b.n {
			return b.n - a.n
		}
		if a.first != b.first {
			return a.first - b.first
		}
		return cmpID(a.th.id, b.th.id)
	})
	used := map[*theme]bool{}
	for _, o := range ov {
		if _, done := out[o.c]; done || used[o.th] {
			continue
		}
		out[o.c] = o.th
		used[o.th] = true
	}
	for _, c := range slices.Sorted(maps.Keys(members)) {
		if _, ok := out[c]; !ok {
			out[c] = t.newTheme(p)
		}
	}
	return out
}

// neighbours returns, for each node, up to k others with the highest
// cosine similarity. Candidates come from an inverted index over the
// terms; terms in more than a twentieth of the suggestions (at least 200)
// are skipped when gathering them, as their postings are long and their
// weight small, but the similarity that ranks the candidates is exact.
func neighbours(nodes []*doc, p *part, k int) [][]int32 {
	type posting struct {
		node int32
		w    float64
	}
	post := map[int32][]posting{}
	for i, x := range nodes {
		for _, e := range x.v {
			post[e.term] = append(post[e.term], posting{int32(i), e.w})
		}
	}
	maxDF := max(200, len(nodes)/20)
	acc := make([]float64, len(nodes))
	var touched []int32
	out := make([][]int32, len(nodes))
	var cands []cand
	for i, x := range nodes {
		touched = touched[:0]
		for _, e := range x.v {
			ps := post[e.term]
			if len(ps) > maxDF {
				continue
			}
			for _, q := range ps {
				if q.node == int32(i) {
					continue
				}
				if acc[q.node] == 0 {
					touched = append(touched, q.node)
				}
				acc[q.node] += e.w * q.w
			}
		}
		// Keep the 2k best by the partial score, then rank those by the
		// exact similarity.
		cands = topCands(cands[:0], touched, acc, 2*k)
		for _, j := range touched {
			acc[j] = 0
		}
		for c := range cands {
			cands[c].s = dot(x.v, nodes[cands[c].j].v)
		}
		slices.SortFunc(cands, byScore)
		for _, c := range cands[:min(len(cands), k)] {
			out[i] = append(out[i], c.j)
		}
	}
	return out
}

// cand is a neighbour candidate j with its score s.
type cand struct {
	j int32
	s float64
}

// byScore orders candidates best first, then by number.
func byScore(a, b cand) int {
	switch {
	case a.s > b.s:
		return -1
	case a.s < b.s:
		return 1
	}
	return int(a.j - b.j)
}

// topCands appends to out the m candidates among touched with the highest
// acc, kept in a bounded min-heap: the touched list of a common word's
// postings can be thousands long, and sorting it all was most of the
// regrouping's time.
func topCands(out []cand, touched []int32, acc []float64, m int) []cand {
	worse := func(a, b cand) bool { return byScore(a, b) > 0 }
	down := func(h []cand, i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			if r := l + 1; r < len(h) && worse(h[r], h[l]) {
				l = r
			}
			if !worse(h[l], h[i]) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for _, j := range touched {
		c := cand{j, acc[j]}
		if len(out) < m {
			out = append(out, c)
			for i := len(out) - 1; i > 0; {
				p := (i - 1) / 2
				if !worse(out[i], out[p]) {
					break
				}
				out[i], out[p] = out[p], out[i]
				i = p
			}
			continue
		}
		if worse(out[0], c) {
			out[0] = c
			down(out, 0)
		}
	}
	return out
}

// agglomerate merges clusters while some pair's average similarity
// reaches join. Two clusters grown from different kept themes never
// merge: staff decided those are different. A merged-away cluster is
// marked dead with the cluster it went into.
func agglomerate(cls []*cluster, join float64) {
	sim := func(a, b int32) float64 {
		return dot(cls[a].sum, cls[b].sum) / float64(cls[a].n*cls[b].n)
	}
	// The heap's order is total (similarity, then cluster numbers), so the
	// merges do not depend on the order pairs are pushed in, and the
	// neighbour sets need no sorting.
	h := &pairHeap{}
	for a := range cls {
		for b := range cls[a].nbrs {
			if int32(a) < b && !(cls[a].kept != nil && cls[b].kept != nil) {
				if s := sim(int32(a), b); s >= join {
					h.items = append(h.items, pair{s, int32(a), b, 0, 0})
				}
			}
		}
	}
	heap.Init(h)
	for h.Len() > 0 {
		q := heap.Pop(h).(pair)
		a, b := cls[q.a], cls[q.b]
		if !a.alive || !b.alive || a.ver != q.va || b.ver != q.vb {
			continue
		}
		// The larger absorbs the smaller; a kept theme always absorbs.
		into, from := q.a, q.b
		if b.kept != nil || a.kept == nil && b.n > a.n {
			into, from = q.b, q.a
		}
		ci, cf := cls[into], cls[from]
		ci.sum = add(ci.sum, cf.sum, 1)
		ci.n += cf.n
		if ci.kept == nil {
			ci.kept = cf.kept
		}
		ci.ver++
		cf.alive = false
		cf.sum, cf.into = nil, into
		for c := range cf.nbrs {
			delete(cls[c].nbrs, from)
			if c != into {
				ci.nbrs[c] = struct{}{}
				cls[c].nbrs[into] = struct{}{}
			}
		}
		delete(ci.nbrs, from)
		cf.nbrs = nil
		for c := range ci.nbrs {
			if ci.kept != nil && cls[c].kept != nil {
				continue
			}
			if s := sim(into, c); s >= join {
				a, b := into, c
				if b < a {
					a, b = b, a
				}
				heap.Push(h, pair{s, a, b, cls[a].ver, cls[b].ver})
			}
		}
	}
}

// pair is a candidate merge: the average similarity of clusters a < b at
// their versions va, vb.
type pair struct {
	s      float64
	a, b   int32
	va, vb int32
}

// pairHeap pops the most similar pair first; ties go to the lowest
// cluster numbers, so the result does not depend on map order.
type pairHeap struct{ items []pair }

func (h *pairHeap) Len() int { return len(h.items) }
func (h *pairHeap) Less(i, j int) bool {
	x, y := h.items[i], h.items[j]
	if x.s != y.s {
		return x.s > y.s
	}
	if x.a != y.a {
		return x.a < y.a
	}
	return x.b < y.b
}
func (h *pairHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *pairHeap) Push(x any)    { h.items = append(h.items, x.(pair)) }
func (h *pairHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}
