package mailbox

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/internal/looptest"
)

// imapKey is how the ledger keys a delivery.
type imapKey struct {
	account, folder  string
	uidValidity, uid uint32
}

// imapSink is an in-memory Sink that behaves like the ledger: keyed by
// (account, folder, uidvalidity, uid), deduplicated by content sha256.
type imapSink struct {
	mu      sync.Mutex
	states  map[string]State
	keys    map[imapKey][32]byte
	stored  map[[32]byte]*Delivery // one record per distinct content
	calls   int                    // messages committed (records made or found)
	dups    int                    // calls that found the content under another key
	health  Health
	changed chan struct{} // closed and replaced on every change

	// onDeliver, if set, runs after a new record is stored (outside mu).
	onDeliver func(stored int)
	// failDeliver, if set, can refuse a message: its whole commit fails.
	failDeliver func(d *Delivery) error

	// delay, when set, is how long Prepare takes for d; commitFor how long
	// a commit takes.
	delay     func(d *Delivery) time.Duration
	commitFor time.Duration

	prepared, unmatched    atomic.Int64         // Prepare calls; commits of another message's preparation
	running, maxConcurrent atomic.Int64         // Prepare calls running now, and at most
	groups                 []int                // sizes of the commits, under mu
	committed              map[uint32]time.Time // when each UID's commit ended, under mu
}

// testPrepared is what imapSink's Prepare makes of a message: its key and
// content, so Commit can tell it got each message's own preparation.
type testPrepared struct {
	d   *Delivery
	key preparedKey
}

// preparedKey identifies a message and its content.
type preparedKey struct {
	key imapKey
	sum [32]byte
}

func keyOf(d *Delivery) preparedKey {
	return preparedKey{imapKey{d.Account, d.Folder, d.UIDValidity, d.UID}, sha256.Sum256(d.Raw)}
}

func (p *testPrepared) Delivery() *Delivery { return p.d }

func (s *imapSink) Prepare(_ context.Context, d *Delivery) Prepared {
	n := s.running.Add(1)
	defer s.running.Add(-1)
	for m := s.maxConcurrent.Load(); n > m && !s.maxConcurrent.CompareAndSwap(m, n); m = s.maxConcurrent.Load() {
	}
	if s.delay != nil {
		time.Sleep(s.delay(d))
	}
	s.prepared.Add(1)
	return &testPrepared{d: d, key: keyOf(d)}
}

// Commit records ps: all of them, or none when failDeliver refuses one.
func (s *imapSink) Commit(_ context.Context, ps []Prepared) error {
	if s.failDeliver != nil {
		for _, p := range ps {
			if err := s.failDeliver(p.Delivery()); err != nil {
				return err
			}
		}
	}
	time.Sleep(s.commitFor)
	for _, p := range ps {
		d := p.Delivery()
		if tp, ok := p.(*testPrepared); !ok || tp.key != keyOf(d) {
			s.unmatched.Add(1)
		}
		if err := s.record(d); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups = append(s.groups, len(ps))
	if s.committed == nil {
		s.committed = make(map[uint32]time.Time)
	}
	for _, p := range ps {
		s.committed[p.Delivery().UID] = time.Now()
	}
	return nil
}

// failAt makes the sink refuse the message with uid, failing the commit
// that holds it with err, until heal is called.
func (s *imapSink) failAt(uid uint32, err error) (heal func()) {
	var healed atomic.Bool
	s.failDeliver = func(d *Delivery) error {
		if d.UID == uid && !healed.Load() {
			return err
		}
		return nil
	}
	return func() { healed.Store(true) }
}

func newIMAPSink() *imapSink {
	return &imapSink{
		states:  make(map[string]State),
		keys:    make(map[imapKey][32]byte),
		stored:  make(map[[32]byte]*Delivery),
		changed: make(chan struct{}),
	}
}

// notifyLocked wakes every waiter.
func (s *imapSink) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *imapSink) LoadState(_ context.Context, account, folder string) (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.states[account+"\x00"+folder], nil
}

func (s *imapSink) SaveState(_ context.Context, account, folder string, st State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states[account+"\x00"+folder] = st
	s.notifyLocked()
	return nil
}

// record stores one message as the ledger would.
func (s *imapSink) record(d *Delivery) error {
	s.mu.Lock()
	s.calls++
	k := imapKey{d.Account, d.Folder, d.UIDValidity, d.UID}
	sum := sha256.Sum256(d.Raw)
	if old, ok := s.keys[k]; ok {
		s.mu.Unlock()
		if old != sum {
			return fmt.Errorf("key %+v delivered with different content", k)
		}
		return nil
	}
	s.keys[k] = sum
	if _, ok := s.stored[sum]; ok {
		s.dups++
		s.notifyLocked()
		s.mu.Unlock()
		return nil
	}
	cp := *d
	s.stored[sum] = &cp
	n := len(s.stored)
	s.notifyLocked()
	hook := s.onDeliver
	s.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return nil
}

func (s *imapSink) SetHealth(_ context.Context, _ string, h Health) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.health = h
	s.notifyLocked()
	return nil
}

// count returns the number of distinct messages recorded.
func (s *imapSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.stored)
}

