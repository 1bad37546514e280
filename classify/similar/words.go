package similar

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vvgintake/vvgintake/classify"
)

// maxWords bounds the words read from one text, so that any input costs
// bounded time: a suggestion is a few hundred words, a community letter
// with its signatures a few hundred more.
const maxWords = 2000

// word is one word of a text.
type word struct {
	fold    string // the word with diacritics folded: what copies share
	stem    string // Fold(Stem(word)): what residents saying the same share
	surface string // the normalised word, for labels
	content bool   // not a stop word, not a number, at least two letters
}

// splitWords returns the words of what the resident wrote (body), stop
// words included. Folding makes a copy retyped without diacritics the
// same text; stemming then folding (the order classify uses) makes
// "pasiūlymų", "pasiūlymai" and "pasiulymai" one term.
func splitWords(text string) []word {
	toks := classify.Tokens(body(text))
	if len(toks) > maxWords {
		toks = toks[:maxWords]
	}
	// A greeting says nothing and is shared by unrelated letters.
	skip := 0
	for skip < min(len(toks), 3) && isGreeting(classify.Fold(toks[skip])) {
		skip++
	}
	toks = toks[skip:]
	out := make([]word, len(toks))
	for i, t := range toks {
		f := classify.Fold(t)
		out[i] = word{fold: f, stem: foldStem(t, f), surface: t, content: isContent(t)}
	}
	return out
}

// foldStem returns Fold(Stem(t)) given f = Fold(t). The stem is most
// often the word with its ending cut off, and folding maps an NFC word
// letter for letter, so the folded stem is then the same number of
// letters cut from f: one Fold per word instead of two, which was a
// tenth of grouping's time.
func foldStem(t, f string) string {
	st := classify.Stem(t)
	if !strings.HasPrefix(t, st) || len(f) == len(t) && f == t {
		if f == t {
			return st // ASCII or nothing to fold
		}
		return classify.Fold(st)
	}
	n := utf8.RuneCountInString(st)
	if utf8.RuneCountInString(t) != utf8.RuneCountInString(f) {
		return classify.Fold(st)
	}
	i := 0
	for ; n > 0; n-- {
		_, size := utf8.DecodeRuneInString(f[i:])
		i += size
	}
	return f[:i]
}

// body returns text without its sign-off: from a closing line
// ("Pagarbiai,", "Su pagarba, Rūta", "Kind regards") near the end to the
// end, where names, positions, addresses and company details follow. Two
// letters of one organisation share that block whole and are no more
// alike for it; two copies of a campaign differ mostly there. mailparse
// already drops a "-- " signature and legal disclaimers; this is the
// hand-written kind it keeps. A closing in the first line or before the
// last twelve lines is left alone: that is not a sign-off.
func body(text string) string {
	lines := strings.Split(text, "\n")
	for i := len(lines) - 1; i > 0 && i >= len(lines)-12; i-- {
		if isClosing(lines[i]) {
			return strings.Join(lines[:i], "\n")
		}
	}
	return text
}

// isClosing reports a sign-off line: a closing phrase alone, or followed
// by a comma and at most four words (a name).
func isClosing(line string) bool {
	t := strings.ToLower(strings.TrimSpace(line))
	phrase, rest, comma := strings.Cut(t, ",")
	if comma && len(strings.Fields(rest)) > 4 {
		return false
	}
	switch strings.TrimRight(phrase, " .!") {
	case "pagarbiai", "su pagarba", "linkėjimai", "linkejimai", "geriausi linkėjimai",
		"geriausi linkejimai", "su geriausiais linkėjimais", "su geriausiais linkejimais",
		"regards", "best regards", "kind regards", "sincerely", "yours sincerely",
		"yours faithfully", "best wishes", "с уважением":
		return true
	}
	return false
}

// isGreeting reports a folded word of a letter's opening ("Laba diena",
// "Sveiki", "Gerbiamieji", "Hello", "Добрый день").
func isGreeting(w string) bool {
	switch w {
	case "laba", "labas", "diena", "sveiki", "sveikas", "sveika", "sveikinu", "gerbiamieji",
		"gerbiami", "gerbiamasis", "gerbiamoji", "hello", "hi", "dear", "good", "morning",
		"afternoon", "здравствуите", "добрыи", "день":
		return true
	}
	return false
}

// isContent reports whether the normalised token t can carry an idea: at
// least two letters and not a stop word. Numbers (house numbers, phone
// numbers, years) say nothing about what a resident asks for.
func isContent(t string) bool {
	letters := 0
	for _, r := range t {
		if r < utf8.RuneSelf && 'a' <= r && r <= 'z' || r >= utf8.RuneSelf && unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2 && !classify.IsStopWord(t)
}
