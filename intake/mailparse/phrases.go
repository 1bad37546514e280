package mailparse

import "strings"

// phraseSet finds which of a fixed list of phrases occur in a text, in one
// pass over it: the spam score looks for about a hundred phrases in every
// message, and a strings.Contains per phrase read the text a hundred times.
// At each position of the text a table indexed by its next two bytes
// names the few phrases that could start there; one-byte phrases have a
// table of their own. Found is strings.Contains, phrase by phrase.
type phraseSet struct {
	phrases []string
	pair    [1 << 16]uint8 // index+1 into lists, 0: no phrase starts so
	lists   [][]int32      // phrases by their first two bytes
	single  [256][]int32   // one-byte phrases
}

func newPhraseSet(phrases []string) *phraseSet {
	ps := &phraseSet{phrases: phrases}
	for i, p := range phrases {
		switch {
		case p == "":
			panic("phraseSet: empty phrase")
		case len(p) == 1:
			ps.single[p[0]] = append(ps.single[p[0]], int32(i))
		default:
			k := uint16(p[0])<<8 | uint16(p[1])
			if ps.pair[k] == 0 {
				if len(ps.lists) == 255 {
					panic("phraseSet: more than 255 distinct phrase openings")
				}
				ps.lists = append(ps.lists, nil)
				ps.pair[k] = uint8(len(ps.lists))
			}
			ps.lists[ps.pair[k]-1] = append(ps.lists[ps.pair[k]-1], int32(i))
		}
	}
	return ps
}

// find sets found[i] for every phrase i that occurs in text; found must
// have one entry per phrase.
func (ps *phraseSet) find(text string, found []bool) {
	for i := 0; i < len(text); i++ {
		for _, p := range ps.single[text[i]] {
			found[p] = true
		}
		if i+1 == len(text) {
			break
		}
		k := ps.pair[uint16(text[i])<<8|uint16(text[i+1])]
		if k == 0 {
			continue
		}
		for _, p := range ps.lists[k-1] {
			if !found[p] && strings.HasPrefix(text[i:], ps.phrases[p]) {
				found[p] = true
			}
		}
	}
}
