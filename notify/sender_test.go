package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// senderFixture is a ledger on a fake clock with one open consultation
// and a Capture server behind a counting Mailer.
type senderFixture struct {
	clock  *clocktest.Clock
	db     *ledger.DB
	cons   *ledger.Consultation
	srv    *captureServer
	mailer *countingMailer
}

func newSenderFixture(t *testing.T) *senderFixture {
	t.Helper()
	loc := loadVilnius(t)
	f := &senderFixture{clock: clocktest.New(time.Date(2026, 12, 1, 10, 0, 0, 0, loc))}
	f.db = openLedger(t, f.clock.Now)
	f.cons = openConsultation(t, f.db, "strategija", "Strategijos keitimas",
		time.Date(2026, 11, 1, 0, 0, 0, 0, loc), time.Date(2026, 12, 14, 0, 0, 0, 0, loc))
	f.srv = &captureServer{c: newCapture(t, "127.0.0.1:0")}
	f.mailer = &countingMailer{next: mailerTo(t, f.srv.addr(), SMTPOptions{})}
	return f
}

func TestSenderFailures(t *testing.T) {
	tests := []struct {
		name       string
		code       int
		text       string
		wantErr    bool   // SendDue stops with a server-wide error
		wantStatus string // after the failed attempt
		wantLast   string // in LastError, before the server's text
		// recover makes the item due again: the clock moves past the
		// backoff, or staff retry a failed item.
		recover func(t *testing.T, f *senderFixture, it *ledger.OutboxItem)
	}{
		{
			name: "451 greylisted, retried after backoff", code: 451, text: "Greylisted, try again later",
			wantStatus: ledger.OutboxPending, wantLast: "smtp data: 451",
			recover: func(t *testing.T, f *senderFixture, it *ledger.OutboxItem) {
				now := f.clock.Now()
				lo, hi := now.Add(time.Duration(float64(defaultRetryBase)*(1-jitter))), now.Add(time.Duration(float64(defaultRetryBase)*(1+jitter)))
				if it.NextAttemptAt.Before(lo) || it.NextAttemptAt.After(hi) {
					t.Errorf("next attempt at %s, want within [%s, %s]", it.NextAttemptAt, lo, hi)
				}
				f.clock.Advance(2 * defaultRetryBase)
			},
		},
		{
			name: "550 refused, staff retry", code: 550, text: "Message rejected as spam",
			wantStatus: ledger.OutboxFailed, wantLast: "smtp data: 550",
			recover: func(t *testing.T, f *senderFixture, it *ledger.OutboxItem) {
				if err := f.db.RetryOutbox(context.Background(), it.ID, "staff"); err != nil {
					t.Fatalf("RetryOutbox: %v", err)
				}
			},
		},
		{
			name: "421 closing channel pauses the queue", code: 421, text: "Service shutting down",
			wantErr: true, wantStatus: ledger.OutboxPending, wantLast: "smtp data: 421",
			recover: func(t *testing.T, f *senderFixture, it *ledger.OutboxItem) {},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newSenderFixture(t)
			queueAcks(t, f.db, f.cons, 2)
			s := newTestSender(t, f.db, f.mailer, func(o *SenderOptions) { o.Now = f.clock.Now })
			f.srv.c.FailNext(1, tt.code, tt.text)

			sent, err := s.SendDue(ctx)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("first SendDue error = %v, want error: %v", err, tt.wantErr)
			}
			wantSent := 1 // the second item goes through
			if tt.wantErr {
				wantSent = 0 // the queue stopped at the first
			}
			if sent != wantSent {
				t.Errorf("first SendDue sent %d, want %d", sent, wantSent)
			}
			it := listOutbox(t, f.db)[0]
			if it.Status != tt.wantStatus || !strings.Contains(it.LastError, tt.wantLast) || !strings.Contains(it.LastError, tt.text) {
				t.Fatalf("after failure: status %s, last error %q; want %s, %q … %q", it.Status, it.LastError, tt.wantStatus, tt.wantLast, tt.text)
			}
			tt.recover(t, f, it)

			if _, err := s.SendDue(ctx); err != nil {
				t.Fatalf("second SendDue: %v", err)
			}
			if got := item(t, f.db, it.ID); got.Status != ledger.OutboxSent || got.LastError != "" {
				t.Errorf("after recovery: status %s, last error %q; want sent, none", got.Status, got.LastError)
			}
			copies := map[string]int{}
			for _, m := range f.srv.c.Messages() {
				copies[messageID(t, m.Raw)]++
			}
			for _, it := range listOutbox(t, f.db) {
				if copies[it.MessageID] != 1 {
					t.Errorf("item %d: %d copies at the server, want 1", it.ID, copies[it.MessageID])
				}
			}
		})
	}
}

