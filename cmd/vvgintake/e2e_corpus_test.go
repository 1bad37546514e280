package main

import (
	"context"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/internal/vilnius"
	"github.com/vvgintake/vvgintake/ledger"
)

// e2eCorpusDir holds the real-world mail fixtures and their expect.json.
const e2eCorpusDir = "../../intake/mailparse/testdata/mail"

// e2eSeededRef is the case d10 (a resident's reply to our acknowledgement)
// continues; seedE2ECase42 creates it.
const e2eSeededRef = "VVG-2026-0042"

// e2eDuplicateOf names the earlier fixture a fixture is a second delivery
// of: same disposition and case, "duplicate": true, no ack.
func e2eDuplicateOf(file string) (string, bool) {
	if file == "d24_duplicate_msgid_second.eml" {
		return "d23_duplicate_msgid_first.eml", true
	}
	return "", false
}

// e2eCorpusCase is one entry of expect.json.
type e2eCorpusCase = intaketest.CorpusEntry

// loadE2ECorpus reads expect.json, in file-name order.
func loadE2ECorpus(t testing.TB) []e2eCorpusCase {
	t.Helper()
	cs := intaketest.LoadCorpus(t, e2eCorpusDir)
	sort.Slice(cs, func(i, j int) bool { return cs[i].File < cs[j].File })
	return cs
}

// e2eCorpusRaw reads one fixture.
func e2eCorpusRaw(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(e2eCorpusDir, file))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// e2eCorpusPaths lists the fixtures' paths in file-name order.
func e2eCorpusPaths(cs []e2eCorpusCase) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = filepath.Join(e2eCorpusDir, c.File)
	}
	return out
}

var e2eDateHeader = regexp.MustCompile(`(?mi)^Date:[ \t]*(.+)$`)

