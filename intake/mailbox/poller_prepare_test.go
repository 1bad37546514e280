package mailbox

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// TestPollerPreparer: the poller prepares each message
// while the previous one commits, delivers in order, and a commit that
// fails stops the fetch with that error and records nothing past it; the
// next sync picks up exactly where it stopped.
func TestPollerPreparer(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		sink := newIMAPSink()
		broken := errors.New("disk full")
		heal := sink.failAt(7, broken)
		p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink)
		msgs := imapMessages("prep", 20, 0)
		s.AppendMany(t, "INBOX", msgs, imapTestDate)

		if err := p.SyncOnce(ctx); !errors.Is(err, broken) {
			t.Fatalf("SyncOnce with a failing commit: err = %v, want %v", err, broken)
		}
		if got := sink.state(p.Account(), "INBOX").LastUID; got > 6 {
			t.Errorf("LastUID = %d after the 7th commit failed, want at most 6", got)
		}
		_, _, stored := sink.snapshot()
		for i, d := range stored {
			if d.UID != uint32(i+1) {
				t.Fatalf("delivery %d has uid %d: out of order", i, d.UID)
			}
		}

		heal()
		if err := p.SyncOnce(ctx); err != nil {
			t.Fatalf("SyncOnce after the failure: %v", err)
		}
		checkRecordedOnce(t, sink, msgs)
		if got := sink.state(p.Account(), "INBOX").LastUID; got != 20 {
			t.Errorf("LastUID = %d, want 20", got)
		}
		if sink.prepared.Load() < 20 || sink.unmatched.Load() != 0 {
			t.Errorf("prepared %d messages, %d delivered without their own preparation; want ≥ 20 and 0",
				sink.prepared.Load(), sink.unmatched.Load())
		}
	})
}

// TestPollerGroups: the poller commits several
// messages at once, at most maxGroup; when a group fails it records its
// messages one by one, so those before the one at fault are kept, and the
// next sync records the rest, each message once.
func TestPollerGroups(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		// A commit that takes a while lets the next group fill up.
		sink := newIMAPSink()
		sink.commitFor = 3 * time.Millisecond
		broken := errors.New("disk full")
		heal := sink.failAt(23, broken)
		p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink)
		msgs := imapMessages("group", 60, 0)
		s.AppendMany(t, "INBOX", msgs, imapTestDate)

		// The group holding uid 23 fails, and so does uid 23 alone.
		err := p.SyncOnce(ctx)
		if !errors.Is(err, broken) {
			t.Fatalf("SyncOnce with a failing group: err = %v, want %v", err, broken)
		}
		heal()
		_, _, stored := sink.snapshot()
		if len(stored) != 22 {
			t.Fatalf("after the failure %d messages are recorded, want the 22 before uid 23", len(stored))
		}
		for i, d := range stored {
			if d.UID != uint32(i+1) {
				t.Fatalf("delivery %d has uid %d: out of order", i, d.UID)
			}
		}
		if got := sink.state(p.Account(), "INBOX").LastUID; got > 22 {
			t.Errorf("LastUID = %d after uid 23 failed, want at most 22", got)
		}

		if err := p.SyncOnce(ctx); err != nil {
			t.Fatalf("SyncOnce after the failure: %v", err)
		}
		checkRecordedOnce(t, sink, msgs)
		if got := sink.state(p.Account(), "INBOX").LastUID; got != 60 {
			t.Errorf("LastUID = %d, want 60", got)
		}
		sink.mu.Lock()
		defer sink.mu.Unlock()
		biggest := 0
		for _, n := range sink.groups {
			biggest = max(biggest, n)
		}
		if biggest < 2 || biggest > maxGroup {
			t.Errorf("group sizes %v: want groups of 2 to %d", sink.groups, maxGroup)
		}
		if sink.unmatched.Load() != 0 {
			t.Errorf("%d messages delivered without their own preparation", sink.unmatched.Load())
		}
	})
}

// TestPollerPreparersInOrder: several goroutines prepare at once and
// finish in any order, yet the messages are committed in the order
// fetched, each with its own preparation, each once.
func TestPollerPreparersInOrder(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		sink := newIMAPSink()
		// Later messages prepare faster, so they finish first.
		sink.delay = func(d *Delivery) time.Duration {
			return time.Duration(max(0, 8-int(d.UID%9))) * time.Millisecond
		}
		p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink)
		p.preparers = 4
		msgs := imapMessages("parallel", 45, 0)
		s.AppendMany(t, "INBOX", msgs, imapTestDate)
		if err := p.SyncOnce(ctx); err != nil {
			t.Fatalf("SyncOnce: %v", err)
		}
		_, _, stored := sink.snapshot()
		for i, d := range stored {
			if d.UID != uint32(i+1) {
				t.Fatalf("delivery %d has uid %d: out of order", i, d.UID)
			}
		}
		checkRecordedOnce(t, sink, msgs)
		if sink.prepared.Load() != 45 || sink.unmatched.Load() != 0 {
			t.Errorf("prepared %d messages, %d delivered without their own preparation; want 45 and 0",
				sink.prepared.Load(), sink.unmatched.Load())
		}
		if got := sink.maxConcurrent.Load(); got < 2 {
			t.Errorf("at most %d preparations ran at once, want several", got)
		}
	})
}

// TestPollerCommitsWhatIsReady: when the next message is still being
// prepared, the messages before it are committed at once rather than held
// back to fill a group.
func TestPollerCommitsWhatIsReady(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		sink := newIMAPSink()
		const slow = 5
		var slowDone atomic.Int64 // UnixNano when uid 5's preparation ends
		sink.delay = func(d *Delivery) time.Duration {
			if d.UID == slow {
				slowDone.Store(time.Now().Add(300 * time.Millisecond).UnixNano())
				return 300 * time.Millisecond
			}
			return 0
		}
		p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink)
		p.preparers = 2
		msgs := imapMessages("ready", 12, 0)
		s.AppendMany(t, "INBOX", msgs, imapTestDate)
		if err := p.SyncOnce(ctx); err != nil {
			t.Fatalf("SyncOnce: %v", err)
		}
		checkRecordedOnce(t, sink, msgs)
		sink.mu.Lock()
		defer sink.mu.Unlock()
		done := time.Unix(0, slowDone.Load())
		for uid := uint32(1); uid < slow; uid++ {
			if at, ok := sink.committed[uid]; !ok || !at.Before(done) {
				t.Errorf("uid %d was committed at %v, not before uid %d was ready (%v): held back for a group",
					uid, at.Format("15:04:05.000"), slow, done.Format("15:04:05.000"))
			}
		}
	})
}
