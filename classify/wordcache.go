package classify

import (
	"slices"
	"strings"
)

// wordCache holds, for the words seen often in training, the features
// extract makes of a word with their vocabulary rows already looked up, so
// that classifying a text stems, hashes and looks up only its rarer words.
// A trained model's vocabulary does not change, so an entry never goes
// stale; the features and their order are exactly wordFeats', less those
// of its prefix and n-grams that are not in the vocabulary (dropped by
// count anyway, and used by nothing else).
type wordCache struct {
	index   *hashIndex // wordHash(word as extract sees it) → entries index
	entries []wordEntry
	rows    []int32 // the known prefix and n-gram rows of every entry
}

// wordEntry is one word's features. stem and neg are kept as hashes too:
// the adapter keys its weights on them, in or out of the vocabulary.
type wordEntry struct {
	stem, neg       uint64
	stemRow, negRow int32 // -1: not in the vocabulary
	prefixRow       int32 // -1: none, or not in the vocabulary
	from, to        int32 // its n-gram rows: rows[from:to]
}

// minCachedCount is how many times a word must occur in the training
// texts to be cached. Words met once are mostly names and typos that a
// new text rarely repeats. With the shipped examples the cache holds
// 15,806 words (about 1.5 MB with its index) and covers 95% of the words
// of sealed22.jsonl, an author the examples do not have.
const minCachedCount = 2

// wordCounter counts the content words of the training texts.
type wordCounter map[string]int32

// add counts the tokens of one text (extract's sc.tokens).
func (wc wordCounter) add(tokens []string) {
	for _, t := range tokens {
		if n, ok := wc[t]; ok {
			wc[t] = n + 1
			continue
		}
		// A token is a slice of its normalised text: copy it so that the
		// map does not keep every training text alive.
		wc[strings.Clone(t)] = 1
	}
}

// build makes the cache of the words counted at least minCachedCount
// times, their rows looked up in v.
func (wc wordCounter) build(v *vocabulary, fc featConf) *wordCache {
	c := &wordCache{index: newHashIndex(len(wc) / 2)}
	var feats []feature
	var buf []byte
	row := func(h uint64) int32 { return v.index.get(h) }
	for t, n := range wc {
		if n < minCachedCount {
			continue
		}
		feats, buf = wordFeats(feats[:0], buf, t, 0, true, 1, fc)
		e := wordEntry{neg: feats[0].h, negRow: row(feats[0].h), prefixRow: -1}
		feats, buf = wordFeats(feats[:0], buf, t, 0, false, 1, fc)
		e.stem, e.stemRow = feats[0].h, row(feats[0].h)
		e.from = int32(len(c.rows))
		for _, f := range feats[1:] {
			r := row(f.h)
			switch {
			case r < 0:
			case f.kind == kindPrefix:
				e.prefixRow = r
			default:
				c.rows = append(c.rows, r)
			}
		}
		e.to = int32(len(c.rows))
		c.index.intern(wordHash(t))
		c.entries = append(c.entries, e)
	}
	c.rows = c.rows[:len(c.rows):len(c.rows)]
	return c
}

// lookup returns the entry of word t, or nil (also for a nil cache).
func (c *wordCache) lookup(t string) *wordEntry {
	if c == nil {
		return nil
	}
	i := c.index.get(wordHash(t))
	if i < 0 {
		return nil
	}
	return &c.entries[i]
}

// wordHash keys a word in the cache. Like the vocabulary's, the index
// keeps a 32-bit fingerprint of it: a new word takes a cached word's
// features only if both fall in one probe run with one fingerprint, about
// one chance in 10⁹ per word, where a Go map, comparing strings, was a
// quarter of what the cache saves.
func wordHash(t string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(t); i++ {
		h ^= uint64(t[i])
		h *= fnvPrime
	}
	return h
}

// appendFeats appends e's features for token ti as wordFeats would.
func (c *wordCache) appendFeats(feats []feature, e *wordEntry, ti int32, neg bool, reps int) []feature {
	if neg {
		return append(feats, feature{h: e.neg, tok: ti, row: e.negRow + 1, kind: kindNeg})
	}
	f := feature{h: e.stem, tok: ti, row: e.stemRow + 1, kind: kindStem}
	for range reps {
		feats = append(feats, f)
	}
	if e.prefixRow >= 0 {
		f := feature{tok: ti, row: e.prefixRow + 1, kind: kindPrefix}
		for range reps {
			feats = append(feats, f)
		}
	}
	rows := c.rows[e.from:e.to]
	n := len(feats)
	feats = slices.Grow(feats, len(rows))[:n+len(rows)]
	for i, r := range rows {
		feats[n+i] = feature{tok: ti, row: r + 1, kind: kindGram}
	}
	return feats
}
