package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/vilnius"
)

// TestE2EImportDryRun: `import --dry-run --json` over the corpus gives
// the dispositions and acknowledgements of expect.json and writes nothing.
func TestE2EImportDryRun(t *testing.T) {
	t.Parallel()
	cs := loadE2ECorpus(t)
	c := newE2ECLI(t)
	seedE2ECase42(t, c) // so d10 finds the case it answers, as in the mailbox test
	before := c.ok("submissions", "export", "--format", "json")
	outboxBefore := c.ok("outbox", "list")

	out := c.ok(append([]string{"import", "--dry-run", "--json"}, e2eCorpusPaths(cs)...)...)
	msgs := decodeE2EJSON(t, out)
	if len(msgs) != len(cs) {
		t.Fatalf("import --dry-run --json: got %d lines, want %d", len(msgs), len(cs))
	}
	checkE2ECorpus(t, cs, e2eByFile(msgs), e2eCorpusCheck{})

	if got := c.messages(); len(got) != 0 {
		t.Errorf("after a dry run: got %d messages in the ledger, want 0", len(got))
	}
	if got := c.ok("submissions", "export", "--format", "json"); got != before {
		t.Errorf("after a dry run the submissions changed:\nbefore %s\nafter %s", before, got)
	}
	if got := c.ok("outbox", "list"); got != outboxBefore {
		t.Errorf("after a dry run the outbox changed:\nbefore %s\nafter %s", outboxBefore, got)
	}
}

// TestE2EImportTwice: a real import with --send-acks records the corpus
// as the mailbox does, and importing it again records nothing new.
func TestE2EImportTwice(t *testing.T) {
	t.Parallel()
	cs := loadE2ECorpus(t)
	c := newE2ECLI(t)
	seedE2ECase42(t, c)
	args := append([]string{"import", "--send-acks"}, e2eCorpusPaths(cs)...)

	out := c.ok(append(args[:2:2], append([]string{"--json"}, args[2:]...)...)...)
	checkE2ECorpus(t, cs, e2eByFile(decodeE2EJSON(t, out)), e2eCorpusCheck{refs: true})
	msgs := c.messages()
	checkE2ECorpus(t, cs, e2eByArrival(t, cs, msgs), e2eCorpusCheck{refs: true})
	acks := c.outboxKind("ack")
	checkE2EAckQueue(t, cs, acks)
	export := c.ok("submissions", "export", "--format", "json")

	again := c.ok(args...)
	want := "30 message(s) read, recorded 0, 30 already in the ledger, 0 acknowledgement(s) queued"
	if !strings.Contains(again, want) {
		t.Errorf("second import: got %q, want %q", again, want)
	}
	if got := c.messages(); len(got) != len(msgs) {
		t.Errorf("second import: got %d messages, want %d", len(got), len(msgs))
	}
	if got := c.outboxKind("ack"); len(got) != len(acks) {
		t.Errorf("second import: got acknowledgements %v, want %v", got, acks)
	}
	if got := c.ok("submissions", "export", "--format", "json"); got != export {
		t.Errorf("second import changed the submissions")
	}
}

// TestE2EImportNoAcks: imported mail is recorded but queues no
// acknowledgement unless --send-acks is given.
func TestE2EImportNoAcks(t *testing.T) {
	t.Parallel()
	cs := loadE2ECorpus(t)
	c := newE2ECLI(t)
	out := c.ok(append([]string{"import"}, e2eCorpusPaths(cs)...)...)
	if !strings.Contains(out, "0 acknowledgement(s) queued") {
		t.Errorf("import without --send-acks: got %q, want 0 acknowledgements", out)
	}
	if acks := c.outboxKind("ack"); len(acks) != 0 {
		t.Errorf("import without --send-acks: got acknowledgements %v, want none", acks)
	}
	subs := 0
	for _, m := range c.messages() {
		if m.Ack {
			t.Errorf("%s: ack true without --send-acks", m.File)
		}
		if m.Ref != "" && !m.Duplicate && m.Disposition != "reply" {
			subs++
		}
	}
	if want := 20; subs != want { // every suggestion that expect.json acknowledges
		t.Errorf("got %d new cases, want %d", subs, want)
	}
}

// mboxFrom matches lines an mbox must escape (mboxrd: any number of '>'
// before "From ").
var mboxFrom = regexp.MustCompile(`(?m)^(>*From )`)

