//go:build linux

package main

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/internal/cputime"
	"github.com/vvgintake/vvgintake/notify/notifytest"
)

// BenchmarkIdleLatency measures how long a resident waits for the
// acknowledgement: from the APPEND of a new suggestion to its arrival at
// the SMTP server, with the real binary in IDLE and an in-process SMTP
// server that notices each message as it lands. One iteration is one
// message; run it with -benchtime=50x (bench/latency.sh). It reports p50,
// p95 and max in milliseconds, against go-imap's in-memory server (which
// announces new mail at once, so this is vvgintake's own share) and
// against Dovecot (which waits NOTIFY_DELAY_MSECS = 500 ms after a change
// before telling IDLE clients, src/lib-storage/mailbox-watch.c).
func BenchmarkIdleLatency(b *testing.B) {
	b.Run("memory", func(b *testing.B) { idleLatency(b, intaketest.StartMemory(b)) })
	b.Run("dovecot", func(b *testing.B) { idleLatency(b, dovecotOrSkip(b)) })
}

func idleLatency(b *testing.B, srv *intaketest.Server) {
	capt, err := notifytest.NewCapture("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { capt.Close() })
	dir := b.TempDir()
	logPath := filepath.Join(dir, "daemon.log")
	env := append(baseEnv(dir), imapEnv(srv.Addr, srv.User, srv.Password)...)
	env = append(env, smtpEnv(capt.Addr)...)
	env = append(env, "VVGINTAKE_LOG_LEVEL=info", "VVGINTAKE_IMAP_AFTER_INGEST=keyword", "VVGINTAKE_NOTIFY_DIGEST_SCHEDULE=",
		// IDLE, not polling, must bring the mail; the full sync is a
		// backstop for the in-memory server, which can miss an EXISTS
		// that races its "+ idling".
		"VVGINTAKE_IMAP_POLL_INTERVAL=1m", "VVGINTAKE_IMAP_FULL_SYNC_INTERVAL=5s")
	d := startCrashDaemon(b, env, logPath, 1)
	defer func() {
		if code := d.terminate(b, crashStopTimeout); code != 0 {
			b.Errorf("vvgintake run exited %d\n%s", code, logTail(logPath, 20))
		}
	}()

	c := srv.Dial(b) // one connection for the appends, as an MTA keeps
	corpus := newCrashCorpus(rand.New(rand.NewPCG(1, 2)))
	next := func() []byte {
		corpus.n++
		return corpus.suggestion().Raw
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// A first message proves the daemon is connected and idling.
	benchAppend(b, c, next())
	if _, err := capt.Wait(ctx, 1); err != nil {
		b.Fatalf("first acknowledgement: %v\n%s", err, logTail(logPath, 20))
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		raw := next()
		t0 := time.Now()
		benchAppend(b, c, raw)
		if _, err := capt.Wait(ctx, i+2); err != nil {
			b.Fatalf("acknowledgement %d: %v\n%s", i+1, err, logTail(logPath, 20))
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
	b.ReportMetric(q(1), "max-ms")
}

// benchAppend APPENDs raw to INBOX on c.
func benchAppend(b *testing.B, c *imapclient.Client, raw []byte) {
	b.Helper()
	cmd := c.Append("INBOX", int64(len(raw)), &imap.AppendOptions{Time: crashDate})
	if _, err := cmd.Write(raw); err != nil {
		b.Fatalf("append: %v", err)
	}
	if err := cmd.Close(); err != nil {
		b.Fatalf("append: %v", err)
	}
	if _, err := cmd.Wait(); err != nil {
		b.Fatalf("append: %v", err)
	}
}

// BenchmarkIngestOnce runs `vvgintake run --once` in-process over a
// mailbox of VVGINTAKE_BENCH_MESSAGES messages (default 2000; every
// VVGINTAKE_BENCH_BIG_EVERY-th carries a VVGINTAKE_BENCH_BIG_MB attachment),
// each iteration into a fresh ledger; VVGINTAKE_BENCH_MAILDIR=DIR takes the
// messages from a Maildir written by bench/mkmailbox instead, the mailbox
// bench/ingest.sh measures. It exists to profile ingest:
//
//	VVGINTAKE_TEST_REAL=1 go test -run '^$' -bench IngestOnce -benchtime 3x \
//	    -cpuprofile cpu.out -memprofile mem.out ./cmd/vvgintake
func BenchmarkIngestOnce(b *testing.B) {
	dov := dovecotOrSkip(b)
	n := benchEnvInt(b, "VVGINTAKE_BENCH_MESSAGES", 2000)
	corpus := newCrashCorpus(rand.New(rand.NewPCG(3, 4)))
	corpus.bigEvery = benchEnvInt(b, "VVGINTAKE_BENCH_BIG_EVERY", 0)
	corpus.bigBytes = benchEnvInt(b, "VVGINTAKE_BENCH_BIG_MB", 3) << 20
	var raws [][]byte
	if dir := os.Getenv("VVGINTAKE_BENCH_MAILDIR"); dir != "" {
		// The mailbox bench/ingest.sh measures (bench/mkmailbox -dir DIR).
		files, err := filepath.Glob(filepath.Join(dir, "cur", "*"))
		if err != nil || len(files) == 0 {
			b.Fatalf("VVGINTAKE_BENCH_MAILDIR=%s: no messages in cur/ (%v)", dir, err)
		}
		for _, f := range files[:min(n, len(files))] {
			raw, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			raws = append(raws, raw)
		}
	} else {
		for _, m := range append(corpus.batch(n), corpus.flush()...) {
			raws = append(raws, m.Raw)
		}
	}
	var bytes int64
	for _, raw := range raws {
		bytes += int64(len(raw))
	}
	dov.AppendMany(b, "INBOX", raws, crashDate)
	b.SetBytes(bytes)
	b.ResetTimer()
	var cpu time.Duration // this process's, not Dovecot's: steadier than wall time on a shared machine
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		env := append(baseEnv(dir), imapEnv(dov.Addr, dov.User, dov.Password)...)
		env = append(env, "VVGINTAKE_IMAP_AFTER_INGEST=keyword", "VVGINTAKE_NOTIFY_DIGEST_SCHEDULE=")
		var stderr strings.Builder
		b.StartTimer()
		before := cputime.Process()
		code := Main(context.Background(), []string{"-config", exampleConfig, "run", "--once"},
			strings.NewReader(""), io.Discard, &stderr, env)
		cpu += cputime.Process() - before
		if code != 0 {
			b.Fatalf("run --once: exit %d\n%s", code, stderr.String())
		}
	}
	b.ReportMetric(float64(len(raws)*b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(len(raws)*b.N), "cpu-µs/msg")
}

// benchEnvInt reads an integer setting of a benchmark from the environment.
func benchEnvInt(b *testing.B, name string, def int) int {
	b.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		b.Fatalf("%s=%q: %v", name, s, err)
	}
	return n
}