// e2eWindowDay is a time inside the example consultation's window
// (2026-11-02 .. 2026-12-13), on its first day.
var e2eWindowDay = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// e2eCorpusDate is the INTERNALDATE a fixture is appended with: its Date
// header, or a fixed time inside the example consultation's window when
// it has none or when that Date is still in the future — Dovecot (like
// most servers) stores "now" for an APPEND date in the future, and the
// fixtures are dated up to 2026-11-28.
func e2eCorpusDate(raw []byte) time.Time {
	head, _, _ := strings.Cut(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n\n")
	if m := e2eDateHeader.FindStringSubmatch(head); m != nil {
		if d, err := mail.ParseDate(strings.TrimSpace(m[1])); err == nil && !d.After(time.Now()) {
			return d
		}
	}
	return e2eWindowDay
}

// appendE2ECorpus APPENDs every fixture to INBOX, in file-name order.
func appendE2ECorpus(t testing.TB, srv *intaketest.Server, cs []e2eCorpusCase) {
	t.Helper()
	for _, c := range cs {
		raw := e2eCorpusRaw(t, c.File)
		srv.Append(t, "INBOX", raw, e2eCorpusDate(raw))
	}
}

// seedE2ECase42 gives the ledger case VVG-2026-0042 of
// jonas.zilinskas@example.com, the case d10 answers. Reference numbers
// are gapless per year and taken from the ledger's clock, which the CLI
// does not let a test set, so the simplest honest way is in-process: the
// product's own openLedger with a clock inside 2026, 41 staff
// submissions taken by phone, then Jonas's as the 42nd — whatever year
// the test runs in.
func seedE2ECase42(t testing.TB, c *e2eCLI) {
	t.Helper()
	ctx := context.Background()
	cfg := c.config()
	at := time.Date(2026, 11, 19, 10, 15, 0, 0, cfg.Location())
	db, err := openLedger(ctx, cfg, func() time.Time { return at }, nil)
	if err != nil {
		t.Fatalf("open ledger: %v", err)
	}
	defer db.Close()
	if err := syncConsultations(ctx, cfg, db); err != nil {
		t.Fatalf("sync consultations: %v", err)
	}
	cons, err := db.Consultation(ctx, "strategija-2026")
	if err != nil {
		t.Fatalf("consultation: %v", err)
	}
	for i := 1; i <= 42; i++ {
		ns := &ledger.NewSubmission{ConsultationID: cons.ID, Source: ledger.SourceStaff, ReceivedAt: at,
			Text:  fmt.Sprintf("Telefonu gautas pasiūlymas nr. %d dėl gatvių apšvietimo.", i),
			Class: ledger.Classification{Measure: "other", Confidence: 1}, Actor: "seed"}
		if i == 42 {
			ns.SenderName, ns.SenderEmail = "Jonas Žilinskas", "jonas.zilinskas@example.com"
			ns.Text = "Siūlau įsteigti socialinį taksi senjorams, kurie negali patys nuvykti pas gydytoją."
			ns.Class = ledger.Classification{Measure: "1.1", Confidence: 1}
		}
		s, err := db.AddSubmission(ctx, ns)
		if err != nil {
			t.Fatalf("seed submission %d: %v", i, err)
		}
		if i == 42 && s.Ref != e2eSeededRef {
			t.Fatalf("seeded case: got %s, want %s", s.Ref, e2eSeededRef)
		}
	}
}

// e2eCorpusCheck says what a listing of the corpus can be held to.
type e2eCorpusCheck struct {
	refs     bool // references are known (not a dry run)
	internal bool // internal_date must be the appended Date
}

// checkE2ECorpus holds each message of a listing to its expect.json entry:
// kind → disposition, ack, from, reply_to, subject (null vs ""), text
// (after normalising), attachments in order.
func checkE2ECorpus(t *testing.T, cs []e2eCorpusCase, msgs map[string]e2eMsg, how e2eCorpusCheck) {
	t.Helper()
	loc, _ := vilnius.Location()
	for _, c := range cs {
		m, ok := msgs[c.File]
		if !ok {
			t.Errorf("%s: not in the listing", c.File)
			continue
		}
		t.Run(strings.TrimSuffix(c.File, ".eml"), func(t *testing.T) {
			wantDisp := c.Kind
			if c.Kind == "reply-to-ack" {
				wantDisp = string(mailparse.KindReply)
			}
			if orig, ok := e2eDuplicateOf(c.File); ok {
				first := msgs[orig]
				wantDisp = first.Disposition
				if !m.Duplicate {
					t.Errorf("duplicate: got false, want true (second delivery of %s)", orig)
				}
				if how.refs && (m.Ref == "" || m.Ref != first.Ref) {
					t.Errorf("ref: got %q, want %q (the case of %s)", m.Ref, first.Ref, orig)
				}
			} else if m.Duplicate {
				t.Errorf("duplicate: got true, want false")
			}
			if m.Disposition != wantDisp {
				t.Errorf("disposition: got %s (%s), want %s", m.Disposition, m.Reason, wantDisp)
			}
			if how.refs {
				switch {
				case c.Kind == "reply-to-ack":
					if m.Ref != e2eSeededRef {
						t.Errorf("ref: got %q, want %s (joined to the case it answers)", m.Ref, e2eSeededRef)
					}
				case c.Kind == "suggestion" || c.Kind == "malformed":
					if !e2eRefPattern.MatchString(m.Ref) {
						t.Errorf("ref: got %q, want a reference number", m.Ref)
					}
				default:
					if m.Ref != "" {
						t.Errorf("ref: got %q, want none for %s", m.Ref, c.Kind)
					}
				}
			}
			if m.Ack != c.Ack {
				t.Errorf("ack: got %v, want %v", m.Ack, c.Ack)
			}
			if !strings.EqualFold(m.From, c.From) {
				t.Errorf("from: got %q, want %q", m.From, c.From)
			}
			switch {
			case c.ReplyTo == nil && m.ReplyTo != "":
				t.Errorf("reply_to: got %q, want none", m.ReplyTo)
			case c.ReplyTo != nil && !strings.EqualFold(m.ReplyTo, *c.ReplyTo):
				t.Errorf("reply_to: got %q, want %q", m.ReplyTo, *c.ReplyTo)
			}
			if _, ok := m.fields["subject"]; !ok {
				t.Errorf("subject: field missing, want it present (null or a string)")
			}
			switch {
			case c.Subject == nil && m.Subject != nil:
				t.Errorf("subject: got %q, want null (no Subject header)", *m.Subject)
			case c.Subject != nil && m.Subject == nil:
				t.Errorf("subject: got null, want %q", *c.Subject)
			case c.Subject != nil && *m.Subject != *c.Subject:
				t.Errorf("subject: got %q, want %q", *m.Subject, *c.Subject)
			}
			text := e2eNormalize(m.Text)
			for _, want := range c.TextContains {
				if !strings.Contains(text, e2eNormalize(want)) {
					t.Errorf("text lacks %q; got:\n%s", want, m.Text)
				}
			}
			if c.TextContains != nil && len(c.TextContains) == 0 && text != "" {
				t.Errorf("text: got %q, want empty", m.Text)
			}
			for _, bad := range c.TextExcludes {
				if strings.Contains(text, e2eNormalize(bad)) {
					t.Errorf("text contains %q, want it removed; got:\n%s", bad, m.Text)
				}
			}
			if len(m.Attachments) != len(c.Attachments) {
				t.Errorf("attachments: got %d %+v, want %d %+v", len(m.Attachments), m.Attachments, len(c.Attachments), c.Attachments)
			} else {
				for i, want := range c.Attachments {
					got := m.Attachments[i]
					if got.Filename != want.Filename || got.ContentType != want.ContentType {
						t.Errorf("attachment %d: got %q %s, want %q %s", i, got.Filename, got.ContentType, want.Filename, want.ContentType)
					}
					if got.SHA256 == "" || got.Size < 0 {
						t.Errorf("attachment %d: got sha256 %q size %d, want both", i, got.SHA256, got.Size)
					}
				}
			}
			if how.internal {
				want := e2eCorpusDate(e2eCorpusRaw(t, c.File)).In(loc).Format(time.RFC3339)
				if m.InternalDate != want {
					t.Errorf("internal_date: got %s, want %s", m.InternalDate, want)
				}
			}
		})
	}
}

// e2eByArrival pairs a mailbox listing (arrival order = append order =
// file-name order) with the corpus files.
func e2eByArrival(t testing.TB, cs []e2eCorpusCase, msgs []e2eMsg) map[string]e2eMsg {
	t.Helper()
	if len(msgs) != len(cs) {
		t.Fatalf("messages --json: got %d messages, want %d (one per fixture)", len(msgs), len(cs))
	}
	out := map[string]e2eMsg{}
	for i, c := range cs {
		out[c.File] = msgs[i]
	}
	return out
}

// e2eByFile keys an import listing by the fixture's file name.
func e2eByFile(msgs []e2eMsg) map[string]e2eMsg {
	out := map[string]e2eMsg{}
	for _, m := range msgs {
		out[filepath.Base(m.File)] = m
	}
	return out
}

// checkE2EAckQueue holds `outbox list` to expect.json: every
// acknowledgement expected, once, to Reply-To else From; no other.
func checkE2EAckQueue(t *testing.T, cs []e2eCorpusCase, acks map[string]int) {
	t.Helper()
	want := map[string]int{}
	for _, c := range cs {
		if c.Ack {
			want[c.AckTo()]++
		}
	}
	for to, n := range want {
		if acks[to] != n {
			t.Errorf("outbox: got %d acknowledgement(s) to %s, want %d", acks[to], to, n)
		}
	}
	for to, n := range acks {
		if want[to] == 0 {
			t.Errorf("outbox: got %d unexpected acknowledgement(s) to %s", n, to)
		}
	}
}

// TestE2EMailCorpusOnce takes every fixture through an IMAP server and
// `vvgintake run --once`, then holds `messages --json` and the outbox to
// expect.json; a second pass records nothing new.
func TestE2EMailCorpusOnce(t *testing.T) {
	t.Parallel()
	cs := loadE2ECorpus(t)
	for _, srv := range intaketest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			c := newE2ECLI(t, imapEnv(srv.Addr, srv.User, srv.Password)...)
			seedE2ECase42(t, c)
			appendE2ECorpus(t, srv, cs)
			c.ok("run", "--once")
			msgs := c.messages()
			checkE2ECorpus(t, cs, e2eByArrival(t, cs, msgs), e2eCorpusCheck{refs: true, internal: true})
			acks := c.outboxKind("ack")
			checkE2EAckQueue(t, cs, acks)

			c.ok("run", "--once")
			if again := c.messages(); len(again) != len(msgs) {
				t.Errorf("second run --once: got %d messages, want %d (nothing new)", len(again), len(msgs))
			}
			if again := c.outboxKind("ack"); fmt.Sprint(again) != fmt.Sprint(acks) {
				t.Errorf("second run --once: acknowledgements %v, want unchanged %v", again, acks)
			}
			for _, s := range srv.Messages(t, "INBOX") {
				if !s.HasFlag("$VVGIngested") {
					t.Errorf("uid %d: got flags %v, want $VVGIngested after ingest", s.UID, s.Flags)
				}
			}
		})
	}
}