// TestE2EImportMbox: an mbox archive of three messages (one with a body
// line starting "From ", escaped ">From " as mboxrd requires) imports as
// three messages with the line restored.
func TestE2EImportMbox(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	const fromLine = "From our village: three ideas follow."
	d05 := e2eCorpusRaw(t, "d05_netscape_8859_4.eml")
	d05 = bytes.Replace(d05, []byte("Laba diena,\r\n\r\n"), []byte("Laba diena,\r\n\r\n"+fromLine+"\r\n\r\n"), 1)
	var mbox bytes.Buffer
	var dates []time.Time
	for _, raw := range [][]byte{e2eCorpusRaw(t, "d01_gmail_alt_b_subject_jpg.eml"), e2eCorpusRaw(t, "d04_thunderbird_8859_13_flowed_sig.eml"), d05} {
		at := e2eCorpusDate(raw).UTC()
		dates = append(dates, at)
		mbox.WriteString("From resident@example.org " + at.Format(time.ANSIC) + "\n")
		mbox.Write(mboxFrom.ReplaceAll(raw, []byte(">$1")))
		mbox.WriteString("\n")
	}
	if !bytes.Contains(mbox.Bytes(), []byte("\n>"+fromLine)) {
		t.Fatalf("the mbox lacks the escaped line")
	}
	path := filepath.Join(c.dir, "takeout.mbox")
	if err := os.WriteFile(path, mbox.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := c.ok("import", path)
	if want := "3 message(s) read, recorded 3"; !strings.Contains(out, want) {
		t.Errorf("import mbox: got %q, want %q", out, want)
	}
	msgs := c.messages()
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3", len(msgs))
	}
	loc, _ := vilnius.Location()
	wantFrom := []string{"aiste.petrauskiene@example.com", "m.vaitkus@example.net", "stasys.mockus@example.org"}
	for i, m := range msgs {
		if m.From != wantFrom[i] || m.Disposition != "suggestion" || m.Ref == "" {
			t.Errorf("message %d: got from %s, %s, ref %q; want from %s, a suggestion with a ref", i+1, m.From, m.Disposition, m.Ref, wantFrom[i])
		}
		if want := dates[i].In(loc).Format(time.RFC3339); m.InternalDate != want {
			t.Errorf("message %d: got internal_date %s, want %s (the mbox From line)", i+1, m.InternalDate, want)
		}
		if strings.Contains(m.Text, ">From") {
			t.Errorf("message %d: text keeps the mbox escape:\n%s", i+1, m.Text)
		}
	}
	if !strings.Contains(msgs[2].Text, fromLine) {
		t.Errorf("message 3: text lacks %q (un-escaped); got:\n%s", fromLine, msgs[2].Text)
	}
	if !strings.Contains(e2eNormalize(msgs[2].Text), "bendrą inventoriaus sandėlį") {
		t.Errorf("message 3: ISO-8859-4 text not decoded:\n%s", msgs[2].Text)
	}
}

// TestE2EImportConsultation: --consultation files mail that arrived after
// that consultation's deadline under it, as late; without it the same
// kind of mail goes to the consultation open when it arrived.
func TestE2EImportConsultation(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	c.ok("consultation", "create", "senoji", "--title", "Ankstesnė konsultacija", "--opens", "2026-09-01", "--closes", "2026-10-31")
	late := decodeE2EJSON(t, c.ok("import", "--json", "--consultation", "senoji", filepath.Join(e2eCorpusDir, "d01_gmail_alt_b_subject_jpg.eml")))
	plain := decodeE2EJSON(t, c.ok("import", "--json", filepath.Join(e2eCorpusDir, "d03_outlook_1257_related_cid.eml")))
	if len(late) != 1 || len(plain) != 1 {
		t.Fatalf("got %d and %d lines, want 1 and 1", len(late), len(plain))
	}
	if m := late[0]; m.Consultation != "senoji" || m.Route != "late" || m.Ref == "" {
		t.Errorf("--consultation senoji: got consultation %q route %q ref %q, want senoji, late, a ref", m.Consultation, m.Route, m.Ref)
	}
	if m := plain[0]; m.Consultation != "strategija-2026" || m.Route != "routed" {
		t.Errorf("without --consultation: got consultation %q route %q, want strategija-2026, routed", m.Consultation, m.Route)
	}
	recs := c.exportJSON("--consultation", "senoji")
	if len(recs) != 1 || recs[0]["ref"] != late[0].Ref || recs[0]["late"] != true {
		t.Errorf("export --consultation senoji: got %v, want %s marked late", recs, late[0].Ref)
	}
	if r := c.run("import", "--consultation", "nope", filepath.Join(e2eCorpusDir, "d05_netscape_8859_4.eml")); r.code != exitRuntime ||
		!strings.Contains(r.stderr, `consultation "nope": not found`) {
		t.Errorf("--consultation nope: got exit %d %q, want 1 and not found", r.code, r.stderr)
	}
}

