package mailparse

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// normalizeForCompare applies the corpus rule: NFC, NBSP as a space,
// whitespace collapsed.
func normalizeForCompare(s string) string {
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\u00A0", " ")
	return strings.Join(strings.Fields(s), " ")
}

func TestCorpus(t *testing.T) {
	for _, dir := range []string{"testdata/mail", "testdata/mail-extra"} {
		for _, e := range intaketest.LoadCorpus(t, dir) {
			t.Run(e.File, func(t *testing.T) {
				checkCorpusEntry(t, filepath.Join(dir, e.File), e)
			})
		}
	}
}

func checkCorpusEntry(t *testing.T, path string, e intaketest.CorpusEntry) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Parse(f, ParseOptions{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	switch {
	case e.Subject == nil && m.HasSubject:
		t.Errorf("subject: got %q, want no Subject header", m.Subject)
	case e.Subject != nil && (!m.HasSubject || m.Subject != *e.Subject):
		t.Errorf("subject: got %q (present %v), want %q", m.Subject, m.HasSubject, *e.Subject)
	}
	if e.From != "" && !strings.EqualFold(m.From.Addr, e.From) {
		t.Errorf("from: got %q, want %q", m.From.Addr, e.From)
	}
	switch {
	case e.ReplyTo == nil && m.ReplyTo != nil:
		t.Errorf("reply-to: got %q, want none", m.ReplyTo.Addr)
	case e.ReplyTo != nil && (m.ReplyTo == nil || !strings.EqualFold(m.ReplyTo.Addr, *e.ReplyTo)):
		t.Errorf("reply-to: got %+v, want %q", m.ReplyTo, *e.ReplyTo)
	}
	text := normalizeForCompare(m.Text)
	for _, want := range e.TextContains {
		if !strings.Contains(text, normalizeForCompare(want)) {
			t.Errorf("text lacks %q; got:\n%s", want, m.Text)
		}
	}
	if len(e.TextContains) == 0 && e.TextContains != nil && text != "" {
		t.Errorf("text: got %q, want empty", m.Text)
	}
	for _, bad := range e.TextExcludes {
		if strings.Contains(text, normalizeForCompare(bad)) {
			t.Errorf("text contains %q; got:\n%s", bad, m.Text)
		}
	}
	if len(m.Attachments) != len(e.Attachments) {
		t.Errorf("attachments: got %d, want %d: %+v", len(m.Attachments), len(e.Attachments), attachmentNames(m))
	} else {
		for i, want := range e.Attachments {
			got := m.Attachments[i]
			if got.Filename != want.Filename || got.ContentType != want.ContentType {
				t.Errorf("attachment %d: got %q %s, want %q %s", i, got.Filename, got.ContentType, want.Filename, want.ContentType)
			}
		}
	}
	switch e.Kind {
	case "reply-to-ack":
		// The pipeline makes it KindReply from the reference or
		// In-Reply-To; Parse must see a person's message carrying one.
		if m.Kind != KindSuggestion {
			t.Errorf("kind: got %s (%s), want %s", m.Kind, m.KindReason, KindSuggestion)
		}
		if !strings.Contains(strings.ToUpper(m.Subject), "VVG-") && m.InReplyTo == "" {
			t.Errorf("reply to an acknowledgement without a reference or In-Reply-To")
		}
	default:
		if string(m.Kind) != e.Kind {
			t.Errorf("kind: got %s (%s), want %s; defects %q", m.Kind, m.KindReason, e.Kind, m.Defects)
		}
	}
	if e.Ack && m.Kind.Automatic() {
		t.Errorf("kind %s is automatic but the message must be acknowledged", m.Kind)
	}
}

func attachmentNames(m *Message) []string {
	var names []string
	for _, a := range m.Attachments {
		names = append(names, a.Filename+" ("+a.ContentType+")")
	}
	return names
}

// TestParseBytesMatchesParse: parsing a buffer in place gives what
// parsing a reader gives, leaves the buffer as it was, and truncates past
// MaxMessageBytes the same way.
func TestParseBytesMatchesParse(t *testing.T) {
	for _, dir := range []string{"testdata/mail", "testdata/mail-extra"} {
		for _, e := range intaketest.LoadCorpus(t, dir) {
			raw, err := os.ReadFile(filepath.Join(dir, e.File))
			if err != nil {
				t.Fatal(err)
			}
			orig := bytes.Clone(raw)
			for _, opt := range []ParseOptions{{}, {MaxMessageBytes: int64(len(raw) / 2)}} {
				want, err := Parse(bytes.NewReader(raw), opt)
				if err != nil {
					t.Fatal(err)
				}
				got := ParseBytes(raw, opt)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s (limit %d): ParseBytes differs from Parse:\n got %+v\nwant %+v", e.File, opt.MaxMessageBytes, got, want)
				}
				if !bytes.Equal(raw, orig) {
					t.Fatalf("%s: ParseBytes modified the buffer", e.File)
				}
			}
		}
	}
}
