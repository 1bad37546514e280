package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRedact checks what the console relies on for any text and any span
// a staff member could make: Find's spans pass Validate, Normalize's
// output passes Validate, and Apply keeps valid UTF-8 and never lets a
// byte of a span through.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"Jonas Petraitis, tel. 8 612 34567, Šilainiai.",
		"Gyvenu Vytauto g. 12-5, a. k. 38504123315, LT34 7300 0100 6227 5869",
		"Pagarbiai,\nbendruomenės narė Laima",
		"P. S. „Vilties žiedas“ (8 37) 123456 ruta@x.lt",
	} {
		f.Add(s, 3, 9)
	}
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		if !utf8.ValidString(text) {
			return // suggestions reach redact as valid UTF-8 (intake sanitises them)
		}
		found := Find(text, Known{People: []string{"Ona Kazlauskienė"}})
		if err := Validate(text, found); err != nil {
			t.Fatalf("Find(%q) = %v: %v", text, found, err)
		}
		spans := append(found, Span{Start: start, End: end, Kind: KindName})
		norm := Normalize(text, spans)
		if err := Validate(text, norm); err != nil {
			t.Fatalf("Normalize(%q, %v) = %v: %v", text, spans, norm, err)
		}
		out := Apply(text, spans)
		if !utf8.ValidString(out) {
			t.Fatalf("Apply(%q, %v) = %q, not UTF-8", text, spans, out)
		}
		if len(norm) > 0 && !strings.Contains(out, Mask) {
			t.Fatalf("Apply(%q, %v) = %q, no mask", text, spans, out)
		}
		// What remains outside the masks is exactly the text outside the
		// normalised spans.
		var kept strings.Builder
		at := 0
		for _, s := range norm {
			kept.WriteString(text[at:s.Start])
			kept.WriteString(Mask)
			at = s.End
		}
		kept.WriteString(text[at:])
		if kept.String() != out {
			t.Fatalf("Apply(%q, %v) = %q, want %q", text, spans, out, kept.String())
		}
	})
}
