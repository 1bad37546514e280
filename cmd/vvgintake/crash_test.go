//go:build linux

package main

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/notify/notifytest"
)

// The crash test's shape. Kill delays are measured from the process start,
// so the early ones land in start-up (migrations, outbox recovery) and the
// later ones in the middle of a sync or an SMTP session.
const (
	crashKills        = 24
	crashInitial      = 300 // messages in the mailbox before the first start
	crashBatch        = 12  // mean number of messages added between runs, and during some
	crashMinDelay     = 50 * time.Millisecond
	crashMaxDelay     = 800 * time.Millisecond
	crashQuietTimeout = 3 * time.Minute
	crashStopTimeout  = 45 * time.Second // shutdownGrace (20 s) plus margin
)

// crashStats counts what the test did to the daemon.
type crashStats struct {
	kills, starts, cuts, dropped, smtpOutages, appendedLive int
}

// TestCrashSafety runs the real `vvgintake run` against a private Dovecot
// (behind a proxy that cuts connections) and Mailpit, SIGKILLs it at
// random moments, cuts the IMAP connection, takes SMTP away for a while,
// adds mail meanwhile, and finally lets one instance finish and stops it
// with SIGTERM. Then it checks that every message was recorded once, every
// suggestion became exactly one case with a gapless reference, and every
// acknowledgement the ledger says was sent arrived once, or at most once
// per attempt when the ledger marks it in doubt.
//
// The seed is logged; VVGINTAKE_TEST_SEED=N repeats a run's choices (the
// mail, the delays, the disturbances), though not the daemon's timing.
func TestCrashSafety(t *testing.T) {
	if !intaketest.Real() {
		t.Skipf("crash test needs a private Dovecot and Mailpit and the built binary; set %s=1 to run it (CI does, and then a missing server fails it)", intaketest.RealEnv)
	}
	begin := time.Now()
	seed := crashSeed(t)
	rng := rand.New(rand.NewPCG(seed, 0x7673676b))
	binary(t) // build first: the timings below are the daemon's

	dov := intaketest.StartDovecot(t)
	mp := notifytest.StartMailpit(t)
	proxy := intaketest.NewCutProxy(t, dov.Addr)
	dir := t.TempDir()
	logPath := filepath.Join(dir, "daemon.log")
	dbPath := filepath.Join(dir, "vvgintake.db")
	env := crashEnv(dir, proxy.Addr, dov, mp.SMTPAddr)
	t.Logf("seed %d (VVGINTAKE_TEST_SEED=%d repeats this run's mail and delays)", seed, seed)

	corpus := newCrashCorpus(rng)
	var mails []crashMail
	deliver := crashDeliverer(t, dov, &mails)
	deliver(corpus.batch(crashInitial))

	var st crashStats
	smtpDown := false
	for i := range crashKills {
		// Mail that came while it was down, so every run has work in
		// hand when it is killed.
		deliver(corpus.batch(crashBatch/2 + rng.IntN(2*crashBatch)))
		d := startCrashDaemon(t, env, logPath, i+1)
		st.starts++
		delay := crashMinDelay + time.Duration(rng.Int64N(int64(crashMaxDelay-crashMinDelay)))
		// At most one disturbance per run, at a random moment before
		// the kill.
		var action string
		switch {
		case i == 6:
			action = "smtp down"
		case i == 13:
			action = "smtp up"
		case i%3 == 1:
			action = "imap cut"
		case i%4 == 3:
			action = "new mail"
		}
		if action != "" {
			waitUntil(d.started.Add(time.Duration(rng.Int64N(int64(delay)))))
			switch action {
			case "smtp down":
				mp.Stop(t)
				smtpDown = true
				st.smtpOutages++
			case "smtp up":
				mp.Start(t)
				smtpDown = false
			case "imap cut":
				st.dropped += proxy.Cut()
				st.cuts++
			case "new mail":
				deliver(corpus.batch(crashBatch)) // arrives during IDLE
				st.appendedLive++
			}
		}
		waitUntil(d.started.Add(delay))
		d.kill(t)
		st.kills++
		t.Logf("kill %2d at %3d ms%s: this run recovered %d in doubt, recorded %d, sent %d", st.kills,
			delay.Milliseconds(), orNone(action), d.recovered.Load(), d.recorded.Load(), d.sent.Load())
	}
	if smtpDown {
		mp.Start(t)
	}
	// The last instance gets fresh work too, so it is caught mid-work
	// by nothing but proves it can finish.
	deliver(append(corpus.batch(crashBatch), corpus.flush()...))

	// The last instance runs until everything is recorded, marked and sent.
	stored := dov.Messages(t, "INBOX")
	maxUID := 0
	for _, m := range stored {
		maxUID = max(maxUID, int(m.UID))
	}
	final := startCrashDaemon(t, env, logPath, crashKills+1)
	st.starts++
	led := openCrashLedger(t, dbPath)
	p := waitQuiet(t, led, final, len(mails), maxUID, logPath)
	quiet := time.Since(final.started)
	if code := final.terminate(t, crashStopTimeout); code != 0 {
		t.Errorf("vvgintake run exited %d after SIGTERM, want 0\n%s", code, logTail(logPath, 40))
	}
	t.Logf("quiet %v after the last start: %d messages, last uid %d", quiet.Round(time.Millisecond), p.Messages, p.LastUID)

	c := checkCrash(t, env, mails, led, mp, dov)
	t.Logf("counts: messages %d (duplicates delivered %d, automatic %d), submissions %d, acks %d, in doubt %d, "+
		"duplicates at the SMTP server %d; kills %d, cuts %d (%d connections dropped), SMTP outages %d, "+
		"mail added during runs %d, restarts %d; total %v",
		c.messages, c.dupDeliveries, c.automatic, c.submissions, c.acks, c.inDoubt, c.smtpDuplicates,
		st.kills, st.cuts, st.dropped, st.smtpOutages, st.appendedLive, st.starts-1, time.Since(begin).Round(time.Millisecond))
	if t.Failed() {
		t.Logf("daemon log (tail):\n%s", logTail(logPath, 60))
	}
}

