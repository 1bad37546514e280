package mailparse

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no input makes the parser panic, loop or break
// its promises. The seed corpus in testdata/fuzz/FuzzParse holds every
// fixture (d13's large PDF cut short). It calls parseBytes, not Parse,
// so that a panic is not hidden by Parse's recover.
func FuzzParse(f *testing.F) {
	f.Add([]byte("From: a@example.lt\r\nSubject: x\r\n\r\nbody\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nContent-Type: multipart/alternative; boundary=c\n\n--c\nContent-Type: text/html\n\n<blockquote><p>x\n--c--\n--b--\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		opt := ParseOptions{MaxAttachmentBytes: 1 << 16, MaxTextBytes: 1 << 16, MaxParts: 50, KeepContent: true}.withDefaults()
		// ParseBytes reads the caller's buffer in place: it must never
		// write to it.
		orig := bytes.Clone(raw)
		m := parseBytes(raw, opt)
		if !bytes.Equal(raw, orig) {
			t.Fatalf("parsing modified the message bytes")
		}
		for name, s := range map[string]string{"Text": m.Text, "FullText": m.FullText, "Subject": m.Subject, "From": m.From.Name + m.From.Addr, "KindReason": m.KindReason} {
			if !utf8.ValidString(s) {
				t.Errorf("%s is not valid UTF-8: %q", name, s)
			}
			if strings.ContainsAny(s, quoteMark+headerMark) {
				t.Errorf("%s leaks a converter marker", name)
			}
		}
		if len(m.Text) > opt.MaxTextBytes || len(m.FullText) > opt.MaxTextBytes {
			t.Errorf("text %d / full %d bytes over the %d limit", len(m.Text), len(m.FullText), opt.MaxTextBytes)
		}
		for _, a := range m.Attachments {
			if !utf8.ValidString(a.Filename) || a.Filename == "" || strings.ContainsAny(a.Filename, "/\\\x00") {
				t.Errorf("bad attachment name %q", a.Filename)
			}
			switch {
			case a.Refused == "" && (int64(len(a.Content())) != a.Size || len(a.SHA256) != 64 || (a.Data != nil) == (a.Parts != nil)):
				t.Errorf("kept attachment %q: %d bytes (%d parts), size %d, hash %q", a.Filename, len(a.Content()), len(a.Parts), a.Size, a.SHA256)
			case a.Refused != "" && (a.Data != nil || a.Parts != nil || a.SHA256 != ""):
				t.Errorf("refused attachment %q kept data", a.Filename)
			}
		}
		// Without KeepContent the parse is the same, with no bytes held.
		lean := opt
		lean.KeepContent = false
		lm := parseBytes(raw, lean)
		if len(lm.Attachments) != len(m.Attachments) || lm.Text != m.Text || lm.Kind != m.Kind {
			t.Fatalf("without KeepContent: %d attachments, kind %s; with: %d, %s", len(lm.Attachments), lm.Kind, len(m.Attachments), m.Kind)
		}
		for i, a := range lm.Attachments {
			if b := m.Attachments[i]; a.Data != nil || a.Parts != nil || a.SHA256 != b.SHA256 || a.Size != b.Size || a.Refused != b.Refused {
				t.Errorf("attachment %d without KeepContent: %+v; with: %+v", i, a, b)
			}
		}
		if m.Kind == "" || (m.Language != "lt" && m.Language != "en") {
			t.Errorf("kind %q, language %q", m.Kind, m.Language)
		}
		for _, d := range m.Defects {
			if !utf8.ValidString(d) {
				t.Errorf("defect is not valid UTF-8: %q", d)
			}
		}
		if m.Kind == KindMalformed && len(m.Defects) == 0 {
			t.Errorf("malformed without a defect")
		}
	})
}
