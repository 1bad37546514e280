package filename

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	long := strings.Repeat("ą", 150) + ".pdf" // 304 bytes, 154 letters
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "planas.pdf", 200, "planas.pdf"},
		{"windows path", `C:\Dokumentai\pasiūlymas.docx`, 200, "pasiūlymas.docx"},
		{"bidi override", "evil\u202efdp.exe", 200, "evilfdp.exe"},
		{"isolates and marks", "a\u2066b\u2069c\u200fd\u061c.pdf", 200, "abcd.pdf"},
		{"C1 controls", "evil\u0085\u009b.exe.pdf", 200, "evil.exe.pdf"},
		{"C0 controls and DEL", "a\x00b\x1fc\x7f.pdf", 200, "abc.pdf"},
		{"zero-width and BOM", "\ufeffa\u200bb.pdf", 200, "ab.pdf"},
		{"decomposed to NFC", "s\u030cu\u0328.pdf", 200, "šų.pdf"},
		{"dots", "..", 200, ""},
		{"long name cut in bytes keeping the extension", long, 200, strings.Repeat("ą", 98) + ".pdf"},
		{"long extension is no extension", "a." + strings.Repeat("b", 300), 20, "a." + strings.Repeat("b", 18)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clean(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if len(got) > tt.max || !utf8.ValidString(got) {
				t.Errorf("Clean(%q) = %d bytes, valid %v; want at most %d valid bytes", tt.in, len(got), utf8.ValidString(got), tt.max)
			}
		})
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"planas.pdf", "evil\u202efdp.exe", strings.Repeat("ž", 300) + ".docx", "\xff\xfe.pdf"} {
		f.Add(s, 200)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 1 || max > 1000 {
			return
		}
		got := Clean(s, max)
		if len(got) > max || !utf8.ValidString(got) || strings.ContainsAny(got, "/\\\u202e") {
			t.Errorf("Clean(%q, %d) = %q", s, max, got)
		}
	})
}
