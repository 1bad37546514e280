package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of the text with what the name rules need to know
// about it.
type token struct {
	start, end int    // bytes of the word; an initial's end includes its dot
	key        string // the word in lower case
	fold       string // the word folded (see fold)
	upper      bool   // starts with a capital letter
	allCaps    bool   // two or more letters, all capitals (VVG, UAB)
	initial    bool   // one capital letter and a dot: "J."
	dot        bool   // a dot follows the word
	sentStart  bool   // first word of a sentence or a line
	lineStart  bool   // first word of a line
}

// abbrevs end with a dot that does not end a sentence.
var abbrevs = map[string]bool{
	"dr": true, "doc": true, "prof": true, "p": true, "gerb": true, "sv": true, "g": true, "pr": true,
	"al": true, "pl": true, "tel": true, "el": true, "pvz": true, "mr": true, "mrs": true, "ms": true,
	"nr": true, "t": true, "y": true, "sk": true, "kt": true, "a": true, "k": true, "r": true, "sav": true,
}

// tokenize splits text into words: letters, with hyphens and apostrophes
// inside a word kept ("Stankutė-Jonaitienė", "O'Brien").
func tokenize(text string) []token {
	var out []token
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		start := i
		i += n
		for i < len(text) {
			r, n := utf8.DecodeRuneInString(text[i:])
			if unicode.IsLetter(r) {
				i += n
				continue
			}
			if (r == '-' || r == '\'' || r == '’') && i+n < len(text) {
				if r2, _ := utf8.DecodeRuneInString(text[i+n:]); unicode.IsLetter(r2) {
					i += n
					continue
				}
			}
			break
		}
		w := text[start:i]
		first, fn := utf8.DecodeRuneInString(w)
		t := token{start: start, end: i, key: strings.ToLower(w), fold: fold(w), upper: unicode.IsUpper(first)}
		t.dot = i < len(text) && text[i] == '.'
		if fn == len(w) && t.upper && t.dot {
			t.initial = true
			t.end++
		}
		if utf8.RuneCountInString(w) >= 2 && strings.ToUpper(w) == w {
			t.allCaps = true
		}
		gap := text[0:start]
		if len(out) > 0 {
			gap = text[out[len(out)-1].end:start]
		}
		t.lineStart = len(out) == 0 || strings.Contains(gap, "\n")
		t.sentStart = t.lineStart || strings.ContainsAny(gap, "!?:;") ||
			(strings.Contains(gap, ".") && !out[len(out)-1].initial && !abbrevs[out[len(out)-1].fold])
		if len(out) > 0 && out[len(out)-1].dot && !out[len(out)-1].initial && !abbrevs[out[len(out)-1].fold] {
			t.sentStart = true
		}
		out = append(out, t)
	}
	return out
}

func isUpperStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}
