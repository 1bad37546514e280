package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in Unicode NFC, lower-cased. Mail clients and web
// forms deliver Lithuanian letters both precomposed (ą, U+0105) and as a
// base letter plus a combining mark (a + U+0328); NFC makes them one rune
// so that equal words compare equal.
func Normalize(s string) string {
	// Lower-casing keeps combining marks as they are, so one NFC pass
	// afterwards composes both precomposed and decomposed input.
	s = toLower(s)
	if composedAlready(s) || norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// toLower is strings.ToLower, faster for the scripts residents write in:
// runes below U+0500 (ASCII, Latin with Lithuanian's letters, Cyrillic)
// come from a small table, the rest from unicode.ToLower. Invalid UTF-8
// is left to strings.ToLower.
func toLower(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b, once b is in use
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				if b.Cap() == 0 {
					b.Grow(len(s) + 4)
				}
				b.WriteString(s[done:i])
				b.WriteByte(c + 'a' - 'A')
				done = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return strings.ToLower(s)
		}
		var l rune
		if r < rune(len(lowerTable)) {
			l = rune(lowerTable[r])
		} else {
			l = unicode.ToLower(r)
		}
		if l != r {
			if b.Cap() == 0 {
				b.Grow(len(s) + 4)
			}
			b.WriteString(s[done:i])
			b.WriteRune(l)
			done = i + size
		}
		i += size
	}
	if b.Cap() == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// lowerTable is unicode.ToLower of every rune below U+0500.
var lowerTable = func() (t [0x500]uint16) {
	for r := range t {
		t[r] = uint16(unicode.ToLower(rune(r)))
	}
	return t
}()

// composedAlready reports whether s is NFC by its letters alone: every
// rune is below U+0300 (ASCII and the precomposed Latin letters,
// Lithuanian's among them), Cyrillic without its combining marks, general
// punctuation („“ – …) or the euro sign. None of those combines with
// another, so a string of them is NFC; the full check (a third of
// Normalize's time) is left for the rest. TestComposedAlready checks
// every pair of them against the norm package.
func composedAlready(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x300, 0x400 <= r && r < 0x483, 0x48a <= r && r < 0x500, 0x2010 <= r && r < 0x2030, r == 0x20ac:
		default:
			return false
		}
	}
	return true
}

// Fold strips diacritics: ą→a, č→c, ę→e, ė→e, į→i, š→s, ų→u, ū→u, ž→z
// (and the upper-case forms), plus the marks of other Latin letters
// (é→e, ö→o). Many residents type on keyboards without a Lithuanian layout,
// so "zmones" must match "žmonės". Case and non-Latin scripts (Cyrillic)
// are kept as they are.
func Fold(s string) string {
	if isASCII(s) {
		return s
	}
	if f, ok := foldLithuanian(s); ok {
		return f
	}
	return foldUnicode(s)
}

// foldLithuanian is Fold for the words nearly every token is: ASCII and
// the nine marked Lithuanian lower-case letters, mapped letter for letter
// without the two normalisations (a tenth of grouping's time went to
// them). ok is false for any other letter, which foldUnicode folds.
func foldLithuanian(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch r {
		case 'ą', 'č', 'ę', 'ė', 'į', 'š', 'ų', 'ū', 'ž':
			b = append(b, byte(foldRune(r)))
		default:
			if r >= utf8.RuneSelf {
				return "", false
			}
			b = append(b, byte(r))
		}
	}
	return string(b), true
}

// foldUnicode is Fold by decomposition: every combining diacritical mark
// dropped.
func foldUnicode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) && r >= 0x0300 && r <= 0x036F {
			// Combining diacritical marks (ogonek U+0328, caron U+030C,
			// dot above U+0307, macron U+0304, acute…). Cyrillic й and ё
			// decompose to the same block, so they fold to и and е, which
			// only helps matching Russian typed either way.
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// foldRune is the allocation-free fold of one lower-case rune used on the
// hot path; it covers the Lithuanian alphabet and falls back to Fold for
// other marked Latin letters.
func foldRune(r rune) rune {
	switch r {
	case 'ą':
		return 'a'
	case 'č':
		return 'c'
	case 'ę', 'ė':
		return 'e'
	case 'į':
		return 'i'
	case 'š':
		return 's'
	case 'ų', 'ū':
		return 'u'
	case 'ž':
		return 'z'
	}
	if r < 0xC0 || r > 0x24F {
		return r
	}
	f, _ := utf8.DecodeRuneInString(Fold(string(r)))
	return f
}

// Tokens splits s into normalised words: maximal runs of letters and
// digits, lower-case NFC. Hyphens, apostrophes and punctuation separate
// words, so "pardavėjo-kasininko" gives two tokens. Stop words are kept;
// use IsStopWord to drop them.
func Tokens(s string) []string {
	var out []string
	eachToken(Normalize(s), func(t string) bool {
		out = append(out, t)
		return true
	})
	return out
}

// isWordRune reports whether r belongs to a word. Combining marks are
// included so that text NFC cannot compose (rare letters with two marks)
// does not split in the middle of a word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
