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
	text    string
	fold    string // text with diacritics folded (Fold), for matching
	before  brk
	content bool // contentWord
	propose bool // isProposalWord(fold)
	neg     bool
	fa, fb  int32 // fold's span in the folded text, while splitting
}

// splitWords appends the words of the normalised text s to out. The words
// are the same as eachToken's; a boundary mark is the strongest one seen
// since the previous word. last is the boundary after the last word.
func splitWords(s string, out []word) (_ []word, last brk) {
	first := len(out)
	// The folded text is built alongside, one folded rune per rune, and
	// made a string once; each word's fold is a slice of it.
	folded := make([]byte, 0, len(s))
	start, fstart := -1, 0
	pending := brkNone
	var prev rune
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start, fstart = i, len(folded)
			}
			folded = utf8.AppendRune(folded, foldRune(r))
			prev = r
			continue
		}
		if start >= 0 {
			out = append(out, word{text: s[start:i], before: pending, fa: int32(fstart), fb: int32(len(folded))})
			pending = brkNone
			start = -1
		}
		pending = max(pending, breakOf(r, prev))
		prev = r
	}
	if start >= 0 {
		out = append(out, word{text: s[start:], before: pending, fa: int32(fstart), fb: int32(len(folded))})
		pending = brkNone
	}
	fs := string(folded)
	for i := first; i < len(out); i++ {
		w := &out[i]
		w.fold = fs[w.fa:w.fb]
		w.content = isContent(w.text, w.fold)
		w.propose = isProposalWord(w.fold)
	}
	proposalPhrases(out[first:])
	return out, pending
}

// proposalPhrases marks the polite requests whose words alone propose
// nothing: "gal galima (, kad)…" (could there perhaps be…) and
// "norėčiau, kad…" (I would like there to be…); "norėčiau sužinoti" (I
// would like to know) stays a question.
func proposalPhrases(ws []word) {
	for i := 1; i < len(ws); i++ {
		if ws[i].before >= brkSentence {
			continue
		}
		switch p := ws[i-1].fold; {
		case p == "gal" && ws[i].fold == "galima":
			ws[i].propose = true
		case ws[i].fold == "kad" && (p == "noreciau" || p == "noretume" || p == "noretu" || p == "noriu" || p == "norime" || p == "norim"):
			ws[i-1].propose = true
		}
	}
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

// appendFolded appends w with its diacritics folded to b.
func appendFolded(b []byte, w string) []byte {
	for _, r := range w {
		b = utf8.AppendRune(b, foldRune(r))
	}
	return b
}
