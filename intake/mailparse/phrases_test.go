package mailparse

import (
	"strings"
	"testing"
)

// TestPhraseSet: overlapping phrases, one-byte phrases, phrases at both
// ends of the text and multi-byte letters are all found as
// strings.Contains finds them.
func TestPhraseSet(t *testing.T) {
	phrases := []string{"ab", "abc", "b", "bc", "c", "žą", "ąž", "€", "%", "$", "zz"}
	ps := newPhraseSet(phrases)
	for _, text := range []string{"", "a", "b", "abc", "xabcx", "bc", "žąžą", "10 €", "50%", "$", "azz", "zz", "z"} {
		checkPhraseSet(t, ps, phrases, text)
	}
}

// FuzzPhraseSet: the spam score's phrase set finds what strings.Contains
// finds, on any text.
func FuzzPhraseSet(f *testing.F) {
	for _, s := range []string{
		"užsisakykite dabar! tik šiandien nuolaida iki -50 %, spauskite čia",
		"siūlau vvg strategijoje numatyti paramą kaimo bendruomenėms",
		"seo paslaugos jūsų svetainei: pirmoje vietoje google, kaina tik 99 €",
		"\xff\xfe€€$$%", "stop", "100",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkPhraseSet(t, spamPhrases, spamPhrases.phrases, text)
	})
}

func checkPhraseSet(t *testing.T, ps *phraseSet, phrases []string, text string) {
	t.Helper()
	found := make([]bool, len(phrases))
	ps.find(text, found)
	for i, p := range phrases {
		if want := strings.Contains(text, p); found[i] != want {
			t.Errorf("in %q, phrase %q: found %v, strings.Contains says %v", text, p, found[i], want)
		}
	}
}
