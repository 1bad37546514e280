package mailbox

import (
	"context"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// benchSyncMessages is the mailbox size the sync benchmarks time.
const benchSyncMessages = 1000

// BenchmarkSyncDovecot times a first sync of 1,000 small messages from a
// private Dovecot: connect, login, EXAMINE, UID SEARCH, 20 UID FETCHes of
// 50, Deliver and SaveState each, logout. Run it with
//
//	go test -run '^$' -bench SyncDovecot ./intake/
//
// and read msgs/s. It needs the dovecot binary (skipped without it unless
// VVGINTAKE_TEST_REAL=1).
func BenchmarkSyncDovecot(b *testing.B) {
	if !intaketest.DovecotAvailable() && !intaketest.Real() {
		b.Skip("dovecot not installed")
	}
	benchmarkSync(b, intaketest.StartDovecot(b), benchSyncMessages, 1500)
}

// BenchmarkSyncMemory is BenchmarkSyncDovecot against the in-memory server.
func BenchmarkSyncMemory(b *testing.B) {
	benchmarkSync(b, intaketest.StartMemory(b), benchSyncMessages, 1500)
}

// benchmarkSync fills s with n messages of about size bytes and times full
// syncs of them into a fresh in-memory Sink, reporting msgs/s.
func benchmarkSync(b *testing.B, s *intaketest.Server, n, size int) {
	s.AppendMany(b, "INBOX", imapMessages("bench", n, size), imapTestDate)
	opt := pollerOpts(b, s, nil)
	ctx := context.Background()
	var elapsed time.Duration
	runs := 0
	for b.Loop() {
		sink := newIMAPSink()
		p, err := NewPoller(opt, sink)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := p.SyncOnce(ctx); err != nil {
			b.Fatalf("SyncOnce: %v", err)
		}
		elapsed += time.Since(start)
		runs++
		if got := sink.count(); got != n {
			b.Fatalf("recorded %d messages, want %d", got, n)
		}
	}
	b.ReportMetric(float64(n*runs)/elapsed.Seconds(), "msgs/s")
}