// TestSenderGivesUp checks that temporary failures end in "failed" once
// RetryFor has passed since the item was queued, with the last answer.
func TestSenderGivesUp(t *testing.T) {
	ctx := context.Background()
	f := newSenderFixture(t)
	it := queueAcks(t, f.db, f.cons, 1)[0]
	s := newTestSender(t, f.db, f.mailer, func(o *SenderOptions) { o.Now = f.clock.Now })
	f.srv.c.FailNext(2, 452, "Mailbox full")
	if _, err := s.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := item(t, f.db, it.ID); got.Status != ledger.OutboxPending {
		t.Fatalf("after first 452: status %s, want pending", got.Status)
	}
	f.clock.Advance(defaultRetryFor + time.Minute)
	if _, err := s.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	got := item(t, f.db, it.ID)
	if got.Status != ledger.OutboxFailed || !strings.Contains(got.LastError, "gave up after 72h") ||
		!strings.Contains(got.LastError, "452 4.0.0 Mailbox full") {
		t.Errorf("after %s: status %s, last error %q; want failed with the last answer", defaultRetryFor, got.Status, got.LastError)
	}
	if got.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", got.Attempts)
	}
}

// TestSenderCrash simulates a process that died with items claimed: one
// after the server accepted it, one before the SMTP session began. The
// next Run resends both once, marked in doubt; only the first may exist
// twice at the server.
func TestSenderCrash(t *testing.T) {
	ctx := context.Background()
	db := openLedger(t, time.Now)
	now := time.Now()
	c := openConsultation(t, db, "strategija", "Strategijos keitimas", now.Add(-time.Hour), now.Add(720*time.Hour))
	items := queueAcks(t, db, c, 3)
	srv := newCapture(t, "127.0.0.1:0")
	mailer := mailerTo(t, srv.Addr, SMTPOptions{})

	// The first life: item 0 delivered but never marked sent, item 1
	// claimed and then the process died, item 2 never touched.
	first := newTestSender(t, db, mailer, nil)
	if err := db.Claim(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	msg, err := first.Render(ctx, items[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := mailer.Send(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if err := db.Claim(ctx, items[1].ID); err != nil {
		t.Fatal(err)
	}

	// The second life.
	second := newTestSender(t, db, mailer, nil)
	stop := startRun(t, second)
	waitFor(t, 30*time.Second, "all items sent", func() bool { return outboxStats(t, db).Sent == len(items) })
	stop()

	copies := map[string]int{}
	for _, m := range srv.Messages() {
		copies[messageID(t, m.Raw)]++
	}
	tests := []struct {
		name    string
		it      *ledger.OutboxItem
		inDoubt bool
		copies  int
	}{
		{"accepted before the crash", items[0], true, 2},
		{"claimed, crashed before SMTP", items[1], true, 1},
		{"untouched", items[2], false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := item(t, db, tt.it.ID)
			if got.Status != ledger.OutboxSent || got.InDoubt != tt.inDoubt {
				t.Errorf("status %s in doubt %v, want sent in doubt %v", got.Status, got.InDoubt, tt.inDoubt)
			}
			if n := copies[tt.it.MessageID]; n != tt.copies || (n == 2 && !got.InDoubt) {
				t.Errorf("%d copies at the server, want %d (2 only when in doubt)", n, tt.copies)
			}
		})
	}
}

// TestSenderAuthFailure checks that a refused login pauses the queue: no
// item is failed, none is sent, and attempts are spaced by the backoff
// even while new items keep kicking the sender.
func TestSenderAuthFailure(t *testing.T) {
	const base = 20 * time.Millisecond
	db := openLedger(t, time.Now)
	now := time.Now()
	c := openConsultation(t, db, "strategija", "Strategijos keitimas", now.Add(-time.Hour), now.Add(720*time.Hour))
	items := queueAcks(t, db, c, 5)
	srv := newCapture(t, "127.0.0.1:0")
	srv.RequireAuth("vvg", "teisingas")
	mailer := &countingMailer{next: mailerTo(t, srv.Addr, SMTPOptions{Username: "vvg", Password: "neteisingas"})}
	s := newTestSender(t, db, mailer, func(o *SenderOptions) { o.RetryBase, o.RetryMax = base, 4*base })
	stop := startRun(t, s)
	waitFor(t, 30*time.Second, "4 attempts", func() bool {
		s.Kick() // new mail during a pause must not end it
		times, _ := mailer.attempts()
		return len(times) >= 4
	})
	stop()

	times, errs := mailer.attempts()
	for i, err := range errs {
		var se *SendError
		if !errors.As(err, &se) || se.Stage != "auth" || se.Code != 535 {
			t.Errorf("attempt %d: got %v, want smtp auth: 535", i+1, err)
		}
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < time.Duration(float64(base)*(1-jitter)) {
			t.Errorf("attempts %d and %d only %s apart", i, i+1, gap)
		}
	}
	for _, it := range items {
		got := item(t, db, it.ID)
		if got.Status != ledger.OutboxPending {
			t.Errorf("item %d: status %s, want pending", it.ID, got.Status)
		}
		if got.Attempts > 0 && !strings.Contains(got.LastError, "535") {
			t.Errorf("item %d: last error %q, want the 535 answer", it.ID, got.LastError)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server accepted %d messages, want 0", n)
	}
}

// TestSenderRenderFailure checks that items that cannot be built are
// failed with the reason and never retried in a loop.
func TestSenderRenderFailure(t *testing.T) {
	ctx := context.Background()
	f := newSenderFixture(t)
	good := queueAcks(t, f.db, f.cons, 1)[0]
	bad := []*ledger.OutboxItem{
		{Kind: ledger.KindReminder, DedupeKey: "reminder:nera:2027-01-13", Recipients: []string{"admin@vvg.example.lt"},
			Payload: `{"slug":"nera","due":"2027-01-13"}`},
		{Kind: ledger.KindDigest, DedupeKey: "digest:broken", Recipients: []string{"valdyba@vvg.example.lt"}, Payload: `{"from_id":`},
		{Kind: ledger.KindAck, DedupeKey: "ack:bad-address", SubmissionID: good.SubmissionID, Recipients: []string{"not an address"}},
	}
	for _, it := range bad {
		if _, err := f.db.Enqueue(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	s := newTestSender(t, f.db, f.mailer, func(o *SenderOptions) { o.Now = f.clock.Now })
	for range 2 {
		if _, err := s.SendDue(ctx); err != nil {
			t.Fatalf("SendDue: %v", err)
		}
	}
	if times, _ := f.mailer.attempts(); len(times) != 1 {
		t.Errorf("%d SMTP attempts, want 1 (the good item)", len(times))
	}
	if got := item(t, f.db, good.ID); got.Status != ledger.OutboxSent {
		t.Errorf("good item: status %s, want sent", got.Status)
	}
	for _, it := range bad {
		got := item(t, f.db, it.ID)
		if got.Status != ledger.OutboxFailed || !strings.HasPrefix(got.LastError, "render: ") {
			t.Errorf("%s: status %s, last error %q; want failed, render: …", it.DedupeKey, got.Status, got.LastError)
		}
	}
}

// blockingMailer holds every Send until released.
type blockingMailer struct {
	started chan struct{}
	release chan struct{}
}

func (m *blockingMailer) Send(ctx context.Context, _ *gomail.Msg) error {
	m.started <- struct{}{}
	select {
	case <-m.release:
		return nil
	case <-ctx.Done():
		return &SendError{Stage: "data", Temporary: true, Err: ctx.Err()}
	}
}

// TestSenderShutdownGrace checks the two-phase shutdown: a message being
// transmitted when Run's context ends may still finish, and is recorded.
func TestSenderShutdownGrace(t *testing.T) {
	db := openLedger(t, time.Now)
	now := time.Now()
	c := openConsultation(t, db, "strategija", "Strategijos keitimas", now.Add(-time.Hour), now.Add(720*time.Hour))
	it := queueAcks(t, db, c, 1)[0]
	m := &blockingMailer{started: make(chan struct{}, 1), release: make(chan struct{})}
	s := newTestSender(t, db, m, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	<-m.started
	cancel() // first phase: no new work
	close(m.release)
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	if got := item(t, db, it.ID); got.Status != ledger.OutboxSent {
		t.Errorf("status %s, want sent", got.Status)
	}
}

func TestNewSenderRejects(t *testing.T) {
	db := openLedger(t, time.Now)
	_, err := NewSender(SenderOptions{DB: db, Lang: "de", AckLang: "fr", RetryFor: -time.Hour, Org: Org{Address: "x"}})
	for _, want := range []string{"templates are nil", "org address", "lang:", "ack lang:", "retry_for"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

// TestRenderOnlySender: a sender without a mailer renders but refuses to
// send, so a preview can never mail anyone.
func TestRenderOnlySender(t *testing.T) {
	db := openLedger(t, time.Now)
	tpl, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSender(SenderOptions{DB: db, Templates: tpl, Org: Org{Name: "VVG", Address: "vvg@example.lt"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendDue(context.Background()); !errors.Is(err, ErrNoMailer) {
		t.Errorf("SendDue = %v, want ErrNoMailer", err)
	}
	if err := s.Run(context.Background()); !errors.Is(err, ErrNoMailer) {
		t.Errorf("Run = %v, want ErrNoMailer", err)
	}
}
