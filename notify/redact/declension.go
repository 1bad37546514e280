package redact

import (
	"slices"
	"strings"
	"unicode"
)

// Lithuanian nouns change their ending with the grammatical case: Jonas,
// Jono, Jonui, Joną, Jonu, Jone, Jonai. The tables below give the
// singular endings of the declensions personal names and surnames follow
// (and the plural ones of place names such as Šilainiai), keyed by the
// nominative ending they replace. Longer keys are tried first, so -ius
// (Andrius → Andriaus) and -ienė are not read as -us or -ė.
var caseEndings = []struct {
	nom   string
	cases []string
}{
	{"ienė", []string{"ienės", "ienei", "ienę", "iene", "ienėje"}},
	{"ius", []string{"iaus", "iui", "ių", "iumi", "iuje", "iau"}},
	{"iai", []string{"ių", "iams", "ius", "iais", "iuose"}},
	{"as", []string{"o", "ui", "ą", "u", "e", "ai"}},
	{"is", []string{"io", "iui", "į", "iu", "yje", "i"}},
	{"ys", []string{"io", "iui", "į", "iu", "yje", "y"}},
	{"us", []string{"aus", "ui", "ų", "umi", "uje", "au"}},
	{"ai", []string{"ų", "ams", "us", "ais", "uose"}},
	{"ės", []string{"ių", "ėms", "es", "ėmis", "ėse"}},
	{"os", []string{"ų", "oms", "as", "omis", "ose"}},
	{"a", []string{"os", "ai", "ą", "oje"}},
	{"ė", []string{"ės", "ei", "ę", "e", "ėje"}},
}

// declensions returns the nominative and its singular case forms (plural
// for a plural place name). Before the -io, -iui and -iu endings a stem's
// t and d soften to č and dž (Kęstutis, Kęstučio; Petraitis, Petraičio),
// as Lithuanian spelling requires. A word with no known ending (Sarah, a
// foreign surname) is returned alone.
func declensions(nom string) []string {
	out := []string{nom}
	for _, e := range caseEndings {
		stem, ok := strings.CutSuffix(nom, e.nom)
		if !ok || len(stem) < 2 {
			continue
		}
		for _, c := range e.cases {
			s := stem
			if (e.nom == "is" || e.nom == "ys") && strings.HasPrefix(c, "i") && c != "i" {
				switch {
				case strings.HasSuffix(s, "t"):
					s = s[:len(s)-1] + "č"
				case strings.HasSuffix(s, "d"):
					s = s[:len(s)-1] + "dž"
				}
			}
			out = append(out, s+c)
		}
		break
	}
	return out
}

// foldFrom are the Lithuanian letters with diacritics, in lower case, and
// foldTo, at the same places, the plain letters fold makes of them.
var foldFrom, foldTo = []rune("ąčęėįšųūž"), []rune("aceeisuuz")

// fold lower-cases s and removes the Lithuanian diacritics, so that
// "Kazlauskiene" typed without them is the same word as "Kazlauskienė".
func fold(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || ('A' <= c && c <= 'Z') {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r >= 0x80:
			r = unicode.ToLower(r)
			if i := slices.Index(foldFrom, r); i >= 0 {
				r = foldTo[i]
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}
