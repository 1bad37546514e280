package mailbox

import (
	"context"
	"log/slog"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/vvgintake/vvgintake/intake/intaketest"
)

func TestPollerUIDValidityChange(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		msgs := imapMessages("uidvalidity", 4, 0)
		for _, raw := range msgs[:3] {
			s.Append(t, "INBOX", raw, imapTestDate)
		}
		sink := newIMAPSink()
		p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink)
		if err := p.SyncOnce(ctx); err != nil {
			t.Fatalf("SyncOnce: %v", err)
		}
		old := sink.state(p.Account(), "INBOX").UIDValidity

		s.ChangeUIDValidity(t, "INBOX")
		s.Append(t, "INBOX", msgs[3], imapTestDate)
		if err := p.SyncOnce(ctx); err != nil {
			t.Fatalf("SyncOnce after the change: %v", err)
		}
		checkRecordedOnce(t, sink, msgs)
		if _, dups, _ := sink.snapshot(); dups != 3 {
			t.Errorf("content duplicates = %d, want 3 (the rescan recognised every old message)", dups)
		}
		st := sink.state(p.Account(), "INBOX")
		if want := s.UIDValidity(t, "INBOX"); st.UIDValidity != want || st.UIDValidity == old {
			t.Errorf("state = %+v, want the new UIDVALIDITY %d (old %d)", st, want, old)
		}
	})
}

// TestPollerCutMidFetch drops the connection again and again in the middle
// of a 50-message fetch; in the end every message is recorded exactly once.
func TestPollerCutMidFetch(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		tests := []struct {
			name  string
			after string
			bytes int64 // cut each connection after this many bytes
			every int   // or: cut every connection each time this many more are recorded
		}{
			{"bytes none", AfterNone, 40_000, 0},
			{"bytes keyword", AfterKeyword, 40_000, 0},
			{"bytes move", AfterMove, 40_000, 0},
			{"cut none", AfterNone, 0, 7},
			{"cut keyword", AfterKeyword, 0, 7},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				folder := "Cut" + string(rune('A'+i))
				msgs := imapMessages("cut-"+folder, 50, 3000)
				s.AppendMany(t, folder, msgs, imapTestDate)

				proxy := intaketest.NewCutProxy(t, s.Addr)
				proxy.CutAfter(tt.bytes)
				sink := newIMAPSink()
				var resets atomic.Int64
				if tt.every > 0 {
					// Runs inside Deliver: the poller is mid-batch. What the
					// server already sent sits in socket buffers and is
					// still read (Linux keeps it after a reset); the rest
					// of the batch, or the STORE/MOVE after it, is lost.
					sink.onDeliver = func(n int) {
						if n%tt.every == 0 {
							resets.Add(int64(proxy.Cut()))
						}
					}
				}
				opt := pollerOpts(t, s, newIMAPLogs(t))
				opt.Addr, opt.Folders, opt.AfterIngest = proxy.Addr, []string{folder}, tt.after
				opt.MoveTo = folder + "-done"
				p := newTestPoller(t, opt, sink)
				stop := startPollerRun(t, p)
				sink.waitFor(t, 90*time.Second, "all 50 messages", func(s *imapSink) bool {
					return s.count() == len(msgs)
				})
				if tt.after != AfterNone {
					// Marking follows recording; wait for the state to
					// pass the last message.
					sink.waitFor(t, 30*time.Second, "the last batch to be marked", func(s *imapSink) bool {
						return s.state(p.Account(), folder).LastUID >= 50
					})
				}
				stop()
				checkRecordedOnce(t, sink, msgs)
				if n := proxy.Accepted(); tt.bytes > 0 && n < 3 {
					t.Errorf("only %d connections: the cuts did not happen", n)
				}
				if n := resets.Load(); tt.every > 0 && n < 1 {
					t.Errorf("no connection was reset")
				}
				left := s.Messages(t, folder)
				switch tt.after {
				case AfterKeyword:
					for _, m := range left {
						if !m.HasFlag(DefaultKeyword) {
							t.Errorf("uid %d lacks the keyword", m.UID)
						}
					}
				case AfterMove:
					if len(left) != 0 {
						t.Errorf("%d messages left unmoved", len(left))
					}
					if got := len(s.Messages(t, opt.MoveTo)); got != len(msgs) {
						t.Errorf("%s holds %d, want %d", opt.MoveTo, got, len(msgs))
					}
				}
				t.Logf("%d connections, health %+v", proxy.Accepted(), p.Health())
			})
		}
	})
}

// TestPollerServerRestart restarts the server in the middle of a sync.
func TestPollerServerRestart(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		msgs := imapMessages("restart", 200, 2000)
		s.AppendMany(t, "INBOX", msgs, imapTestDate)
		sink := newIMAPSink()
		// The Sink holds delivery 30 of 200 while the server restarts: the
		// restart lands in the middle of a batch, every time.
		reached, resume := make(chan struct{}), make(chan struct{})
		sink.onDeliver = func(n int) {
			if n == 30 {
				close(reached)
				<-resume
			}
		}
		p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink)
		startPollerRun(t, p)
		select {
		case <-reached:
		case <-time.After(60 * time.Second):
			t.Fatal("sync never reached message 30")
		}
		s.Restart(t)
		close(resume)
		sink.waitFor(t, 90*time.Second, "all 200 messages", func(s *imapSink) bool { return s.count() == len(msgs) })
		checkRecordedOnce(t, sink, msgs)
		sink.waitFor(t, 30*time.Second, "the reconnect to be counted", func(*imapSink) bool { return p.Health().Reconnects >= 1 })
	})
}

// TestBatchAdvanceStopsAtHole: LastUID never passes a message that is not
// recorded yet, whatever order the server answered in.
func TestBatchAdvanceStopsAtHole(t *testing.T) {
	b := &batchSync{p: &Poller{fetchFails: map[string]int{}, log: slog.New(slog.DiscardHandler)}, folder: "INBOX", st: &State{UIDValidity: 7}}
	b.uids = []imap.UID{1, 2, 3}
	b.done = map[imap.UID]bool{1: true, 3: true}
	if got := b.pending(); !slices.Equal(got, []imap.UID{2}) {
		t.Fatalf("pending() = %v, want [2]", got)
	}
	// advance stops below the hole: LastUID promises everything below it.
	sink := newIMAPSink()
	b.p.sink = sink
	if err := b.advance(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := b.st.LastUID; got != 1 {
		t.Errorf("LastUID = %d with uid 2 missing, want 1", got)
	}
	b.done[2] = true
	if err := b.advance(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := b.st.LastUID; got != 3 {
		t.Errorf("LastUID = %d, want 3", got)
	}
}
