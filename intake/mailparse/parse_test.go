package mailparse

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// mustParse parses a message written with LF line ends, sent as CRLF.
func mustParse(t testing.TB, msg string, opt ParseOptions) *Message {
	t.Helper()
	m, err := Parse(strings.NewReader(strings.ReplaceAll(msg, "\n", "\r\n")), opt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

func TestParseLargeAttachmentRefused(t *testing.T) {
	f, err := os.Open("testdata/mail/d13_android_gmail_large_pdf.eml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Parse(f, ParseOptions{MaxAttachmentBytes: 1 << 20})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("attachments: got %d, want 1", len(m.Attachments))
	}
	a := m.Attachments[0]
	if a.Refused != "larger than the 1 MB limit" {
		t.Errorf("refused: got %q, want %q", a.Refused, "larger than the 1 MB limit")
	}
	if a.Data != nil || a.Parts != nil || a.SHA256 != "" {
		t.Errorf("refused attachment kept data (%d bytes) or hash %q", len(a.Content()), a.SHA256)
	}
	if a.Size < 2_000_000 {
		t.Errorf("size: got %d, want the full decoded size (about 2 MB)", a.Size)
	}
	if !strings.Contains(m.Text, "64 iš 120 apklaustų bedarbių") {
		t.Errorf("text lost: %q", m.Text)
	}
	if m.Kind != KindSuggestion {
		t.Errorf("kind: got %s (%s), want suggestion", m.Kind, m.KindReason)
	}
}

func TestParseAttachmentData(t *testing.T) {
	f, err := os.Open("testdata/mail/d12_thunderbird_rfc2231_reply_to.eml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Parse(f, ParseOptions{KeepContent: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range m.Attachments {
		sum := sha256.Sum256(a.Content())
		if got := hex.EncodeToString(sum[:]); got != a.SHA256 {
			t.Errorf("%s: SHA256 %s does not match data (%s)", a.Filename, a.SHA256, got)
		}
		if int64(len(a.Content())) != a.Size {
			t.Errorf("%s: size %d, data %d bytes", a.Filename, a.Size, len(a.Content()))
		}
	}
	if got := string(m.Attachments[0].Content()[:5]); got != "%PDF-" {
		t.Errorf("pdf data starts %q, want %%PDF-", got)
	}

	// Without KeepContent: the same sizes and digests, no bytes held.
	raw, err := os.ReadFile("testdata/mail/d12_thunderbird_rfc2231_reply_to.eml")
	if err != nil {
		t.Fatal(err)
	}
	lean := ParseBytes(raw, ParseOptions{})
	if len(lean.Attachments) != len(m.Attachments) {
		t.Fatalf("%d attachments without KeepContent, %d with", len(lean.Attachments), len(m.Attachments))
	}
	for i, a := range lean.Attachments {
		if a.Data != nil || a.Parts != nil || a.SHA256 != m.Attachments[i].SHA256 || a.Size != m.Attachments[i].Size {
			t.Errorf("%s without KeepContent: %d bytes held, size %d, sha256 %s; want none, %d, %s", a.Filename,
				len(a.Content()), a.Size, a.SHA256, m.Attachments[i].Size, m.Attachments[i].SHA256)
		}
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := copy(p, strings.Repeat("x", min(len(p), r.n)))
	r.n -= n
	return n, nil
}

func TestParseReaderError(t *testing.T) {
	_, err := Parse(&failingReader{n: 100}, ParseOptions{})
	if err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("got %v, want the reader's error", err)
	}
}

func TestParseLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.lt\nDate: Mon, 23 Nov 2026 10:00:00 +0200\nMessage-ID: <x@example.lt>\nSubject: limits\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n")
	b.WriteString(strings.Repeat("žodis ", 2000))
	b.WriteString("\n")
	for i := range 5 {
		fmt.Fprintf(&b, "--b\nContent-Type: application/pdf; name=\"f%d.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n", i)
	}
	b.WriteString("--b--\n")
	msg := b.String()

	t.Run("attachments", func(t *testing.T) {
		m := mustParse(t, msg, ParseOptions{MaxAttachments: 3})
		if len(m.Attachments) != 5 {
			t.Fatalf("attachments: got %d, want 5 listed", len(m.Attachments))
		}
		for i, a := range m.Attachments {
			refused := a.Refused != ""
			if refused != (i >= 3) {
				t.Errorf("attachment %d: refused %q, want refused=%v", i, a.Refused, i >= 3)
			}
			if a.Size != 9 {
				t.Errorf("attachment %d: size %d, want 9", i, a.Size)
			}
		}
	})
	t.Run("parts", func(t *testing.T) {
		m := mustParse(t, msg, ParseOptions{MaxParts: 3})
		if len(m.Attachments) != 1 {
			t.Errorf("attachments: got %d, want 1 (root, text and one file)", len(m.Attachments))
		}
		if !hasDefect(m, "more than 3 MIME parts") {
			t.Errorf("defects %q lack the parts limit", m.Defects)
		}
	})
	t.Run("text", func(t *testing.T) {
		m := mustParse(t, msg, ParseOptions{MaxTextBytes: 1000})
		if len(m.Text) > 1000 || len(m.FullText) > 1000 {
			t.Errorf("text %d / full %d bytes, want at most 1000", len(m.Text), len(m.FullText))
		}
		if !utf8.ValidString(m.Text) {
			t.Errorf("text cut inside a character")
		}
	})
	t.Run("message", func(t *testing.T) {
		m := mustParse(t, msg, ParseOptions{MaxMessageBytes: 4000})
		if !hasDefect(m, "message larger than 4000 bytes") {
			t.Errorf("defects %q lack the size limit", m.Defects)
		}
	})
}

func hasDefect(m *Message, sub string) bool {
	for _, d := range m.Defects {
		if strings.Contains(d, sub) {
			return true
		}
	}
	return false
}

// TestParseWalkersAgree runs the tolerant walker on every fixture the
// strict one accepts: both must find the same text and attachments, so
// the fallback path is as good as the main one.
func TestParseWalkersAgree(t *testing.T) {
	files, _ := filepath.Glob("testdata/mail*/*.eml")
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			opt := ParseOptions{}.withDefaults()
			strict := newCollector(opt)
			if err := strict.walkStrict(raw); err != nil {
				t.Skipf("strict walker refuses it: %v", err)
			}
			lenient := newCollector(opt)
			lenient.walkLenient(raw)
			a, b := strict.finish(), lenient.finish()
			if a.Text != b.Text {
				t.Errorf("text differs:\nstrict:  %q\nlenient: %q", a.Text, b.Text)
			}
			if fmt.Sprint(attachmentNames(a)) != fmt.Sprint(attachmentNames(b)) {
				t.Errorf("attachments: strict %v, lenient %v", attachmentNames(a), attachmentNames(b))
			}
			for i := range min(len(a.Attachments), len(b.Attachments)) {
				if a.Attachments[i].SHA256 != b.Attachments[i].SHA256 {
					t.Errorf("attachment %d: strict %s, lenient %s", i, a.Attachments[i].SHA256, b.Attachments[i].SHA256)
				}
			}
			if a.Kind != b.Kind {
				t.Errorf("kind: strict %s, lenient %s", a.Kind, b.Kind)
			}
		})
	}
}

