package mailparse

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// guessLanguage tells Lithuanian from English by counting Lithuanian
// letters and the commonest function words of each language. Lithuanian
// wins ties and short texts: it is the consultation's language.
func guessLanguage(s string) string {
	if len(s) > 8000 {
		s = strings.ToValidUTF8(s[:8000], "")
	}
	lt, en := 0, 0
	// Walk the words (runs of letters) in place, lower-casing rune by
	// rune: splitting the text into a slice of words, or lower-casing it
	// whole first, cost more than the counting. A word is spelt out in
	// buf only as far as a function word could be.
	var buf [16]byte
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if !isLetter(r) {
			i += n
			continue
		}
		w, long, ltLetter := buf[:0], false, false
		for i < len(s) {
			r, n = rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(s[i:])
			}
			if !isLetter(r) {
				break
			}
			i += n
			if r < utf8.RuneSelf {
				r |= 0x20 // an ASCII letter
			} else {
				r = unicode.ToLower(r)
			}
			switch r {
			case 'ą', 'č', 'ę', 'ė', 'į', 'š', 'ų', 'ū', 'ž':
				ltLetter = true
			}
			if len(w)+utf8.RuneLen(r) > len(buf) {
				long = true
			} else if !long {
				w = utf8.AppendRune(w, r)
			}
		}
		if ltLetter {
			lt++
		}
		if long {
			continue
		}
		switch functionWord(string(w)) {
		case "lt":
			lt++
		case "en":
			en++
		}
	}
	if en >= 3 && en > 2*lt {
		return "en"
	}
	return "lt"
}

// isLetter is unicode.IsLetter with an ASCII fast path.
func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r|0x20 && r|0x20 <= 'z'
	}
	return unicode.IsLetter(r)
}

// functionWord says which language a lower-case word is one of the
// commonest function words of: "lt", "en" or "".
func functionWord(w string) string {
	switch w {
	case "ir", "kad", "yra", "dėl", "su", "į", "už", "bet", "ar", "tai", "mūsų", "jūsų", "labai", "sveiki", "laba", "diena", "aš", "mes", "kaip", "nes", "taip", "pat", "iš", "prie", "apie", "pagarbiai":
		return "lt"
	case "the", "and", "is", "are", "to", "of", "for", "with", "that", "this", "you", "we", "please", "would", "could", "hello", "dear", "regards", "thank", "thanks", "our", "your", "in", "on", "be", "it", "will", "have":
		return "en"
	}
	return ""
}
