package mailbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// commitLog records what a committer committed.
type commitLog struct {
	mu     sync.Mutex
	groups [][]uint32
	fail   func(group []Prepared) error
	block  chan struct{} // when set, each commit waits for a receive
}

func (l *commitLog) commit(_ context.Context, group []Prepared) error {
	if l.block != nil {
		<-l.block
	}
	if l.fail != nil {
		if err := l.fail(group); err != nil {
			return err
		}
	}
	var uids []uint32
	for _, p := range group {
		uids = append(uids, p.Delivery().UID)
	}
	l.mu.Lock()
	l.groups = append(l.groups, uids)
	l.mu.Unlock()
	return nil
}

func (l *commitLog) order() []uint32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var all []uint32
	for _, g := range l.groups {
		all = append(all, g...)
	}
	return all
}

func newDelivery(uid uint32, size int) *Delivery {
	return &Delivery{Account: "a", Folder: "INBOX", UIDValidity: 1, UID: uid, Raw: make([]byte, size)}
}

// TestCommitterOrder: messages prepared out of order on several goroutines
// are committed in the order added, each with its own preparation, in
// groups no larger than maxGroup.
func TestCommitterOrder(t *testing.T) {
	sink := newIMAPSink()
	sink.delay = func(d *Delivery) time.Duration { return time.Duration(d.UID%5) * time.Millisecond }
	var log commitLog
	c := startCommitter(context.Background(), sink, 4, func(ctx context.Context, g []Prepared) error {
		if err := sink.Commit(ctx, g); err != nil {
			return err
		}
		return log.commit(ctx, g)
	})
	for uid := uint32(1); uid <= 50; uid++ {
		if err := c.add(newDelivery(uid, 10)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.close(); err != nil {
		t.Fatal(err)
	}
	got := log.order()
	want := make([]uint32, 50)
	for i := range want {
		want[i] = uint32(i + 1)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("committed %v, want 1..50 in order", got)
	}
	if n := sink.unmatched.Load(); n != 0 {
		t.Errorf("%d messages committed with another's preparation", n)
	}
	for _, g := range log.groups {
		if len(g) > maxGroup {
			t.Errorf("group of %d, want at most %d", len(g), maxGroup)
		}
	}
	if sink.maxConcurrent.Load() < 2 {
		t.Errorf("at most %d preparations at once, want several", sink.maxConcurrent.Load())
	}
}

// TestCommitterBoundsMemory: add waits while maxBytes of mail are queued
// and not committed, and goes on once a commit frees room.
func TestCommitterBoundsMemory(t *testing.T) {
	log := commitLog{block: make(chan struct{})}
	c := &committer{ctx: context.Background(), sink: newIMAPSink(), commit: log.commit, maxGroup: 1, maxBytes: 100}
	c.start(1)
	if err := c.add(newDelivery(1, 100)); err != nil { // fills the room
		t.Fatal(err)
	}
	added := make(chan error, 1)
	go func() { added <- c.add(newDelivery(2, 10)) }()
	select {
	case err := <-added:
		t.Fatalf("add returned %v while 100 bytes were queued, want it to wait", err)
	case <-time.After(50 * time.Millisecond):
	}
	log.block <- struct{}{} // commit 1
	if err := <-added; err != nil {
		t.Fatal(err)
	}
	log.block <- struct{}{} // commit 2
	if err := c.close(); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(log.groups); got != "[[1] [2]]" {
		t.Errorf("groups %s, want [[1] [2]]", got)
	}
}

// TestCommitterFailure: a failed commit stops the committer; later adds
// say so, nothing more is committed, and close returns the commit's error.
func TestCommitterFailure(t *testing.T) {
	broken := errors.New("disk full")
	log := commitLog{fail: func(g []Prepared) error {
		for _, p := range g {
			if p.Delivery().UID == 3 {
				return broken
			}
		}
		return nil
	}}
	c := &committer{ctx: context.Background(), sink: newIMAPSink(), commit: log.commit, maxGroup: 1, maxBytes: 1 << 20}
	c.start(1)
	var addErr error
	for uid := uint32(1); uid <= 40 && addErr == nil; uid++ {
		addErr = c.add(newDelivery(uid, 10))
		time.Sleep(time.Millisecond)
	}
	if !errors.Is(addErr, errCommitFailed) {
		t.Errorf("add after the failure: %v, want errCommitFailed", addErr)
	}
	if err := c.close(); !errors.Is(err, broken) {
		t.Errorf("close: %v, want %v", err, broken)
	}
	if got := fmt.Sprint(log.order()); got != "[1 2]" {
		t.Errorf("committed %s, want [1 2]: nothing after the failure", got)
	}
}

// TestCommitterCancel: add returns the context's error once it is done.
func TestCommitterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	log := commitLog{block: make(chan struct{})}
	c := &committer{ctx: ctx, sink: newIMAPSink(), commit: log.commit, maxGroup: 1, maxBytes: 10}
	c.start(1)
	if err := c.add(newDelivery(1, 10)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := c.add(newDelivery(2, 10)); !errors.Is(err, context.Canceled) {
		t.Errorf("add after cancel: %v, want context.Canceled", err)
	}
	close(log.block)
	c.close()
}
