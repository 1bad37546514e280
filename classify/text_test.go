package classify

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii", "Laba Diena", "laba diena"},
		{"precomposed", "ŽMONĖS Į DARBĄ", "žmonės į darbą"},
		{"decomposed ogonek", "a\u0328", "ą"},
		{"decomposed caron upper", "S\u030Caltinis", "šaltinis"},
		{"decomposed dot above", "zmone\u0307s", "zmonės"},
		{"cyrillic", "ЗДРАВСТВУЙТЕ", "здравствуйте"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"all lithuanian lower", "ąčęėįšųūž", "aceeisuuz"},
		{"all lithuanian upper", "ĄČĘĖĮŠŲŪŽ", "ACEEISUUZ"},
		{"sentence", "Žmonės nežino, kur kreiptis dėl pašalpų", "Zmones nezino, kur kreiptis del pasalpu"},
		{"decomposed", "s\u030Cu\u0328", "su"},
		{"other latin", "café naïve", "cafe naive"},
		{"ascii unchanged", "labas", "labas"},
		{"cyrillic kept", "волонтёр", "волонтер"},
		{"digits and symbols", "50 € / 100%", "50 € / 100%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestFoldFastPath: the letter-for-letter fold of Lithuanian words gives
// what folding by decomposition gives, for every word of the labelled
// suggestions and for each marked letter alone.
func TestFoldFastPath(t *testing.T) {
	words := strings.Fields("ąčęėįšųūž ĄČĘĖĮŠŲŪŽ café волонтёр s\u030Cu")
	_, shipped, dev := aleksotas(t)
	for _, ex := range append(shipped, dev...) {
		words = append(words, Tokens(ex.Text)...)
	}
	fast := 0
	for _, w := range words {
		if f, ok := foldLithuanian(w); ok {
			fast++
			if want := foldUnicode(w); f != want {
				t.Errorf("foldLithuanian(%q) = %q, foldUnicode %q", w, f, want)
			}
		}
	}
	if fast == 0 {
		t.Fatal("no word took the fast path")
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"sentence", "Laba diena, siūlau kursus!", []string{"laba", "diena", "siūlau", "kursus"}},
		{"hyphen splits", "pardavėjo-kasininko kursai", []string{"pardavėjo", "kasininko", "kursai"}},
		{"quotes and dashes", "„verslas verslui“ – mentorystė", []string{"verslas", "verslui", "mentorystė"}},
		{"digits kept", "C kategorija ir 95 kodas", []string{"c", "kategorija", "ir", "95", "kodas"}},
		{"url", "https://vvg.lt/apie", []string{"https", "vvg", "lt", "apie"}},
		{"mixed scripts", "Привет, siūlau", []string{"привет", "siūlau"}},
		{"decomposed letter stays one word", "z\u030Cmone\u0307s", []string{"žmonės"}},
		{"only punctuation", " ...!? ", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Tokens(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsStopWord(t *testing.T) {
	tests := []struct {
		word string
		want bool
	}{
		{"ir", true},
		{"kad", true},
		{"ką", true},
		{"ka", true}, // typed without diacritics
		{"dėl", true},
		{"del", true},
		{"mūsų", true},
		{"the", true},
		{"что", true},
		{"https", true},
		{"savanoriai", false},
		{"verslas", false},
		{"kursai", false},
		{"работа", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := IsStopWord(tt.word); got != tt.want {
				t.Errorf("IsStopWord(%q) = %v, want %v", tt.word, got, tt.want)
			}
		})
	}
}

func TestIsStopWordDoesNotAllocate(t *testing.T) {
	// It runs for every word of every suggestion.
	allocs := testing.AllocsPerRun(100, func() {
		IsStopWord("mūsų")
		IsStopWord("savanoriai")
	})
	if allocs != 0 {
		t.Errorf("IsStopWord allocates %v times per run, want 0", allocs)
	}
}

// TestComposedAlready: every rune and every pair of runes composedAlready
// passes is NFC by the norm package, and a decomposed letter is not
// passed.
func TestComposedAlready(t *testing.T) {
	var set []rune
	for r := rune(0); r < 0x2100; r++ {
		if s := string(r); utf8.ValidString(s) && r != utf8.RuneError && composedAlready(s) {
			set = append(set, r)
		}
	}
	if len(set) < 1000 {
		t.Fatalf("only %d runes pass", len(set))
	}
	for _, a := range set {
		for _, b := range set {
			if s := string(a) + string(b); !norm.NFC.IsNormalString(s) {
				t.Fatalf("%U %U passes but is not NFC", a, b)
			}
		}
	}
	for _, s := range []string{"a\u0328", "е\u0301", "\u0483"} {
		if composedAlready(s) {
			t.Errorf("composedAlready(%q) = true", s)
		}
	}
	if got := Normalize("A\u0328žuolas"); got != "ąžuolas" {
		t.Errorf("Normalize = %q, want ąžuolas", got)
	}
}

// TestToLower: toLower agrees with strings.ToLower on every rune, alone
// and between other letters, on invalid UTF-8, and returns its argument
// when nothing changes.
func TestToLower(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r == utf8.RuneError || !utf8.ValidRune(r) {
			continue
		}
		for _, s := range []string{string(r), "Ą" + string(r) + "b", "x" + string(r)} {
			if got, want := toLower(s), strings.ToLower(s); got != want {
				t.Fatalf("toLower(%q) = %q, want %q", s, got, want)
			}
		}
	}
	for _, s := range []string{"", "ŽMONĖS\xffА", "\xc5", "Šiauliai Ž", "ПРИВЕТ мир", "already lower ąčę",
		strings.Repeat("\u023a", 40) + "Ą"} {
		if got, want := toLower(s), strings.ToLower(s); got != want {
			t.Errorf("toLower(%q) = %q, want %q", s, got, want)
		}
	}
	s := "jau mažosiomis ąčęėįšųūž ир"
	if got := toLower(s); unsafe.StringData(got) != unsafe.StringData(s) {
		t.Errorf("toLower copied a string that needs no change")
	}
}
