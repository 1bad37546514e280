package privacy

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/ledger"
)

// world is a ledger whose messages came from an IMAP test server.
type world struct {
	db    *ledger.DB
	srv   *intaketest.Server
	mopt  mailbox.Options
	clock *clock
	cons  *ledger.Consultation
}

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newWorld(t *testing.T, srv *intaketest.Server) *world {
	t.Helper()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	db, err := ledger.Open(ctx, filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cons := &ledger.Consultation{Slug: "s", Title: "Strategija", OpensAt: c.t.AddDate(0, 0, -10), ClosesAt: c.t.AddDate(0, 0, 10)}
	if err := db.CreateConsultation(ctx, cons, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetConsultationStatus(ctx, "s", ledger.StatusOpen, "test"); err != nil {
		t.Fatal(err)
	}
	return &world{db: db, srv: srv, clock: c, cons: cons, mopt: mailbox.Options{Addr: srv.Addr, TLS: mailbox.TLSNone, AllowInsecure: true,
		Username: srv.User, Password: srv.Password, CommandTimeout: 10 * time.Second, Logger: slog.New(slog.DiscardHandler)}}
}

// mail delivers a resident's suggestion to the server and records it as
// the poller would have.
func (w *world) mail(t *testing.T, from string, n int) {
	t.Helper()
	raw := []byte(fmt.Sprintf("From: %s\r\nTo: vvg@example.lt\r\nSubject: Pasiūlymas\r\nMessage-ID: <%s.%d@example.lt>\r\n\r\nSiūlau nr. %d.\r\n",
		from, strings.Split(from, "@")[0], n, n))
	uid := w.srv.Append(t, "INBOX", raw, w.clock.t)
	in := &ledger.Inbound{Message: ledger.Message{Source: "imap", Account: w.mopt.Account(), Folder: "INBOX",
		UIDValidity: w.srv.UIDValidity(t, "INBOX"), UID: uid, InternalDate: w.clock.t, Size: int64(len(raw)),
		MessageID: fmt.Sprintf("%s.%d@example.lt", strings.Split(from, "@")[0], n), FromAddr: from, Subject: "Pasiūlymas",
		HasSubject: true, Text: fmt.Sprintf("Siūlau nr. %d.", n), Disposition: "suggestion", Route: ledger.RouteRouted,
		ConsultationID: w.cons.ID, ContentKey: fmt.Sprintf("k%d", n)},
		Raw:        raw,
		Submission: &ledger.NewSubmission{ConsultationID: w.cons.ID, Source: ledger.SourceEmail, SenderEmail: from, Text: "Siūlau"}}
	if _, err := w.db.Ingest(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}

func (w *world) inbox(t *testing.T) int { return len(w.srv.Messages(t, "INBOX")) }

// publish decides every suggestion, closes the consultation and publishes
// its results, answering everyone by the table alone.
func (w *world) publish(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	var plan ledger.PublishPlan
	err := w.db.Submissions(ctx, ledger.Filter{Consultation: "s"}, func(s *ledger.Submission) error {
		plan.Answers = append(plan.Answers, ledger.Answer{SubmissionID: s.ID})
		_, err := w.db.Decide(ctx, s.Ref, "accepted", "Pritarta", "test")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.SetConsultationStatus(ctx, "s", ledger.StatusClosed, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Publish(ctx, "s", plan); err != nil {
		t.Fatal(err)
	}
}

// TestRetainDeletesMailbox: the retention rules purge a published
// consultation and delete its mail from the mailbox, finishing each step.
func TestRetainDeletesMailbox(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, srv *intaketest.Server) {
		ctx := context.Background()
		w := newWorld(t, srv)
		for i := range 3 {
			w.mail(t, fmt.Sprintf("g%d@example.lt", i), i)
		}
		w.publish(t)
		r := New(w.db, Options{Mailbox: &w.mopt, Now: w.clock.Now})
		rules := ledger.RetentionRules{RawMail: 12, Personal: 12, Mailbox: true}
		if due, err := r.RetentionDue(ctx, rules); err != nil || len(due) != 0 {
			t.Fatalf("due at once: %+v, %v", due, err)
		}
		w.clock.t = w.clock.t.AddDate(1, 0, 1)
		res, err := r.Retain(ctx, rules)
		if err != nil || len(res) != 2 {
			t.Fatalf("retain = %+v, %v", res, err)
		}
		if n := w.inbox(t); n != 0 {
			t.Errorf("%d messages left in INBOX after retention", n)
		}
		open, err := w.db.Erasures(ctx, true, 0)
		if err != nil || len(open) != 0 {
			t.Errorf("unfinished erasures: %+v, %v", open, err)
		}
	})
}

// TestResumeAfterOutage: an erasure whose mailbox could not be reached
// is finished by the Resumer once it can, and not asked again before its
// pause is over.
func TestResumeAfterOutage(t *testing.T) {
	ctx := context.Background()
	srv := intaketest.StartMemory(t)
	w := newWorld(t, srv)
	w.mail(t, "ona@example.lt", 1)
	w.mail(t, "jonas@example.lt", 2)
	good := w.mopt.Addr
	w.mopt.Addr = "127.0.0.1:1" // nothing listens
	r := New(w.db, Options{Mailbox: &w.mopt, Now: w.clock.Now})
	res, err := r.Erase(ctx, "ona@example.lt", "rasa")
	if err != nil || res.MailboxErr == nil || res.Erasure.Done() {
		t.Fatalf("erase during the outage = %+v, %v; want the mailbox part waiting", res, err)
	}
	u := r.NewResumer()
	if n, err := u.Resume(ctx); n != 0 || err == nil {
		t.Fatalf("resume during the outage = %d, %v; want an error", n, err)
	}
	w.mopt.Addr = good
	if n, err := u.Resume(ctx); n != 0 || err != nil {
		t.Fatalf("resume within the pause = %d, %v; want nothing tried", n, err)
	}
	w.clock.t = w.clock.t.Add(10 * time.Minute)
	if n, err := u.Resume(ctx); n != 1 || err != nil {
		t.Fatalf("resume after the pause = %d, %v; want the erasure finished", n, err)
	}
	if n := w.inbox(t); n != 1 {
		t.Errorf("INBOX has %d messages, want Jonas's only", n)
	}
	again, err := r.Erase(ctx, "ona@example.lt", "rasa")
	if err != nil || again.Erasure != nil || len(again.Previous) != 1 || !again.Previous[0].Done() {
		t.Errorf("second erase = %+v, %v; want nothing to do and the first one finished", again, err)
	}
}
