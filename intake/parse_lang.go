package intake

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
	// Walk the words (runs of letters) in place: splitting them into a
	// slice cost more than the counting.
	s = toLower(s)
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if !isLetter(r) {
			i += n
			continue
		}
		start, ltLetter := i, false
		for i < len(s) {
			r, n = rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(s[i:])
			}
			if !isLetter(r) {
				break
			}
			switch r {
			case 'ą', 'č', 'ę', 'ė', 'į', 'š', 'ų', 'ū', 'ž':
				ltLetter = true
			}
			i += n
		}
		if ltLetter {
			lt++
		}
		switch functionWord(s[start:i]) {
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
