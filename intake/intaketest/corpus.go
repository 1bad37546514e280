package intaketest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CorpusEntry is one object of an expect.json of the mail corpus
// (intake/mailparse/testdata/mail and mail-extra; the format is in the
// corpus README): what the parser, the pipeline and the daemon must make
// of one real-world message.
type CorpusEntry struct {
	File         string   `json:"file"`
	Kind         string   `json:"kind"`
	Ack          bool     `json:"ack"`
	From         string   `json:"from"`
	ReplyTo      *string  `json:"reply_to"`
	Subject      *string  `json:"subject"` // nil: no Subject header
	TextContains []string `json:"text_contains"`
	TextExcludes []string `json:"text_excludes"`
	Attachments  []struct {
		Filename    string `json:"filename"`
		ContentType string `json:"content_type"`
	} `json:"attachments"`
}

// AckTo is where the acknowledgement must go: Reply-To, else From, in
// lower case.
func (e CorpusEntry) AckTo() string {
	if e.ReplyTo != nil && *e.ReplyTo != "" {
		return strings.ToLower(*e.ReplyTo)
	}
	return strings.ToLower(e.From)
}

// LoadCorpus reads dir/expect.json, in its order.
func LoadCorpus(t testing.TB, dir string) []CorpusEntry {
	t.Helper()
	path := filepath.Join(dir, "expect.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var entries []CorpusEntry
	if err := json.Unmarshal(b, &entries); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return entries
}
