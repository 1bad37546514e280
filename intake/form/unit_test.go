package form

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

func TestFormSniff(t *testing.T) {
	// A zip local header is 30 bytes; ODF's first member is "mimetype".
	odt := []byte("PK\x03\x04\x14\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.textPK")
	zip := []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07\x00\x00\x00foo.exe")
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"pdf", "a.pdf", pdfFile(), "application/pdf"},
		{"pdf upper-case extension", "A.PDF", pdfFile(), "application/pdf"},
		{"jpeg", "a.jpeg", jpegFile(), "image/jpeg"},
		{"png", "a.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"},
		{"exe renamed pdf", "a.pdf", exeFile(), ""},
		{"pdf renamed exe", "a.exe", pdfFile(), ""},
		{"jpeg named png", "a.png", jpegFile(), ""},
		{"docx", "a.docx", docxFile(), typeDOCX},
		{"zip renamed docx", "a.docx", zip, ""},
		{"odt", "a.odt", odt, typeODT},
		{"odt named ods", "a.ods", odt, ""},
		{"doc", "a.doc", []byte(oleMagic + "\x00\x00"), typeDOC},
		{"ole renamed pdf", "a.pdf", []byte(oleMagic + "\x00\x00"), ""},
		{"text", "a.txt", []byte("Labas, čia tekstas."), "text/plain"},
		{"html named txt", "a.txt", []byte("<html><body>x"), ""},
		{"rtf", "a.rtf", []byte(`{\rtf1\ansi hello}`), "application/rtf"},
		{"no extension", "pdf", pdfFile(), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sniff(tc.file, tc.data); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFormFileName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"planas.pdf", "planas.pdf"},
		{`C:\Users\Ona\Desktop\planas.pdf`, "planas.pdf"},
		{"../../etc/passwd", "passwd"},
		{"a\x00b\r\n.pdf", "ab.pdf"},
		{"", "priedas"},
		{"..", "priedas"},
		{"s\u030ciaip.pdf", "šiaip.pdf"},
		// Cut in bytes, not letters: 116 letters were 232 bytes, and
		// `save` failed with "file name too long".
		{strings.Repeat("ą", 200) + ".pdf", strings.Repeat("ą", 98) + ".pdf"},
		{"evil‮fdp.exe", "evilfdp.exe"},
		{"evil.exe.pdf", "evil.exe.pdf"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := cleanFileName(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFormEmailOK(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"ona@example.lt", true},
		{"ona.petraite+vvg@pastas.example.lt", true},
		{"ona@example", false},
		{"ona@.lt", false},
		{"ona@example.lt.", false},
		{"Ona <ona@example.lt>", false},
		{"<ona@example.lt>", false},
		{"ona@example.lt (Ona)", false},
		{"ona@example.lt, jonas@example.lt", false},
		{"ona@example.lt\r\nBcc: x@y.lt", false},
		{"@example.lt", false},
		{strings.Repeat("a", 250) + "@b.lt", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := emailOK(tc.in); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFormSeen(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	s := newFormSeen(time.Hour, 2)
	if _, owner, _ := s.claim(ctx, "a"); !owner {
		t.Fatal("first claim: not owner")
	}
	s.finish("a", nil, now, now) // refused: released
	if _, owner, _ := s.claim(ctx, "a"); !owner {
		t.Fatal("claim after release: not owner")
	}
	pa := &receiptPage{Receipt: Receipt{Ref: "A"}}
	s.finish("a", pa, now, now)
	if p, owner, _ := s.claim(ctx, "a"); owner || p != pa {
		t.Fatalf("claim after success: got owner=%v page=%v, want the first receipt", owner, p)
	}
	for _, n := range []string{"b", "c"} {
		s.claim(ctx, n)
		s.finish(n, &receiptPage{Receipt: Receipt{Ref: n}}, now, now)
	}
	if _, owner, _ := s.claim(ctx, "a"); !owner {
		t.Errorf("past max: oldest receipt kept, want it forgotten")
	}
	s.finish("a", nil, now, now)
	s.finish("b", nil, now, now) // not in flight: no effect
	if p, _, _ := s.claim(ctx, "b"); p == nil || p.Receipt.Ref != "b" {
		t.Errorf("got %v, want receipt b kept", p)
	}
	later := now.Add(2 * time.Hour)
	s.claim(ctx, "d")
	s.finish("d", &receiptPage{}, later, later)
	if _, owner, _ := s.claim(ctx, "c"); !owner {
		t.Errorf("after ttl: receipt c kept, want it forgotten")
	}
	// A waiter gives up with its context.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := s.claim(cctx, "c"); err == nil {
		t.Errorf("claim of an owned nonce with a dead context: got nil error")
	}
}

func TestNewFormOptions(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Options)
		wantErr string
	}{
		{"defaults", func(o *Options) {}, ""},
		{"no org", func(o *Options) { o.OrgName = "" }, "OrgName"},
		{"bad lang", func(o *Options) { o.Lang = "de" }, "Lang"},
		{"unknown type", func(o *Options) { o.AllowedTypes = []string{"application/x-msdownload"} }, "AllowedTypes"},
		{"duplicate measure", func(o *Options) { o.Measures = append(o.Measures, Measure{Code: "1.1", Title: "x"}) }, "duplicate"},
		{"negative", func(o *Options) { o.MaxFiles, o.MinFill = -1, -1 }, "MinFill"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := testOptions(t, &clocktest.Clock{})
			tc.edit(&opt)
			_, err := New(opt, &fakeStore{})
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("got %v, want error containing %q", err, tc.wantErr)
			}
		})
	}
	if _, err := New(Options{OrgName: "x"}, nil); err == nil {
		t.Errorf("nil store: got nil error")
	}
}
