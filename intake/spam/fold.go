package spam

import "unicode"

// latinFold maps U+00C0–U+017F (Latin-1 Supplement and Latin
// Extended-A, which hold every Lithuanian letter) to the lower-case ASCII
// letter it is written on; '?' marks letters left alone. Residents often
// type without diacritics ("zmones" for "žmonės") and spam mixes both, so
// a word must look the same either way.
const latinFold = "aaaaaaaceeeeiiiidnoooooxouuuuytsaaaaaaaceeeeiiiidnooooo?ouuuuytyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiii?iiijjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzz?"

// script is the writing system of one letter.
type script uint8

const (
	scriptLatin    script = iota // ASCII and other Latin letters
	scriptBaltic                 // the Lithuanian letters ą č ę ė į š ų ū ž
	scriptCyrillic               // Russian, Ukrainian, Belarusian …
	scriptOther                  // Greek, CJK, Arabic, Hebrew …
)

// foldRune returns the folded form of letter r (lower case, diacritics
// removed from Latin, ё as е) and its script.
func foldRune(r rune) (rune, script) {
	switch {
	case r >= 0xC0 && r < 0x180:
		lr := unicode.ToLower(r)
		sc := scriptLatin
		switch lr {
		case 'ą', 'č', 'ę', 'ė', 'į', 'š', 'ų', 'ū', 'ž':
			sc = scriptBaltic
		}
		if f := latinFold[r-0xC0]; f != '?' {
			return rune(f), sc
		}
		return lr, sc
	case r >= 0x400 && r < 0x530:
		lr := unicode.ToLower(r)
		if lr == 'ё' {
			lr = 'е'
		}
		return lr, scriptCyrillic
	case r < 0x250:
		return unicode.ToLower(r), scriptLatin
	case r >= 0x1E00 && r < 0x1F00: // Latin Extended Additional (Vietnamese …)
		return unicode.ToLower(r), scriptLatin
	}
	return unicode.ToLower(r), scriptOther
}

// isEmoji reports pictographs that marketing sprinkles into subjects and
// text (💰 🚀 🔥 ✅ …): the Miscellaneous Symbols, Dingbats and the
// supplementary emoji blocks.
func isEmoji(r rune) bool {
	return (r >= 0x2600 && r < 0x27C0) || (r >= 0x1F300 && r < 0x1FB00) || (r >= 0x2B00 && r < 0x2C00)
}
