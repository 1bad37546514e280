package mailparse

import (
	"testing"
)

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name, in, label string
		html            bool
		want            string
		defect          bool
	}{
		{"utf-8", "Ąžuolynė", "utf-8", false, "Ąžuolynė", false},
		{"ascii", "plain", "us-ascii", false, "plain", false},
		{"windows-1257", "\xc0\xfeuolyn\xeb", "windows-1257", false, "Ąžuolynė", false},
		{"cp1257 alias", "\xc0\xfeuolyn\xeb", "cp1257", false, "Ąžuolynė", false},
		{"iso-8859-13", "\xc0\xfeuolyn\xeb", "ISO-8859-13", false, "Ąžuolynė", false},
		{"iso-8859-4", "bendruomen\xecms", "iso-8859-4", false, "bendruomenėms", false},
		{"us-ascii label but utf-8", "Ąžuolynė", "us-ascii", false, "Ąžuolynė", true},
		{"no label but utf-8", "Ąžuolynė", "", false, "Ąžuolynė", true},
		{"no label, legacy bytes", "\xc0\xfeuolyn\xeb", "", false, "Ąžuolynė", true},
		{"unknown label, legacy bytes", "\xc0\xfeuolyn\xeb", "x-mystery", false, "Ąžuolynė", true},
		{"latin-1 label but utf-8", "Ąžuolynė", "iso-8859-1", false, "Ąžuolynė", true},
		{"latin-1 label but Baltic", "\xc0\xfeuolyn\xeb \xf0\xe1", "iso-8859-1", false, "Ąžuolynė šį", true},
		{"genuine latin-1", "caf\xe9 cr\xe8me", "iso-8859-1", false, "café crème", false},
		{"utf-8 label, legacy bytes", "\xc0\xfeuolyn\xeb", "utf-8", false, "Ąžuolynė", true},
		{"utf-8 label, one bad byte", "Ąžuolynė \xff", "utf-8", false, "Ąžuolynė \uFFFD", true},
		{"html meta charset", "<meta charset=\"windows-1257\"><p>\xc0\xfeuolyn\xeb", "", true, "<meta charset=\"windows-1257\"><p>Ąžuolynė", false},
		{"html http-equiv", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-13\">\xeb", "", true, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-13\">ė", false},
		{"bom", "\xef\xbb\xbfĄ", "windows-1257", false, "Ą", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ds := decodeText([]byte(tt.in), tt.label, tt.html)
			if got != tt.want || (len(ds) > 0) != tt.defect {
				t.Errorf("decodeText(%q, %q): got %q %v, want %q (defect %v)", tt.in, tt.label, got, ds, tt.want, tt.defect)
			}
		})
	}
}