// snapshot returns calls, dups and the stored deliveries sorted by UID.
func (s *imapSink) snapshot() (calls, dups int, stored []*Delivery) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.stored {
		stored = append(stored, d)
	}
	slices.SortFunc(stored, func(a, b *Delivery) int { return cmp.Compare(a.UID, b.UID) })
	return s.calls, s.dups, stored
}

// state returns the saved state of a folder.
func (s *imapSink) state(account, folder string) State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.states[account+"\x00"+folder]
}

// waitFor blocks until cond holds (checked on every sink change) or the
// deadline passes; no polling.
func (s *imapSink) waitFor(t *testing.T, timeout time.Duration, what string, cond func(s *imapSink) bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond(s) { // cond takes the lock itself
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			calls, dups, stored := s.snapshot()
			t.Fatalf("timed out after %v waiting for %s (calls %d, dups %d, stored %d, health %+v)",
				timeout, what, calls, dups, len(stored), s.lastHealth())
		}
	}
}

// lastHealth returns the last health the poller reported.
func (s *imapSink) lastHealth() Health {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.health
}

// checkRecordedOnce fails unless the sink holds exactly the messages want,
// each once.
func checkRecordedOnce(t *testing.T, s *imapSink, want [][]byte) {
	t.Helper()
	_, _, stored := s.snapshot()
	got := make(map[[32]byte]bool, len(stored))
	for _, d := range stored {
		got[sha256.Sum256(d.Raw)] = true
	}
	for i, raw := range want {
		if !got[sha256.Sum256(raw)] {
			t.Errorf("message %d was never recorded", i)
		}
	}
	if len(stored) != len(want) {
		t.Errorf("recorded %d distinct messages, want %d", len(stored), len(want))
	}
}

// imapLogs is a slog handler that keeps records and echoes them to the
// test log.
type imapLogs struct {
	mu      sync.Mutex
	records []slog.Record
	next    slog.Handler
}

func (l *imapLogs) Enabled(context.Context, slog.Level) bool { return true }
func (l *imapLogs) Handle(ctx context.Context, r slog.Record) error {
	l.mu.Lock()
	l.records = append(l.records, r.Clone())
	l.mu.Unlock()
	if l.next.Enabled(ctx, r.Level) {
		return l.next.Handle(ctx, r)
	}
	return nil
}
func (l *imapLogs) WithAttrs(as []slog.Attr) slog.Handler {
	return &imapLogsWith{l: l, next: l.next.WithAttrs(as)}
}
func (l *imapLogs) WithGroup(string) slog.Handler { return l }

// count returns how many records at level were logged.
func (l *imapLogs) count(level slog.Level) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.records {
		if r.Level == level {
			n++
		}
	}
	return n
}

// imapLogsWith is imapLogs after With(...).
type imapLogsWith struct {
	l    *imapLogs
	next slog.Handler
}

func (a *imapLogsWith) Enabled(context.Context, slog.Level) bool { return true }
func (a *imapLogsWith) Handle(ctx context.Context, r slog.Record) error {
	a.l.mu.Lock()
	a.l.records = append(a.l.records, r.Clone())
	a.l.mu.Unlock()
	if a.next.Enabled(ctx, r.Level) {
		return a.next.Handle(ctx, r)
	}
	return nil
}
func (a *imapLogsWith) WithAttrs(as []slog.Attr) slog.Handler {
	return &imapLogsWith{l: a.l, next: a.next.WithAttrs(as)}
}
func (a *imapLogsWith) WithGroup(string) slog.Handler { return a }

// newIMAPLogs logs Info and up to the test output.
func newIMAPLogs(t testing.TB) *imapLogs {
	return &imapLogs{next: slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo})}
}

// pollerOpts are options for a poller on s, with test-sized timeouts.
func pollerOpts(t testing.TB, s *intaketest.Server, logs *imapLogs) Options {
	opt := Options{
		Addr:           s.Addr,
		TLS:            TLSNone,
		AllowInsecure:  true,
		Username:       s.User,
		Password:       s.Password,
		CommandTimeout: 20 * time.Second,
		PollInterval:   time.Hour, // tests that poll say so
		FullSync:       time.Hour,
		Logger:         slog.New(slog.DiscardHandler),
	}
	if logs != nil {
		opt.Logger = slog.New(logs)
	}
	if s.TLS != "" {
		opt.TLS, opt.TLSConfig, opt.AllowInsecure = s.TLS, s.TLSConfig, false
	}
	return opt
}

// newTestPoller builds a poller with fast reconnects.
func newTestPoller(t *testing.T, opt Options, sink Sink) *Poller {
	t.Helper()
	p, err := NewPoller(opt, sink)
	if err != nil {
		t.Fatalf("NewPoller: %v", err)
	}
	p.backoff.min, p.backoff.max = 10*time.Millisecond, 100*time.Millisecond
	return p
}

// startPollerRun runs p.Run in the background; the returned stop (also run at
// cleanup) cancels it and checks it returned nil.
func startPollerRun(t *testing.T, p *Poller) (stop func()) {
	t.Helper()
	return looptest.Start(t, p.Run)
}

// messages makes n distinct test messages.
func imapMessages(tag string, n, size int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = intaketest.MessageSize(tag, i, size)
	}
	return out
}

// imapTestDate is the INTERNALDATE of appended test mail.
var imapTestDate = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