// crashEnv configures the daemon for the test: the example configuration
// with a fresh ledger, IMAP through the cut proxy (keyword after ingest,
// IDLE, short timers so a cut is noticed fast), SMTP to Mailpit, and no
// weekly digest (only acknowledgements reach the server).
func crashEnv(dir, imapAddr string, dov *intaketest.Server, smtpAddr string) []string {
	env := baseEnv(dir)
	env = append(env, imapEnv(imapAddr, dov.User, dov.Password)...)
	env = append(env, smtpEnv(smtpAddr)...)
	return append(env,
		"VVGINTAKE_LOG_LEVEL=info",
		"VVGINTAKE_IMAP_AFTER_INGEST=keyword",
		"VVGINTAKE_IMAP_FULL_SYNC_INTERVAL=5s",
		"VVGINTAKE_IMAP_COMMAND_TIMEOUT=10s",
		"VVGINTAKE_SMTP_TIMEOUT=5s",
		"VVGINTAKE_NOTIFY_DIGEST_SCHEDULE=",
	)
}

// crashSeed returns VVGINTAKE_TEST_SEED, or a fresh seed; it is logged so
// a failing run can be repeated.
func crashSeed(t testing.TB) uint64 {
	if s := os.Getenv("VVGINTAKE_TEST_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("VVGINTAKE_TEST_SEED=%q: %v", s, err)
		}
		return n
	}
	return uint64(time.Now().UnixNano())
}

// waitUntil blocks until at (at once if it has passed): the random moments
// of the test.
func waitUntil(at time.Time) {
	if d := time.Until(at); d > 0 {
		<-time.After(d)
	}
}

// waitQuiet polls the ledger until all n messages are recorded, the
// mailbox is marked up to maxUID and nothing is left to send, and fails
// the test if that takes longer than crashQuietTimeout or the daemon dies.
func waitQuiet(t *testing.T, led *crashLedger, d *crashDaemon, n, maxUID int, logPath string) crashProgress {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), crashQuietTimeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var p crashProgress
	var err error
	for {
		if !d.alive() {
			t.Fatalf("the last vvgintake run exited by itself (%v)\n%s", d.state, logTail(logPath, 40))
		}
		// Keep the last good reading for the failure message: the
		// query that runs into the deadline fails too.
		q, qerr := led.progress(ctx)
		switch {
		case qerr == nil:
			p, err = q, nil
			if p.Messages == n && p.Unsent == 0 && p.LastUID >= maxUID {
				return p
			}
		case ctx.Err() == nil:
			err = qerr
		}
		select {
		case <-ctx.Done():
			t.Fatalf("not quiet after %v: %d of %d messages recorded, %d outbox items unsent, last uid %d of %d (last read error: %v)\n%s",
				crashQuietTimeout, p.Messages, n, p.Unsent, p.LastUID, maxUID, err, logTail(logPath, 40))
		case <-tick.C:
		}
	}
}

func orNone(action string) string {
	if action == "" {
		return ""
	}
	return " after " + action
}
