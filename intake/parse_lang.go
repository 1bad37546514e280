package intake

import (
	"strings"
	"unicode"
)

// guessLanguage tells Lithuanian from English by counting Lithuanian
// letters and the commonest function words of each language. Lithuanian
// wins ties and short texts: it is the consultation's language.
func guessLanguage(s string) string {
	if len(s) > 8000 {
		s = strings.ToValidUTF8(s[:8000], "")
	}
	lt, en := 0, 0
	for _, w := range strings.FieldsFunc(toLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if strings.ContainsAny(w, "ąčęėįšųūž") {
			lt++
		}
		switch w {
		case "ir", "kad", "yra", "dėl", "su", "į", "už", "bet", "ar", "tai", "mūsų", "jūsų", "labai", "sveiki", "laba", "diena", "aš", "mes", "kaip", "nes", "taip", "pat", "iš", "prie", "apie", "pagarbiai":
			lt++
		case "the", "and", "is", "are", "to", "of", "for", "with", "that", "this", "you", "we", "please", "would", "could", "hello", "dear", "regards", "thank", "thanks", "our", "your", "in", "on", "be", "it", "will", "have":
			en++
		}
	}
	if en >= 3 && en > 2*lt {
		return "en"
	}
	return "lt"
}
