package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/intake/spam"
)

// doc is one message of any source, with where it came from.
type doc struct {
	ID     string // "spam-1/00001", "residents_lt/lt012", "mail/d21_spam_seo_lt.eml"
	Set    string // the file or folder it came from
	Spam   bool
	Fields record
}

// record is one line of the repository's JSONL sets, and the shape in
// which messages parsed from .eml files are written to devmail.jsonl.
type record struct {
	ID           string `json:"id"`
	Kind         string `json:"kind,omitempty"` // devmail.jsonl only: the corpus's kind of the message
	Subject      string `json:"subject"`
	Text         string `json:"text"`
	Links        int    `json:"links,omitempty"`
	Attachments  int    `json:"attachments,omitempty"`
	Reply        bool   `json:"reply,omitempty"`
	NameMismatch bool   `json:"name_mismatch,omitempty"`
	Note         string `json:"note,omitempty"`
}

func (r record) hints() spam.Hints {
	return spam.Hints{Links: r.Links, Attachments: r.Attachments, Reply: r.Reply, NameMismatch: r.NameMismatch}
}

// readJSONL reads a JSONL set of the repository.
func readJSONL(path string, isSpam bool) ([]doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	set := strings.TrimSuffix(filepath.Base(path), ".jsonl")
	var out []doc
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, doc{ID: set + "/" + r.ID, Set: set, Spam: isSpam, Fields: r})
	}
	return out, sc.Err()
}

// suggestion is a line of the shared corpus of labelled suggestions.
type suggestion struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Label string `json:"label"`
	Note  string `json:"note"`
}

// readSuggestions reads the shared suggestions corpus (text only). Two
// of its "other" lines are advertising, not residents: they are returned
// as spam.
func readSuggestions(path string) ([]doc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []doc
	for n, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var s suggestion
		if err := json.Unmarshal(line, &s); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n+1, err)
		}
		note := strings.ToLower(s.Note)
		isSpam := s.Label == "other" && strings.Contains(note, "spam")
		out = append(out, doc{ID: "suggestions/" + s.ID, Set: "suggestions", Spam: isSpam, Fields: record{ID: s.ID, Text: s.Text}})
	}
	return out, nil
}

// fromRaw parses a raw message with the intake's parser and takes the
// hints the way the intake pipeline should: Links and NameMismatch by
// the spam package's helpers, Attachments and Reply from the parsed
// message.
func fromRaw(id string, raw []byte) record {
	m := mailparse.ParseBytes(raw, mailparse.ParseOptions{})
	r := record{ID: id, Subject: m.Subject, Text: m.Text}
	r.Attachments = len(m.Attachments)
	r.Reply = m.InReplyTo != "" || len(m.References) > 0
	r.NameMismatch = spam.NameMismatch(m.From.Name, m.From.Addr)
	r.Links = spam.CountLinks(raw)
	return r
}

// readSpamAssassin reads one folder of the npm package's data (raw
// messages as .txt files), in file-name order.
func readSpamAssassin(dir, group string, isSpam bool) ([]doc, error) {
	names, err := filepath.Glob(filepath.Join(dir, group, "*.txt"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no messages in %s", filepath.Join(dir, group))
	}
	sort.Strings(names)
	out := make([]doc, 0, len(names))
	for _, name := range names {
		raw, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		id := group + "/" + strings.SplitN(filepath.Base(name), ".", 2)[0]
		out = append(out, doc{ID: id, Set: group, Spam: isSpam, Fields: fromRaw(id, raw)})
	}
	return out, nil
}

// expectation is the part of a corpus's expect.json used here.
type expectation struct {
	File string `json:"file"`
	Kind string `json:"kind"`
}

// readMailDir parses a folder of .eml files with an expect.json, keeping
// the kinds that reach the content score: a person's mail (suggestion,
// reply-to-ack, malformed) and spam. Automatic mail, bounces and lists
// are the loop guard's, which runs first.
func readMailDir(dir string) ([]record, error) {
	data, err := os.ReadFile(filepath.Join(dir, "expect.json"))
	if err != nil {
		return nil, err
	}
	var exp []expectation
	if err := json.Unmarshal(data, &exp); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "expect.json"), err)
	}
	var out []record
	for _, e := range exp {
		switch e.Kind {
		case "suggestion", "reply-to-ack", "malformed", "spam":
		default:
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			return nil, err
		}
		r := fromRaw(e.File, raw)
		r.Kind = e.Kind
		out = append(out, r)
	}
	return out, nil
}

// writeJSONL writes records one per line.
func writeJSONL(path string, rs []record) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, r := range rs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
