package redact

import (
	"slices"
	"strings"
	"testing"
)

// found returns "kind:text" for each span Find returns.
func found(text string, known Known) []string {
	var out []string
	for _, s := range Find(text, known) {
		out = append(out, string(s.Kind)+":"+s.Text)
	}
	return out
}

func TestValidPersonalCode(t *testing.T) {
	tests := []struct {
		name string
		code string
		want bool
	}{
		{"first weights", "38504123315", true},
		{"woman born 1990", "49011039700", true},
		{"born 2005", "50503156668", true},
		{"born 1899", "19905055483", true},
		{"wrong check digit", "38504123316", false},
		{"century digit 7", "78504123315", false},
		{"month 13", "38513123315", false},
		{"31 April", "38504313315", false},
		{"10 digits", "3850412331", false},
		{"letter", "3850412331x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidPersonalCode(tt.code); got != tt.want {
				t.Errorf("ValidPersonalCode(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
	// The second weights decide when the first give remainder 10; find
	// such a code and check the rule against a hand computation.
	t.Run("second weights", func(t *testing.T) {
		for serial := 0; serial < 1000; serial++ {
			var d [11]int
			s := "3850412" + string(rune('0'+serial/100)) + string(rune('0'+serial/10%10)) + string(rune('0'+serial%10))
			for i := range 10 {
				d[i] = int(s[i] - '0')
			}
			sum := 0
			for i, w := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 1} {
				sum += d[i] * w
			}
			if sum%11 != 10 {
				continue
			}
			sum2 := 0
			for i, w := range []int{3, 4, 5, 6, 7, 8, 9, 1, 2, 3} {
				sum2 += d[i] * w
			}
			want := sum2 % 11
			if want == 10 {
				want = 0
			}
			code := s + string(rune('0'+want))
			if !ValidPersonalCode(code) {
				t.Fatalf("ValidPersonalCode(%q) = false, want true", code)
			}
			return
		}
		t.Fatal("no serial needs the second weights")
	})
}

func TestValidIBAN(t *testing.T) {
	tests := []struct {
		name, iban string
		want       bool
	}{
		{"LT grouped", "LT34 7300 0100 6227 5869", true},
		{"LT whole", "LT837300010976787301", true},
		{"DE", "DE69 3704 0044 8979 5440 25", true},
		{"GB with letters", "GB85NWBK60161356978001", true},
		{"wrong check", "LT35 7300 0100 6227 5869", false},
		{"LT too short", "LT34 7300 0100 6227 586", false},
		{"lower case", "lt34 7300 0100 6227 5869", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidIBAN(tt.iban); got != tt.want {
				t.Errorf("ValidIBAN(%q) = %v, want %v", tt.iban, got, tt.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		known Known
		want  []string
	}{
		// numbers
		{"personal code", "Mano a. k. 38504123315.", Known{}, []string{"personal-code:38504123315"}},
		{"mistyped code after cue", "asmens kodas 38504123316", Known{}, []string{"personal-code:38504123316"}},
		{"11 digits without cue or checksum", "Užsakymo nr. 38504123316 dar negautas.", Known{}, nil},
		{"organisation code", "Juridinio asmens kodas 304045184.", Known{}, nil},
		{"IBAN then currency", "LT34 7300 0100 6227 5869 EUR", Known{}, []string{"iban:LT34 7300 0100 6227 5869"}},
		{"phone +370 spaced", "tel. +370 612 34567", Known{}, []string{"phone:+370 612 34567"}},
		{"phone 8 dashed", "8-612-34567", Known{}, []string{"phone:8-612-34567"}},
		{"landline in parentheses", "(8 37) 123456", Known{}, []string{"phone:(8 37) 123456"}},
		{"Vilnius landline", "skambinkite 8 5 212 3456", Known{}, []string{"phone:8 5 212 3456"}},
		{"mobile without prefix after cue", "mob. 612 34567", Known{}, []string{"phone:612 34567"}},
		{"free hotline stays", "Pagalbos linija 8 800 66366", Known{}, nil},
		{"sum is not a phone", "Skirta 8 000 000 Eur.", Known{}, nil},
		{"short number stays", "Skambinkite 112.", Known{}, nil},
		{"email", "rašykite ona.k@gmail.com.", Known{}, []string{"email:ona.k@gmail.com"}},
		{"profile link", "žr. https://facebook.com/jonas.petraitis.7", Known{}, []string{"url:https://facebook.com/jonas.petraitis.7"}},
		{"group link stays", "https://facebook.com/groups/aleksotas", Known{}, nil},
		// addresses
		{"street with flat", "Gyvenu Vytauto pr. 12-5.", Known{}, []string{"address:Vytauto pr. 12-5"}},
		{"street with letter", "Taikos pr. 12A", Known{}, []string{"address:Taikos pr. 12A"}},
		{"butas", "Savanorių pr. 12 butas 5", Known{}, []string{"address:Savanorių pr. 12 butas 5"}},
		{"initial in street", "K. Donelaičio g. 73, Kaunas", Known{}, []string{"address:K. Donelaičio g. 73"}},
		{"bare after cue", "Gyvenu Vytauto 12, Kaune.", Known{}, []string{"address:Vytauto 12"}},
		{"bare without evidence", "Aleksoto 5 bendruomenės", Known{}, nil},
		{"street without number", "Vytauto gatvėje trūksta suolų.", Known{}, nil},
		{"street and year", "Kauno g. 2026 m. remontas", Known{}, nil},
		{"street and sum", "Savanorių pr. 5 000 Eur", Known{}, nil},
		{"institution's address", "Vilniaus g. 8 esančioje bibliotekoje", Known{}, nil},
		{"date after month", "Birželio 12 d. šventė", Known{}, nil},
		{"postal code alone", "LT-44280 Kaunas", Known{}, nil},
		{"known address in another case", "Prie Jurbarko gatvės 5 namo", Known{Addresses: []string{"Jurbarko g. 5, Kaunas"}}, []string{"address:Jurbarko gatvės 5"}},
		// names
		{"full name", "Jonas Petraitis siūlo", Known{}, []string{"name:Jonas Petraitis"}},
		{"genitive", "Jono Petraičio idėja", Known{}, []string{"name:Jono Petraičio"}},
		{"dative married", "padėka Onai Kazlauskienei", Known{}, []string{"name:Onai Kazlauskienei"}},
		{"initial", "J. Petraitis", Known{}, []string{"name:J. Petraitis"}},
		{"surname alone", "ponia Kazlauskienė", Known{}, []string{"name:Kazlauskienė"}},
		{"no diacritics", "cia Ruta Kazlauskiene", Known{}, []string{"name:Ruta Kazlauskiene"}},
		{"signature", "Siūlau.\nPagarbiai,\nbendruomenės narė Laima", Known{}, []string{"name:Laima"}},
		{"unknown name signs", "Thanks for reading.\nOlena", Known{}, []string{"name:Olena"}},
		{"cue takes a place-like name", "darbuotoja Neringa sakė", Known{}, []string{"name:Neringa"}},
		{"place", "Neringoje ir Kaune", Known{}, nil},
		{"street named after a person", "Kęstučio g. ir Gedimino pr.", Known{}, nil},
		{"university", "Vytauto Didžiojo universitetas", Known{}, nil},
		{"school", "Jono Jablonskio progimnazija", Known{}, nil},
		{"saint", "Šv. Jono bažnyčia", Known{}, nil},
		{"organisation", "VšĮ Vilties žiedas", Known{}, nil},
		{"quoted", "bendrija „Rūta ir draugai“", Known{}, nil},
		{"common noun at sentence start", "Saulė šviečia. Viltis miršta paskutinė.", Known{}, nil},
		{"shame is not Gedas", "Gėda!", Known{}, nil},
		{"known person, any case", "Padėkokite Kovalenkai.", Known{People: []string{"Olena Kovalenka"}}, []string{"name:Kovalenkai"}},
		{"public name stays", "Rašau už „Petraičių ūkį“, kontaktas Rasa.", Known{Public: []string{"Petraičių ūkį"}}, []string{"name:Rasa"}},
		{"English", "My name is John Smith.", Known{}, []string{"name:John Smith"}},
		// order and overlap
		{"email beats name", "Jonas.Petraitis@gmail.com", Known{}, []string{"email:Jonas.Petraitis@gmail.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(tt.text, tt.known)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestFindSpans checks the invariants the console relies on, on every
// sentence of the labelled set: sorted, non-overlapping, inside the text,
// on character boundaries, Text equal to the bytes.
func TestFindSpans(t *testing.T) {
	for _, l := range loadLabelled(t) {
		spans := Find(l.Text, Known{})
		if err := Validate(l.Text, spans); err != nil {
			t.Errorf("%s: %v", l.ID, err)
		}
		for i := 1; i < len(spans); i++ {
			if spans[i].Start < spans[i-1].End {
				t.Errorf("%s: spans %d and %d out of order", l.ID, i-1, i)
			}
		}
		if strings.Contains(Apply(l.Text, spans), "\ufffd") {
			t.Errorf("%s: Apply left a broken character", l.ID)
		}
	}
}

func TestIsOrganisation(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"Aleksoto bendruomenė", true},
		{"VšĮ Kūrybos namai", true},
		{"UAB „Medis“", true},
		{"Kauno Jono Basanavičiaus gimnazija", true},
		{"Garden Club of Kaunas", true},
		{"Ona Petraitienė", false},
		{"Jonas", false},
		{"Abraomas Centauras", false}, // "ab" and "centr" only as words or word starts of a body
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsOrganisation(tt.name); got != tt.want {
				t.Errorf("IsOrganisation(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}
