package notify

import (
	"context"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/notifytest"
)

// outageServer is an SMTP server a test can take down and bring back on
// the same address.
type outageServer interface {
	addr() string
	stop(t *testing.T)
	start(t *testing.T)
	// messageIDs waits until n messages have arrived and returns their
	// Message-IDs.
	messageIDs(t *testing.T, n int) []string
}

type captureServer struct{ c *notifytest.Capture }

func (s *captureServer) addr() string { return s.c.Addr }

func (s *captureServer) stop(t *testing.T) {
	if err := s.c.Close(); err != nil {
		t.Fatalf("close capture: %v", err)
	}
}

func (s *captureServer) start(t *testing.T) { s.c = newCapture(t, s.c.Addr) }

func (s *captureServer) messageIDs(t *testing.T, n int) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	msgs, err := s.c.Wait(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range msgs {
		ids = append(ids, messageID(t, m.Raw))
	}
	return ids
}

type mailpitServer struct{ m *notifytest.Mailpit }

func (s *mailpitServer) addr() string       { return s.m.SMTPAddr }
func (s *mailpitServer) stop(t *testing.T)  { s.m.Stop(t) }
func (s *mailpitServer) start(t *testing.T) { s.m.Start(t) }

func (s *mailpitServer) messageIDs(t *testing.T, n int) []string {
	var ids []string
	for _, m := range s.m.WaitCount(t, n, 30*time.Second) {
		ids = append(ids, m.MessageID)
	}
	return ids
}

// TestSenderOutage queues 50 acknowledgements while the SMTP server is
// down. Run must pause with backoff instead of trying every item, fail
// none of them, and deliver each exactly once when the server returns.
// With VVGINTAKE_TEST_REAL=1 it runs against Mailpit as well (and fails if
// Mailpit is missing).
func TestSenderOutage(t *testing.T) {
	servers := []struct {
		name  string
		start func(t *testing.T) outageServer
	}{
		{"capture", func(t *testing.T) outageServer { return &captureServer{c: newCapture(t, "127.0.0.1:0")} }},
		{"mailpit", func(t *testing.T) outageServer { return &mailpitServer{m: notifytest.StartMailpit(t)} }},
	}
	for _, srv := range servers {
		t.Run(srv.name, func(t *testing.T) {
			const (
				n    = 50
				base = 20 * time.Millisecond
			)
			server := srv.start(t)
			db := openLedger(t, time.Now)
			now := time.Now()
			c := openConsultation(t, db, "strategija", "Strategijos keitimas", now.Add(-24*time.Hour), now.Add(30*24*time.Hour))
			server.stop(t)
			items := queueAcks(t, db, c, n)
			mailer := &countingMailer{next: mailerTo(t, server.addr(), SMTPOptions{})}
			var results resultCounter
			s := newTestSender(t, db, mailer, func(o *SenderOptions) {
				o.RetryBase, o.RetryMax, o.OnResult = base, 8*base, results.add
			})
			stop := startRun(t, s)

			waitFor(t, 30*time.Second, "5 attempts during the outage", func() bool {
				times, _ := mailer.attempts()
				return len(times) >= 5
			})
			times, errs := mailer.attempts()
			for i, err := range errs {
				if err == nil || !serverWide(err) {
					t.Fatalf("attempt %d during outage: got %v, want a server-wide error", i+1, err)
				}
			}
			// Every failure pauses the queue: attempts are spaced by at
			// least the shortest backoff, never back to back.
			for i := 1; i < len(times); i++ {
				if gap := times[i].Sub(times[i-1]); gap < time.Duration(float64(base)*(1-jitter)) {
					t.Errorf("attempts %d and %d only %s apart, want >= %s", i, i+1, gap, time.Duration(float64(base)*(1-jitter)))
				}
			}
			if st := outboxStats(t, db); st.Failed != 0 || st.Sent != 0 {
				t.Fatalf("during outage: %d failed, %d sent; want 0, 0", st.Failed, st.Sent)
			}

			server.start(t)
			waitFor(t, 60*time.Second, "all items sent", func() bool { return outboxStats(t, db).Sent == n })
			stop()

			ids := server.messageIDs(t, n)
			if len(ids) != n {
				t.Errorf("server has %d messages, want %d", len(ids), n)
			}
			copies := map[string]int{}
			for _, id := range ids {
				copies[id]++
			}
			for _, it := range items {
				if copies[it.MessageID] != 1 {
					t.Errorf("item %d (%s): %d copies at the server, want 1", it.ID, it.MessageID, copies[it.MessageID])
				}
			}
			if st := outboxStats(t, db); st.Failed != 0 || st.Pending != 0 || st.Sending != 0 || st.InDoubt != 0 {
				t.Errorf("after outage: %+v, want only sent items", st)
			}
			attempts, _ := mailer.attempts()
			if ok, failed := results.get(ledger.KindAck); ok != n || failed != len(attempts)-n {
				t.Errorf("OnResult: %d ok, %d failed; want %d ok, %d failed", ok, failed, n, len(attempts)-n)
			}
			t.Logf("%d attempts for %d items", len(attempts), n)
		})
	}
}