func TestParseBrokenInput(t *testing.T) {
	tests := []struct {
		name, msg string
		text      string // wanted in Text
		defect    string // wanted in Defects
	}{
		{"no header at all", "just some words\nand more\n", "just some words", "part without a header"},
		{"header only", "From: a@example.lt\nSubject: x\n", "", "empty body"},
		{"only a footer", "From: a@example.lt\nSubject: x\n\nSent from my iPhone\n", "", "empty body: only quotes"},
		{"missing blank line", "From: a@example.lt\nSubject: x\nThis is the body text\n", "This is the body text", "no blank line"},
		{"line without colon", "From: a@example.lt\nBROKEN LINE\nSubject: x\n\nbody\n", "body", "strict MIME parser failed"},
		{"multipart without boundary", "From: a@example.lt\nContent-Type: multipart/mixed\n\n--xyz\nContent-Type: text/plain\n\nhello there\n--xyz--\n", "hello there", "without a boundary parameter"},
		{"boundary never appears", "From: a@example.lt\nContent-Type: multipart/mixed; boundary=nope\n\nplain words\n", "plain words", "boundary never appears"},
		{"CR CR LF", "From: a@example.lt\r\nContent-Type: multipart/alternative; boundary=q\r\n\r\n--q\r\r\nContent-Type: text/plain\r\r\n\r\r\nšalia\r\r\n--q--\r\r\n", "šalia", ""},
		{"mbox From line", "From someone@example.lt Mon Nov 23 10:00:00 2026\nFrom: a@example.lt\nSubject: x\n\nmbox body\n", "mbox body", ""},
		{"nested message without header end", "From: a@example.lt\nContent-Type: message/rfc822\n\nSubject: inner\n", "", ""},
		{"bad transfer encoding", "From: a@example.lt\nContent-Transfer-Encoding: x-unknown\n\nraw text\n", "raw text", "unknown transfer encoding"},
		{"binary junk", "\x00\x01\x02\xff\xfe garbage \x1b[31m", "garbage", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(strings.NewReader(tt.msg), ParseOptions{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if tt.text != "" && !strings.Contains(m.Text, tt.text) {
				t.Errorf("text: got %q, want it to contain %q", m.Text, tt.text)
			}
			if tt.defect != "" && !hasDefect(m, tt.defect) {
				t.Errorf("defects: got %q, want one containing %q", m.Defects, tt.defect)
			}
			if !utf8.ValidString(m.Text) || !utf8.ValidString(m.Subject) || !utf8.ValidString(m.FullText) {
				t.Errorf("invalid UTF-8 in output")
			}
		})
	}
}

func TestParseHeaderFields(t *testing.T) {
	m := mustParse(t, `Return-Path: <x@example.lt>
From: "Jonaitis, Jonas" <Jonas.Jonaitis@Example.LT>
Reply-To: =?utf-8?q?Ona?= <ONA@Example.com>
To: VVG <vvg@example.lt>, info@example.lt
To: third@example.lt
Cc: undisclosed-recipients:;
Subject: =?utf-8?q?Pasi=C5=AB?=
 =?utf-8?q?lymas?=
Date: Tue, 17 Nov 2026 18:42 +0200
Message-ID: <abc@example.lt>
In-Reply-To: <p1@example.lt> (comment)
References: <p0@example.lt>
 <p1@example.lt>

text
`, ParseOptions{})
	if got, want := m.From, (Address{Name: "Jonaitis, Jonas", Addr: "Jonas.Jonaitis@example.lt"}); got != want {
		t.Errorf("from: got %+v, want %+v", got, want)
	}
	if m.ReplyTo == nil || *m.ReplyTo != (Address{Name: "Ona", Addr: "ONA@example.com"}) {
		t.Errorf("reply-to: got %+v", m.ReplyTo)
	}
	if len(m.To) != 3 || m.To[2].Addr != "third@example.lt" {
		t.Errorf("to: got %+v, want three addresses", m.To)
	}
	if len(m.Cc) != 0 {
		t.Errorf("cc: got %+v, want none", m.Cc)
	}
	if m.Subject != "Pasiūlymas" {
		t.Errorf("subject: got %q, want %q", m.Subject, "Pasiūlymas")
	}
	if m.MessageID != "abc@example.lt" || m.InReplyTo != "p1@example.lt" {
		t.Errorf("ids: got %q %q", m.MessageID, m.InReplyTo)
	}
	if fmt.Sprint(m.References) != "[p0@example.lt p1@example.lt]" {
		t.Errorf("references: got %v", m.References)
	}
	if m.Date.IsZero() || m.Date.Minute() != 42 {
		t.Errorf("date: got %v", m.Date)
	}
}

func TestParseEmptyInput(t *testing.T) {
	m, err := Parse(bytes.NewReader(nil), ParseOptions{})
	if err != nil || m == nil {
		t.Fatalf("Parse(empty): %v, %v", m, err)
	}
	if m.Kind != KindMalformed || !hasDefect(m, "empty body") {
		t.Errorf("kind: got %s (%q), want malformed with an empty body", m.Kind, m.Defects)
	}
}

func TestParseHugeHeader(t *testing.T) {
	msg := "From: a@example.lt\r\n" + strings.Repeat("X-A: b\r\n", 100000) + "Subject: late\r\n\r\nbody\r\n"
	m, err := Parse(strings.NewReader(msg), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasDefect(m, "too many header fields") {
		t.Errorf("defects %q lack the field limit", m.Defects)
	}
	if m.From.Addr != "a@example.lt" {
		t.Errorf("from: got %q", m.From.Addr)
	}
}

func TestSplitMultipartLimit(t *testing.T) {
	body := []byte(strings.Repeat("--b\r\nx\r\n", 1000) + "--b--\r\n")
	parts, _, found := splitMultipart(body, "b", 10)
	if !found || len(parts) != 11 {
		t.Errorf("got %d parts (found %v), want 11", len(parts), found)
	}
	parts, closed, _ := splitMultipart(body, "b", 5000)
	if len(parts) != 1000 || !closed {
		t.Errorf("got %d parts (closed %v), want 1000 closed", len(parts), closed)
	}
}

// FuzzSanitizeText checks sanitizeText, with its ASCII runs, against the
// plain rune-by-rune version it replaced.
func FuzzSanitizeText(f *testing.F) {
	for _, s := range []string{"", "Laba diena,\r\nsiūlau\ttaką.\r", "a\x00b\x7fc\u0085d\uFEFFe\xffz", "žž\r\r\n"} {
		f.Add(s, 0)
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if got, want := sanitizeText(s, limit), sanitizeTextRunes(s, limit); got != want {
			t.Fatalf("sanitizeText(%q, %d) = %q, want %q", s, limit, got, want)
		}
	})
}

func sanitizeTextRunes(s string, limit int) string {
	if limit > 0 && len(s) > limit {
		s = s[:limit]
	}
	var b []byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b = utf8.AppendRune(b, utf8.RuneError)
		case r == '\r':
			if i+1 >= len(s) || s[i+1] != '\n' {
				b = append(b, '\n')
			}
		case r == '\n' || r == '\t':
			b = append(b, byte(r))
		case unicode.IsControl(r) || r == '\uFEFF':
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
