package mailbox

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// preparingSink is an imapSink that is also a Preparer: Prepare notes the
// digest of the message in d.Prepared, and Deliver checks it is there and
// belongs to the message it is committing.
type preparingSink struct {
	*imapSink
	prepared  atomic.Int64
	unmatched atomic.Int64
	// delay, when set, is how long Prepare takes for d.
	delay         func(d *Delivery) time.Duration
	running       atomic.Int64
	maxConcurrent atomic.Int64 // most Prepare calls seen running at once
}

// preparedKey is what Prepare saw: the message's key and content.
type preparedKey struct {
	key imapKey
	sum [32]byte
}

func (s *preparingSink) Prepare(_ context.Context, d *Delivery) {
	n := s.running.Add(1)
	defer s.running.Add(-1)
	for m := s.maxConcurrent.Load(); n > m && !s.maxConcurrent.CompareAndSwap(m, n); m = s.maxConcurrent.Load() {
	}
	if s.delay != nil {
		time.Sleep(s.delay(d))
	}
	s.prepared.Add(1)
	d.Prepared = preparedKey{imapKey{d.Account, d.Folder, d.UIDValidity, d.UID}, sha256.Sum256(d.Raw)}
}

func (s *preparingSink) Deliver(ctx context.Context, d *Delivery) error {
	want := preparedKey{imapKey{d.Account, d.Folder, d.UIDValidity, d.UID}, sha256.Sum256(d.Raw)}
	if got, ok := d.Prepared.(preparedKey); !ok || got != want {
		s.unmatched.Add(1)
	}
	return s.imapSink.Deliver(ctx, d)
}

// TestPollerPreparer: with a Preparer the poller prepares each message
// while the previous one commits, delivers in order, and a commit that
// fails stops the fetch with that error and records nothing past it; the
// next sync picks up exactly where it stopped.
func TestPollerPreparer(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		sink := &preparingSink{imapSink: newIMAPSink()}
		broken := errors.New("disk full")
		var n atomic.Int64
		sink.failDeliver = func(d *Delivery) error {
			if n.Add(1) == 7 {
				return broken
			}
			return nil
		}
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

		if err := p.SyncOnce(ctx); err != nil {
			t.Fatalf("SyncOnce after the failure: %v", err)
		}
		checkRecordedOnce(t, sink.imapSink, msgs)
		if got := sink.state(p.Account(), "INBOX").LastUID; got != 20 {
			t.Errorf("LastUID = %d, want 20", got)
		}
		if sink.prepared.Load() < 20 || sink.unmatched.Load() != 0 {
			t.Errorf("prepared %d messages, %d delivered without their own preparation; want ≥ 20 and 0",
				sink.prepared.Load(), sink.unmatched.Load())
		}
	})
}

// groupingSink is a preparingSink that also takes groups: all of a group
// or, when one message of it is refused, none.
type groupingSink struct {
	*preparingSink
	mu        sync.Mutex
	groups    []int                // sizes of the groups committed
	committed map[uint32]time.Time // when each UID's group was committed
	commitFor time.Duration        // how long a commit takes
}

func (s *groupingSink) DeliverGroup(ctx context.Context, ds []*Delivery) error {
	if s.failDeliver != nil {
		for _, d := range ds {
			if err := s.failDeliver(d); err != nil {
				return err
			}
		}
	}
	time.Sleep(s.commitFor)
	for _, d := range ds {
		if err := s.preparingSink.Deliver(ctx, d); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups = append(s.groups, len(ds))
	s.noteCommitted(ds...)
	return nil
}

// Deliver commits a message alone, as the poller does when a group would
// hold just one.
func (s *groupingSink) Deliver(ctx context.Context, d *Delivery) error {
	if err := s.preparingSink.Deliver(ctx, d); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noteCommitted(d)
	return nil
}

// noteCommitted records when ds were committed; s.mu is held.
func (s *groupingSink) noteCommitted(ds ...*Delivery) {
	if s.committed == nil {
		s.committed = make(map[uint32]time.Time)
	}
	for _, d := range ds {
		s.committed[d.UID] = time.Now()
	}
}

// TestPollerGroups: with a GroupDeliverer the poller commits several
// messages at once, at most maxGroup; when a group fails it records its
// messages one by one, so those before the one at fault are kept, and the
// next sync records the rest, each message once.
func TestPollerGroups(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		// A commit that takes a while lets the next group fill up.
		sink := &groupingSink{preparingSink: &preparingSink{imapSink: newIMAPSink()}, commitFor: 3 * time.Millisecond}
		broken := errors.New("disk full")
		var failed atomic.Bool
		sink.failDeliver = func(d *Delivery) error {
			if d.UID == 23 && !failed.Load() {
				return broken
			}
			return nil
		}
		p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink)
		msgs := imapMessages("group", 60, 0)
		s.AppendMany(t, "INBOX", msgs, imapTestDate)

		// The group holding uid 23 fails, and so does uid 23 alone.
		err := p.SyncOnce(ctx)
		if !errors.Is(err, broken) {
			t.Fatalf("SyncOnce with a failing group: err = %v, want %v", err, broken)
		}
		failed.Store(true)
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
		checkRecordedOnce(t, sink.imapSink, msgs)
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
		sink := &groupingSink{preparingSink: &preparingSink{imapSink: newIMAPSink()}}
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
		checkRecordedOnce(t, sink.imapSink, msgs)
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
		sink := &groupingSink{preparingSink: &preparingSink{imapSink: newIMAPSink()}}
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
		checkRecordedOnce(t, sink.imapSink, msgs)
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