// TestE2ESubjectNullVsEmpty: `messages --json` tells a message without a
// Subject header (null) from one with an empty Subject ("").
func TestE2ESubjectNullVsEmpty(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	mk := func(name, subject string) string {
		raw := "From: Ona <ona@example.lt>\r\nTo: " + ourMailbox + "\r\n" + subject + "Message-ID: <" + name + "@example.lt>\r\n" +
			"Date: Mon, 16 Nov 2026 09:12:31 +0200\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n" +
			"Content-Transfer-Encoding: 8bit\r\n\r\nSiūlau kursus bedarbiams (" + name + ").\r\n"
		p := filepath.Join(c.dir, name+".eml")
		if err := os.WriteFile(p, []byte(raw), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	c.ok("import", mk("empty", "Subject: \r\n"), mk("none", ""))
	msgs := c.messages()
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	for i, want := range []string{`""`, `null`} {
		if got := string(msgs[i].fields["subject"]); got != want {
			t.Errorf("%s: subject %s, want %s", msgs[i].File, got, want)
		}
		if msgs[i].Disposition != "suggestion" {
			t.Errorf("%s: disposition %s (%s), want suggestion", msgs[i].File, msgs[i].Disposition, msgs[i].Reason)
		}
	}
}

// TestE2EMessagesSave: staff get back the exact bytes the mail server
// delivered and every attachment kept, each matching the recorded SHA-256,
// including content large enough to be stored in several pieces; nothing
// is overwritten and a bad id is a clear error.
func TestE2EMessagesSave(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	files := []string{"d01_gmail_alt_b_subject_jpg.eml", "d13_android_gmail_large_pdf.eml", "d26_bad_base64_attachment.eml"}
	for _, f := range files {
		c.ok("import", filepath.Join(e2eCorpusDir, f))
	}
	msgs := c.messages()
	if len(msgs) != len(files) {
		t.Fatalf("%d messages recorded, want %d", len(msgs), len(files))
	}
	dir := t.TempDir()
	for i, m := range msgs {
		id := strconv.FormatInt(m.ID, 10)
		out := c.ok("messages", "save", id, dir)
		raw, err := os.ReadFile(filepath.Join(dir, "message-"+id+".eml"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(e2eCorpusDir, files[i]))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(raw, want) {
			t.Errorf("%s: saved message is %d bytes, not the %d imported", files[i], len(raw), len(want))
		}
		for n, a := range m.Attachments {
			if a.SHA256 == "" {
				if !strings.Contains(out, "not kept") {
					t.Errorf("%s: refused attachment %q not reported:\n%s", files[i], a.Filename, out)
				}
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, id+"-"+strconv.Itoa(n+1)+"-"+a.Filename))
			if err != nil {
				t.Fatalf("%s: %v\n%s", files[i], err, out)
			}
			if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != a.SHA256 || int64(len(b)) != a.Size {
				t.Errorf("%s: attachment %q saved as %d bytes %x, recorded %d bytes %s", files[i], a.Filename, len(b), sum, a.Size, a.SHA256)
			}
		}
	}
	// The whole case by its reference: the e-mail and its attachment.
	ref, caseDir := msgs[1].Ref, t.TempDir()
	c.ok("submissions", "save", ref, caseDir)
	raw, err := os.ReadFile(filepath.Join(caseDir, fmt.Sprintf("%s-message-%d.eml", ref, msgs[1].ID)))
	if want, _ := os.ReadFile(filepath.Join(e2eCorpusDir, files[1])); err != nil || !bytes.Equal(raw, want) {
		t.Errorf("submissions save %s: e-mail %d bytes (%v), want the %d imported", ref, len(raw), err, len(want))
	}
	if _, err := os.Stat(filepath.Join(caseDir, ref+"-1-"+msgs[1].Attachments[0].Filename)); err != nil {
		t.Errorf("submissions save %s: %v", ref, err)
	}
	id := strconv.FormatInt(msgs[1].ID, 10)
	if r := c.run("messages", "save", id, dir); r.code != 1 || !strings.Contains(r.stderr, "exists") {
		t.Errorf("saving over existing files: exit %d, stderr %q; want 1 and a word about the existing file", r.code, r.stderr)
	}
	if r := c.run("messages", "save", "999", dir); r.code == 0 || !strings.Contains(r.stderr, "999") {
		t.Errorf("saving an unknown message: exit %d, stderr %q", r.code, r.stderr)
	}
}
