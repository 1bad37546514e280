package similar

import (
	"encoding/binary"
)

// bandRows MinHash values make one LSH band; numHashes/bandRows bands. Two
// texts become candidates when any band is equal, with probability
// 1−(1−J²)^64: 0.99998 at J = 0.4, 0.93 at J = 0.2, 0.025 at J = 0.02 (two
// unrelated suggestions). Two rows rather than more: verification is cheap
// and a missed copy is not recovered later.
const bandRows = 2

// Match is what Duplicates found for one suggestion.
type Match struct {
	// Root is the first suggestion of the suggestion's near-duplicate
	// group, or the suggestion itself when it is no one's copy.
	Root int64
	// Nearest is the earlier suggestion it is most like (0 when Root is
	// itself), with the estimated Jaccard similarity and containment.
	Nearest     int64
	Jaccard     float64
	Containment float64
}

// Duplicates finds near-duplicate suggestions within one consultation, one
// suggestion at a time: each is compared, through LSH buckets, only with
// the earlier ones likely to be its copies, and joins the group of the
// most similar one that passes the Options. Groups never merge or split on
// their own: a suggestion's root, once given, is what the ledger stores.
// A Duplicates is not safe for concurrent use.
type Duplicates struct {
	opt   Options
	ids   []int64
	found []Match // by row: what Add found, or what Restore was told
	sigs  []Signature
	row   map[int64]int32
	// The LSH buckets as chains: head holds the last row filed under a
	// band key (band number mixed in), and next[row*numBands+band] the
	// row filed under the same key before it, -1 ending the chain. One
	// map entry per key and no slice per bucket keep 10,000 suggestions
	// (640,000 band entries) cheap to file.
	// Keys are 32 bits: a collision of two bands' keys only adds a
	// candidate, which is compared like any other, and 10,000
	// suggestions' 640,000 keys take half the memory of 64-bit ones.
	head map[uint32]int32
	next []int32
	seen []uint32 // by row: the Find call that last looked at it
	gen  uint32
	// tried counts, within one Find, the candidates compared per group
	// root (see perRoot); kept between calls to save its allocation.
	tried map[int64]int32
}

// perRoot bounds how many members of one near-duplicate group a Find
// compares. A campaign of n copies makes every copy a candidate of every
// later one (all their bands agree), so comparing them all would cost n²/2
// for the campaign; its members are alike, so the most recent perRoot of
// them (the chains run newest first) tell whether a text joins it, and its
// root is the same whichever member matched. Nearest is then the most
// similar of those, not of every copy.
const perRoot = 32

// perBand bounds how far Find walks one band's chain: the newest perBand
// texts filed under that band's key. Unrelated texts rarely share a band
// (see bandRows), so a long chain is a campaign or one short text sent
// many times, whose newest copies stand for the older ones; a copy still
// has 64 bands to be found through.
const perBand = 64

const numBands = numHashes / bandRows

// NewDuplicates returns an empty index.
func NewDuplicates(opt Options) *Duplicates {
	return &Duplicates{opt: opt.withDefaults(), row: map[int64]int32{}, head: map[uint32]int32{}, tried: map[int64]int32{}}
}

// Len returns the number of suggestions indexed.
func (x *Duplicates) Len() int { return len(x.ids) }

// Add signs text, files it under id and returns its match and signature
// (which the ledger stores). Adding an id again returns its first match
// unchanged, so a retried ingest is harmless.
func (x *Duplicates) Add(id int64, text string) (Match, Signature) {
	if r, ok := x.row[id]; ok {
		return x.found[r], x.sigs[r]
	}
	s := Sign(text)
	return x.AddSigned(id, s), s
}

// AddSigned is Add with the signature already made.
func (x *Duplicates) AddSigned(id int64, s Signature) Match {
	if r, ok := x.row[id]; ok {
		return x.found[r]
	}
	m, ok := x.Find(s)
	if !ok {
		m = Match{Root: id}
	}
	x.insert(id, s, m)
	return m
}

// Restore files a suggestion with its stored signature and root, as the
// ledger recorded them (staff may have detached a copy): rebuilding the
// index of a consultation is Restore of each submission in arrival order.
func (x *Duplicates) Restore(id int64, s Signature, root int64) {
	if r, ok := x.row[id]; ok {
		x.found[r] = Match{Root: root}
		return
	}
	x.insert(id, s, Match{Root: root})
}

// Root returns the root of id's group, and false when id is not indexed.
func (x *Duplicates) Root(id int64) (int64, bool) {
	r, ok := x.row[id]
	if !ok {
		return 0, false
	}
	return x.found[r].Root, true
}

// Find returns the best match for s among the indexed suggestions, and
// false when none is a near duplicate. The best is the one with the
// highest estimated Jaccard similarity; ties go to the earliest.
func (x *Duplicates) Find(s Signature) (Match, bool) {
	if s.Empty() {
		return Match{}, false
	}
	best, bestScore := int32(-1), -1.0
	x.gen++
	if x.gen == 0 { // wrapped: forget every stamp
		clear(x.seen)
		x.gen = 1
	}
	clear(x.tried)
	for b := 0; b < numBands; b++ {
		r, ok := x.head[bandKey(&s, b)]
		for walked := 0; ok && r >= 0 && walked < perBand; r, walked = x.next[int(r)*numBands+b], walked+1 {
			if x.seen[r] == x.gen {
				continue
			}
			x.seen[r] = x.gen
			root := x.found[r].Root
			if x.tried[root] >= perRoot {
				continue
			}
			x.tried[root]++
			j, c := s.Similarity(x.sigs[r])
			if !x.isCopy(s, x.sigs[r], j, c) {
				continue
			}
			// Jaccard ranks; containment only breaks ties, so a copy
			// joins the group of the text it repeats most fully.
			if score := j + c*1e-3; score > bestScore || score == bestScore && r < best {
				best, bestScore = r, score
			}
		}
	}
	if best < 0 {
		return Match{}, false
	}
	j, c := s.Similarity(x.sigs[best])
	return Match{Root: x.found[best].Root, Nearest: x.ids[best], Jaccard: j, Containment: c}, true
}

// isCopy applies the Options to two signatures and their similarities.
func (x *Duplicates) isCopy(a, b Signature, j, c float64) bool {
	if j >= x.opt.MinJaccard {
		return true
	}
	return c >= x.opt.MinContainment && int(min(a.shingles, b.shingles)) >= x.opt.MinContained
}

func (x *Duplicates) insert(id int64, s Signature, m Match) {
	r := int32(len(x.ids))
	x.ids = append(x.ids, id)
	x.found = append(x.found, m)
	x.sigs = append(x.sigs, s)
	x.row[id] = r
	x.seen = append(x.seen, 0)
	for b := 0; b < numBands; b++ {
		prev := int32(-1)
		if !s.Empty() {
			k := bandKey(&s, b)
			if h, ok := x.head[k]; ok {
				prev = h
			}
			x.head[k] = r
		}
		x.next = append(x.next, prev)
	}
}

// bandKey hashes band b of s with b itself, so equal values in different
// bands do not collide.
func bandKey(s *Signature, b int) uint32 {
	var buf [4 * bandRows]byte
	for i := 0; i < bandRows; i++ {
		binary.LittleEndian.PutUint32(buf[4*i:], s.mins[b*bandRows+i])
	}
	h := uint64(fnvOffset)
	h = (h ^ uint64(b)) * fnvPrime
	for _, c := range buf {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return uint32(mix(h))
}
