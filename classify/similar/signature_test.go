package similar

import (
	"errors"
	"testing"
)

func TestSignatureRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name string
		text string
	}{
		{"suggestion", "Laba diena, siūlau įkurti dienos centrą senjorams Aleksote.\nOna"},
		{"one word", "Pritariu"},
		{"empty", ""},
		{"only punctuation", "?!…"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := Sign(c.text)
			b, err := s.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if len(b) > marshalledSize {
				t.Errorf("len = %d, want ≤ %d", len(b), marshalledSize)
			}
			var got Signature
			if err := got.UnmarshalBinary(b); err != nil {
				t.Fatalf("UnmarshalBinary: %v", err)
			}
			if got != s {
				t.Errorf("round trip changed the signature")
			}
		})
	}
}

func TestSignatureRejects(t *testing.T) {
	good, _ := Sign("Siūlau dienos centrą senjorams").MarshalBinary()
	other := append([]byte{SignatureVersion + 1}, good[1:]...)
	for _, c := range []struct {
		name string
		b    []byte
	}{
		{"nil", nil},
		{"another version", other},
		{"truncated", good[:len(good)-1]},
		{"trailing byte", append(append([]byte{}, good...), 0)},
		{"empty with values", append([]byte{SignatureVersion, 0}, 1, 2, 3, 4)},
		{"no count", []byte{SignatureVersion}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s Signature
			if err := s.UnmarshalBinary(c.b); !errors.Is(err, ErrSignature) {
				t.Errorf("err = %v, want ErrSignature", err)
			}
		})
	}
}

func TestSimilarity(t *testing.T) {
	base := "Laba diena,\nPrašome į strategiją įtraukti senjorų dienos centro Aleksote įkūrimą. Centre turėtų vykti mankšta, rankdarbiai ir paskaitos apie sveikatą.\nOna Petrauskienė"
	for _, c := range []struct {
		name     string
		text     string
		min, max float64 // estimated Jaccard
	}{
		{"same text", base, 1, 1},
		{"typed without diacritics", "Laba diena,\nPrasome i strategija itraukti senjoru dienos centro Aleksote ikurima. Centre turetu vykti manksta, rankdarbiai ir paskaitos apie sveikata.\nOna Petrauskiene", 1, 1},
		{"another name and greeting", "Sveiki,\nPrašome į strategiją įtraukti senjorų dienos centro Aleksote įkūrimą. Centre turėtų vykti mankšta, rankdarbiai ir paskaitos apie sveikatą.\nJonas", 0.6, 1},
		{"the same idea in other words", "Siūlau, kad pagyvenę žmonės turėtų kur susitikti: dienos užimtumo vieta su mankšta būtų labai reikalinga.", 0, 0.15},
		{"empty", "", 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			j, _ := Sign(base).Similarity(Sign(c.text))
			if j < c.min || j > c.max {
				t.Errorf("Jaccard = %.2f, want %.2f–%.2f", j, c.min, c.max)
			}
		})
	}
}

func TestBody(t *testing.T) {
	for _, c := range []struct {
		name, text, want string
	}{
		{"closing and footer", "Siūlome stovyklą.\n\nPagarbiai,\nRūta\nAsociacija\ntel. 8 600", "Siūlome stovyklą.\n"},
		{"closing with a name", "Siūlau darbo klubą.\nPagarbiai, Arūnas", "Siūlau darbo klubą."},
		{"english", "Please fund a camp.\nKind regards,\nJohn", "Please fund a camp."},
		{"no closing", "Siūlau darbo klubą.\nArūnas", "Siūlau darbo klubą.\nArūnas"},
		{"closing word in a sentence", "Siūlau darbo klubą.\nSu pagarba, prašau, įtraukite jį į strategiją kuo greičiau ir paskelbkite.", "Siūlau darbo klubą.\nSu pagarba, prašau, įtraukite jį į strategiją kuo greičiau ir paskelbkite."},
		{"closing on the first line", "Pagarbiai,\nSiūlau darbo klubą.", "Pagarbiai,\nSiūlau darbo klubą."},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := body(c.text); got != c.want {
				t.Errorf("body = %q, want %q", got, c.want)
			}
		})
	}
}
