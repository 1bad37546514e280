package excerpt

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short enough", "  Siūlau dviračių taką.  ", 40, "Siūlau dviračių taką."},
		{"exactly n", "abcde", 5, "abcde"},
		{"cut after a word", "Siūlau įrengti dviračių taką palei Nemuną", 20, "Siūlau įrengti…"},
		{"one long word cut inside", "Nebeprisikiškiakopūsteliaudavome", 10, "Nebeprisi…"},
		{"line breaks kept", "Pirma eilutė\r\nantra eilutė ir daugiau", 20, "Pirma eilutė\nantra…"},
		{"no limit", "abc def", 0, "abc def"},
		{"n of one", "abc", 1, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("Text(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if tt.n > 0 && utf8.RuneCountInString(got) > tt.n {
				t.Errorf("Text(%q, %d) = %q: longer than %d runes", tt.in, tt.n, got, tt.n)
			}
		})
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"collapses", " Siūlau\r\n\r\n  dviračių\ttaką ", 0, "Siūlau dviračių taką"},
		{"cut after a word", "Siūlau\nįrengti dviračių taką palei Nemuną", 20, "Siūlau įrengti…"},
		{"header injection flattened", "Jonas\r\nBcc: x@example.com", 40, "Jonas Bcc: x@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in, tt.n); got != tt.want {
				t.Errorf("Line(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

// FuzzExcerpt checks the promises on any input: never longer than n, never
// a broken UTF-8 sequence that was not in the input, and a prefix of the
// input (as Line sees it) unless cut.
func FuzzExcerpt(f *testing.F) {
	f.Add("Siūlau įrengti dviračių taką", 10)
	f.Add("a\r\nb", 2)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 1 || n > 1000 || !utf8.ValidString(s) {
			return
		}
		for name, got := range map[string]string{"Text": Text(s, n), "Line": Line(s, n)} {
			if utf8.RuneCountInString(got) > n {
				t.Fatalf("%s(%q, %d) = %q: longer than n", name, s, n, got)
			}
			if !utf8.ValidString(got) {
				t.Fatalf("%s(%q, %d) = %q: invalid UTF-8", name, s, n, got)
			}
			if base := strings.TrimSuffix(got, Mark); name == "Line" && !strings.HasPrefix(Line(s, 0), base) {
				t.Fatalf("Line(%q, %d) = %q: not a prefix of the whole line", s, n, got)
			}
		}
	})
}