// TestE2EMailCorpusIdle runs the daemon in-process and appends the corpus
// while it waits in IDLE: with one folder and a 10-minute full sync,
// only IDLE's EXISTS can bring the mail in within the deadline.
func TestE2EMailCorpusIdle(t *testing.T) {
	t.Parallel()
	cs := loadE2ECorpus(t)
	intaketest.Each(t, func(t *testing.T, srv *intaketest.Server) {
		c := newE2ECLI(t, imapEnv(srv.Addr, srv.User, srv.Password)...)
		c = c.with("VVGINTAKE_IMAP_FULL_SYNC_INTERVAL=10m")
		seedE2ECase42(t, c)
		ctx := context.Background()
		d := startE2EDaemon(t, c.env, DaemonOptions{}, nil)
		db := d.d.db
		e2eWait(t, 30*time.Second, "the first mailbox sync", func() bool {
			hs, err := db.MailboxHealth(ctx)
			return err == nil && len(hs) > 0 && !hs[0].LastSync.IsZero()
		})
		appendE2ECorpus(t, srv, cs)
		e2eWait(t, 60*time.Second, fmt.Sprintf("%d messages recorded", len(cs)), func() bool {
			n := 0
			err := db.Messages(ctx, ledger.MessageFilter{}, func(*ledger.Message) error { n++; return nil })
			return err == nil && n >= len(cs)
		})
		if !regexp.MustCompile(`msg=connected .*idle=true`).MatchString(d.logs.String()) {
			t.Errorf("the poller did not report an IDLE-capable connection:\n%s", e2eTail(d.logs.String(), 2000))
		}
		msgs := c.messages() // the CLI reads the ledger the daemon writes
		checkE2ECorpus(t, cs, e2eByArrival(t, cs, msgs), e2eCorpusCheck{refs: true, internal: true})
		checkE2EAckQueue(t, cs, c.outboxKind("ack"))
	})
}
