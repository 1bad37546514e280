package classify

import "unicode/utf8"

// brk says what stands between a word and the word before it: the clause
// and sentence boundaries that decide how far a rejection reaches and
// which sentence a question mark closes.
type brk uint8

const (
	brkNone     brk = iota
	brkClause       // , ; : a dash, a bracket or a quotation mark
	brkSentence     // . ! or a line break
	brkQuestion     // ?
)

// word is one word of a text (stop words included) with the boundary
// before it and whether it lies in a rejected stretch ("ne kursų").
type word struct {
	text   string
	before brk
	neg    bool
}

// splitWords appends the words of the normalised text s to out. The words
// are the same as eachToken's; a boundary mark is the strongest one seen
// since the previous word. last is the boundary after the last word.
func splitWords(s string, out []word) (_ []word, last brk) {
	start := -1
	pending := brkNone
	var prev rune
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			prev = r
			continue
		}
		if start >= 0 {
			out = append(out, word{text: s[start:i], before: pending})
			pending = brkNone
			start = -1
		}
		pending = max(pending, breakOf(r, prev))
		prev = r
	}
	if start >= 0 {
		out = append(out, word{text: s[start:], before: pending})
		pending = brkNone
	}
	return out, pending
}

// breakOf classifies the non-word rune r (after prev). A hyphen joins
// words ("pardavėjo-kasininko") unless typed with a space before it, the
// way people type a dash.
func breakOf(r, prev rune) brk {
	switch r {
	case '?':
		return brkQuestion
	case '.', '!', '\n', '…':
		return brkSentence
	case ',', ';', ':', '–', '—', '(', ')', '"', '„', '“', '”', '«', '»', '/':
		return brkClause
	case '-':
		if prev == ' ' {
			return brkClause
		}
	}
	return brkNone
}

// foldEq reports whether the lower-case word w equals the folded ASCII
// word a once diacritics are folded ("nėra" matches "nera").
func foldEq(w, a string) bool {
	n, ok := foldPrefixLen(w, a)
	return ok && n == len(w)
}

// foldHasPrefix reports whether folded w starts with the ASCII prefix a.
func foldHasPrefix(w, a string) bool {
	_, ok := foldPrefixLen(w, a)
	return ok
}

// foldPrefixLen matches a against the start of w rune by rune, folding
// w's runes; it returns the bytes of w consumed.
func foldPrefixLen(w, a string) (int, bool) {
	i := 0
	for j := 0; j < len(a); j++ {
		if i >= len(w) {
			return i, false
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		if foldRune(r) != rune(a[j]) {
			return i, false
		}
		i += size
	}
	return i, true
}

// appendFolded appends w with its diacritics folded to b.
func appendFolded(b []byte, w string) []byte {
	for _, r := range w {
		b = utf8.AppendRune(b, foldRune(r))
	}
	return b
}
