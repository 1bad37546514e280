package classify

import "unicode"

// foreign reports whether a text is mostly in another language than
// Lithuanian: more English function words or Cyrillic words than
// Lithuanian function words. Such text that proposes nothing (a question,
// a request, an offer) goes to a person whatever its confidence: the
// examples in English and Russian are few, so a confident answer on them
// means less, and staff may need to answer in that language anyway. A
// proposal in English is filed like any other.
func foreign(ws []word) bool {
	var lt, other int
	for _, w := range ws {
		switch {
		case isLithuanianFunction(w.text):
			lt++
		case isEnglishFunction(w.text):
			other++
		case isCyrillic(w.text):
			other++
		}
	}
	return other >= 2 && other > lt
}

// isLithuanianFunction reports whether w is a common Lithuanian function
// word. Words that are also English when typed without diacritics ("is"
// for "iš", "i" for "į") are left out.
func isLithuanianFunction(w string) bool {
	switch w {
	case "ir", "kad", "bet", "ar", "su", "iš", "į", "o", "tai", "yra", "dėl", "del",
		"apie", "per", "prie", "nes", "kaip", "jau", "dar", "labai", "mes", "aš", "as",
		"man", "mano", "mūsų", "musu", "jie", "jog", "bei", "nuo", "iki", "po", "už",
		"uz", "tik", "taip", "gal", "ne", "būtų", "butu", "kur", "kas", "ką", "ka":
		return true
	}
	return false
}

// isEnglishFunction reports whether w is a common English function word.
func isEnglishFunction(w string) bool {
	switch w {
	case "the", "and", "to", "of", "are", "in", "for", "we", "you", "it", "this",
		"that", "with", "on", "be", "would", "please", "not", "have", "an", "my",
		"our", "your", "will", "can", "from", "there", "what", "when", "how":
		return true
	}
	return false
}

// isCyrillic reports whether w starts with a Cyrillic letter.
func isCyrillic(w string) bool {
	for _, r := range w {
		return unicode.Is(unicode.Cyrillic, r)
	}
	return false
}
