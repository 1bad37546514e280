package redact

import (
	"strings"
	"unicode"
)

// orgWords are the words that make a sender's name an organisation's:
// the Lithuanian legal forms (UAB, VšĮ, MB, IĮ, AB, ŽŪB, KŪB), the kinds
// of body that write to a VVG (bendruomenė, asociacija, klubas, mokykla,
// seniūnija …) and their English counterparts. They are folded (see fold)
// and matched as a word's beginning, so every case form counts
// ("bendruomenės", "asociacijai").
var orgWords = []string{
	"uab", "vsi", "mb", "ii", "ab", "zub", "kub", "nvo",
	"bendruomen", "bendrij", "asociacij", "draugij", "klub", "centr", "fond", "sajung", "mokykl",
	"gimnazij", "progimnazij", "darzel", "lopsel", "bibliotek", "seniunij", "savivaldyb", "parapij",
	"muziej", "kooperatyv", "taryb", "federacij", "organizacij", "institut", "universitet", "kolegij",
	"ligonin", "poliklinik", "komitet", "sambur", "ansambl", "chor", "vvg", "imon", "bendrov",
	"association", "community", "club", "society", "foundation", "school", "ltd", "company", "council",
	"centre", "center", "church", "library", "museum", "committee",
}

// IsOrganisation reports whether a sender's name is an organisation's
// ("Aleksoto bendruomenė", "VšĮ Kūrybos namai", "UAB Medis") rather than
// a private person's. An organisation's name is not personal data: the
// results table publishes it when the organisation gave one, and it is
// not hidden in the text (pass it in Known.Public). A person writing for
// an organisation ("Ona Petraitienė, Aleksoto bendruomenė") gives both;
// Find on the name hides the person's part.
func IsOrganisation(name string) bool {
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) {
		f := fold(w)
		for _, o := range orgWords {
			if len(o) <= 3 {
				if f == o { // legal forms are whole words: "ab" is not "abėcėlė"
					return true
				}
				continue
			}
			if strings.HasPrefix(f, o) {
				return true
			}
		}
	}
	return false
}
