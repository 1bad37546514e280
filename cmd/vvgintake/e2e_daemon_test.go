package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/ledger"
)

// httpGet fetches url and returns the status and body.
func httpGet(t testing.TB, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("get %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

// metricsSeries are the series /metrics documents (HELP/TYPE), all of
// which must be present once mail has come in.
var metricsSeries = []string{
	`vvgintake_messages_total{disposition="suggestion"} 1`,
	`vvgintake_submissions_total{measure="2.1"} 1`,
	`vvgintake_classification_confidence_bucket{le="+Inf"} 1`,
	`vvgintake_classification_confidence_count 1`,
	`vvgintake_imap_reconnects_total{account=`,
	`vvgintake_imap_last_sync_timestamp_seconds{account=`,
	`vvgintake_imap_auth_failing{account=`,
	`vvgintake_imap_connected{account=`,
	`vvgintake_outbox_depth 1`,
	`vvgintake_outbox_failed 0`,
	`vvgintake_outbox_oldest_age_seconds `,
	`vvgintake_ack_oldest_unsent_age_seconds `,
	`vvgintake_alerts `,
}

// TestE2EDaemonHealth: /healthz answers at once; /readyz is 503 with an
// alert while the mailbox has never been read and 200 after a sync;
// /metrics carries every documented series after some mail, and only
// for local clients.
func TestE2EDaemonHealth(t *testing.T) {
	t.Parallel()
	intaketest.Each(t, func(t *testing.T, srv *intaketest.Server) {
		// Every connection through the proxy is cut after one byte until
		// the test lets it through: the mailbox cannot be read.
		proxy := intaketest.NewCutProxy(t, srv.Addr)
		proxy.CutAfter(1)
		env := append(append(baseEnv(t.TempDir()), imapEnv(proxy.Addr, srv.User, srv.Password)...), "VVGINTAKE_FORM_ENABLED=true")
		d := startE2EDaemon(t, env, DaemonOptions{Listener: e2eListen(t)}, openAroundNow(t))

		if code, body := httpGet(t, d.url("/healthz")); code != http.StatusOK || body != "ok\n" {
			t.Errorf("/healthz: got %d %q, want 200 ok", code, body)
		}
		code, body := httpGet(t, d.url("/readyz"))
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "never") {
			t.Errorf("/readyz before any sync: got %d %q, want 503 with the never-synced alert", code, body)
		}

		proxy.CutAfter(0)
		d.d.poller.Kick() // cut its reconnect backoff short
		e2eWait(t, 30*time.Second, "/readyz to turn 200 after a sync", func() bool {
			code, _ := httpGet(t, d.url("/readyz"))
			return code == http.StatusOK
		})
		if code, body := httpGet(t, d.url("/readyz")); body != "ready\n" {
			t.Errorf("/readyz after a sync: got %d %q, want 200 ready", code, body)
		}

		raw := []byte("From: Ona <ona@example.lt>\r\nTo: " + ourMailbox + "\r\nSubject: Kursai\r\nMessage-ID: <metrics.1@example.lt>\r\n" +
			"Date: " + time.Now().Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Siūlome organizuoti nemokamus kompiuterinio raštingumo kursus bedarbiams.\r\n")
		srv.Append(t, "INBOX", raw, time.Now())
		e2eWait(t, 30*time.Second, "the message in /metrics", func() bool {
			_, body := httpGet(t, d.url("/metrics"))
			return strings.Contains(body, `vvgintake_messages_total{disposition="suggestion"} 1`)
		})
		_, body = httpGet(t, d.url("/metrics"))
		for _, want := range metricsSeries {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %q:\n%s", want, body)
			}
		}
		for _, name := range regexp.MustCompile(`(?m)^# TYPE (\S+) `).FindAllStringSubmatch(body, -1) {
			if !strings.Contains(body, "# HELP "+name[1]+" ") {
				t.Errorf("/metrics: %s has no HELP line", name[1])
			}
		}
		if code, _ := httpGet(t, d.url("/metrics"), "X-Forwarded-For", "203.0.113.9"); code != http.StatusNotFound {
			t.Errorf("/metrics through a proxy: got %d, want 404 (metrics_public = false)", code)
		}
	})
}

// TestE2EStatus: `status` is quiet after a fresh sync and raises an
// alert (exit 1) once the last sync is older than status.sync_alert_after;
// a mailbox never read is an alert too.
func TestE2EStatus(t *testing.T) {
	t.Parallel()
	srv := intaketest.StartMemory(t)
	c := newE2ECLI(t, imapEnv(srv.Addr, srv.User, srv.Password)...)
	r := c.run("status")
	if r.code != exitRuntime || !strings.Contains(r.stdout, "ALERT") || !strings.Contains(r.stdout, "the mailbox has never been read") {
		t.Errorf("status before any sync: got exit %d\n%s\nwant 1 and the never-read alert", r.code, r.stdout)
	}
	c.ok("run", "--once")
	synced := time.Now()
	if out := c.ok("status"); !strings.Contains(out, "no alerts") || !regexp.MustCompile(`mailbox resident@127\.0\.0\.1:\d+\s+connected=false, last sync `).MatchString(out) {
		t.Errorf("status after a sync: want the mailbox line and no alerts:\n%s", out)
	}
	// One deliberate wait: the alert is about time passing.
	time.Sleep(time.Until(synced.Add(1500 * time.Millisecond)))
	r = c.with("VVGINTAKE_STATUS_SYNC_ALERT_AFTER=1s").run("status")
	if r.code != exitRuntime || !regexp.MustCompile(`ALERT\s+resident@127\.0\.0\.1:\d+: last successful sync \S+ ago \(alert after 1s\)`).MatchString(r.stdout) ||
		!strings.Contains(r.stderr, "1 alert(s)") {
		t.Errorf("status 1.5 s after the sync with sync_alert_after = 1s: got exit %d\nstdout: %s\nstderr: %s\nwant 1 and the stale-sync alert", r.code, r.stdout, r.stderr)
	}
}

// TestE2EDaemonLockAndSignal runs `vvgintake run` as a process with the
// mailbox, SMTP and the web server on: a second
// instance on the same ledger is refused with a clear message, SIGTERM
// stops the first with exit 0 within the grace period, and the lock is
// then free.
func TestE2EDaemonLockAndSignal(t *testing.T) {
	t.Parallel()
	srv := intaketest.StartMemory(t)
	smtp := startE2ESMTP(t)
	addr := freeAddr(t)
	c := newE2ECLI(t, append(append(imapEnv(srv.Addr, srv.User, srv.Password), smtp.env()...),
		"VVGINTAKE_FORM_ENABLED=true", "VVGINTAKE_FORM_LISTEN="+addr, "VVGINTAKE_LOG_LEVEL=info")...)
	cmd := exec.Command(binary(t), "-config", exampleConfig, "run")
	cmd.Env = c.env
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		select {
		case <-done:
		default:
			cmd.Process.Kill() // by pid: only the process this test started
			<-done
		}
	})
	e2eWait(t, 20*time.Second, "the daemon's /readyz (the mailbox synced)", func() bool {
		select {
		case <-done:
			t.Fatalf("daemon exited early: %v\n%s", waitErr, stderr.String())
		default:
		}
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	// It works while running: a suggestion arrives, its ack goes out.
	srv.Append(t, "INBOX", e2eCorpusRaw(t, "d05_netscape_8859_4.eml"), e2eWindowDay)
	if acks := e2eAutoReplied(smtp.wait(t, 1, 30*time.Second)); len(acks) != 1 || acks[0].rcpt[0] != "stasys.mockus@example.org" {
		t.Errorf("while running: got acknowledgements %v, want one to stasys.mockus@example.org", acks)
	}

	pid := strconv.Itoa(cmd.Process.Pid)
	for _, args := range [][]string{{"run"}, {"run", "--once"}} {
		r := c.with("VVGINTAKE_FORM_LISTEN=" + freeAddr(t)).run(args...)
		want := "another vvgintake (pid " + pid + ") is running on this ledger"
		if r.code != exitRuntime || !strings.Contains(r.stderr, want) {
			t.Errorf("second %v: got exit %d %q, want 1 and %q", args, r.code, r.stderr, want)
		}
	}

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		if waitErr != nil {
			t.Errorf("after SIGTERM: %v, want exit 0\n%s", waitErr, stderr.String())
		}
		t.Logf("stopped %s after SIGTERM", time.Since(start).Round(time.Millisecond))
	case <-time.After(shutdownGrace + 5*time.Second):
		t.Fatalf("still running %s after SIGTERM (grace %s)", shutdownGrace+5*time.Second, shutdownGrace)
	}
	if !strings.Contains(stderr.String(), "vvgintake stopped") {
		t.Errorf("log lacks the clean stop:\n%s", stderr.String())
	}
	checkLogHygiene(t, stderr.String())
	c.ok("run", "--once") // the lock went with the process
}

// checkLogHygiene reads a daemon's log as an operator would: no key twice
// on a line (component=imap component=intake), no error key without an
// error (err=<nil>), no account that reads "user@gmail.com@host:port".
func checkLogHygiene(t *testing.T, logs string) {
	t.Helper()
	key := regexp.MustCompile(`(?:^| )([a-z_]+)=`)
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		seen := map[string]bool{}
		for _, m := range key.FindAllStringSubmatch(line, -1) {
			if seen[m[1]] {
				t.Errorf("key %s twice in %q", m[1], line)
			}
			seen[m[1]] = true
		}
		if strings.Contains(line, "=<nil>") {
			t.Errorf("a nil value logged in %q", line)
		}
		if regexp.MustCompile(`=\S*@\S*@`).MatchString(line) {
			t.Errorf("an address with two @ in %q", line)
		}
	}
}

// TestE2ESchedulerCloses: a pass of the scheduler (`run --once`) closes
// an open consultation whose deadline passed, and a draft whose whole
// window passed, queuing each one's closing report to staff and board.
func TestE2ESchedulerCloses(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	day := func(n int) string {
		return time.Now().In(c.config().Location()).AddDate(0, 0, n).Format(time.DateOnly)
	}
	c.ok("consultation", "create", "senas", "--title", "Sena", "--opens", day(-20), "--closes", day(-3))
	c.ok("consultation", "open", "senas")
	c.ok("submissions", "add", "--consultation", "senas", "--text", "Siūlau savanorių centrą.", "--received", day(-5))
	c.ok("consultation", "create", "pamirsta", "--title", "Pamiršta", "--opens", day(-10), "--closes", day(-2))
	if n := len(c.outboxKind("report")); n != 0 {
		t.Fatalf("before the pass: %d reports queued, want 0", n)
	}
	c.ok("run", "--once")
	list := c.ok("consultation", "list")
	for _, slug := range []string{"senas", "pamirsta"} {
		if !regexp.MustCompile(`(?m)^` + slug + `\s+closed\s`).MatchString(list) {
			t.Errorf("after the pass: want %s closed:\n%s", slug, list)
		}
	}
	items, err := c.ledger(nil).ListOutbox(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string][]string{}
	for _, it := range items {
		if it.Kind == ledger.KindReport {
			reports[it.DedupeKey] = it.Recipients
		}
	}
	for _, slug := range []string{"senas", "pamirsta"} {
		if got := strings.Join(reports["report:"+slug], ","); got != "vvgaleksotas@gmail.com,valdyba@aleksotovvg.lt" {
			t.Errorf("closing report of %s: recipients %q, want staff and board", slug, got)
		}
	}
	c.ok("run", "--once")
	if items2, _ := c.ledger(nil).ListOutbox(context.Background(), "", 0); len(items2) != len(items) {
		t.Errorf("a second pass queued %d more items, want none", len(items2)-len(items))
	}
}

// TestE2EDigest: `digest --dry-run --out DIR` writes digest.eml and
// digest.html (chart inlined, counts per measure) and queues nothing;
// `digest --send` delivers it to the board as bulk mail.
func TestE2EDigest(t *testing.T) {
	t.Parallel()
	smtp := startE2ESMTP(t)
	c := newE2ECLI(t)
	day := func(n int) string {
		return time.Now().In(c.config().Location()).AddDate(0, 0, n).Format(time.DateOnly)
	}
	c.ok("consultation", "create", "savaite", "--title", "Savaitės konsultacija", "--opens", day(-3), "--closes", day(10))
	c.ok("consultation", "open", "savaite")
	for _, m := range []string{"2.1", "2.1", "5"} {
		c.ok("submissions", "add", "--consultation", "savaite", "--measure", m, "--text", "Pasiūlymas priemonei "+m)
	}
	dir := filepath.Join(t.TempDir(), "preview")
	out := c.ok("digest", "--dry-run", "--out", dir)
	if !strings.Contains(out, "digest preview") {
		t.Errorf("digest --dry-run: got %q", out)
	}
	html, err := os.ReadFile(filepath.Join(dir, "digest.html"))
	if err != nil {
		t.Fatal(err)
	}
	eml, err := os.ReadFile(filepath.Join(dir, "digest.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), `src="data:image/png;base64,`) {
		t.Errorf("digest.html: no chart as a data: URI")
	}
	for code, n := range map[string]string{"2.1": "2", "5": "1", "3": "0"} {
		row := regexp.MustCompile(`<td><strong>` + regexp.QuoteMeta(code) + `</strong> [^<]*</td><td align="right">` + n + `</td>`)
		if !row.Match(html) {
			t.Errorf("digest.html: want measure %s with %s this week", code, n)
		}
	}
	if pm := parseE2EMail(t, nil, eml); !strings.Contains(string(eml), "Content-Type: image/png") || !strings.Contains(pm.html, `src="cid:`) {
		t.Errorf("digest.eml: want the chart as an inline part referenced by cid")
	}
	if n := len(c.outboxKind("digest")); n != 0 {
		t.Errorf("after --dry-run: %d digests queued, want 0", n)
	}

	out = c.with(smtp.env()...).ok("digest", "--send")
	if !regexp.MustCompile(`digest \(outbox item \d+\) sent to \[valdyba@aleksotovvg\.lt\]`).MatchString(out) {
		t.Errorf("digest --send: got %q", out)
	}
	ms := smtp.wait(t, 1, 30*time.Second)
	if len(ms) != 1 {
		t.Fatalf("got %d mails, want the digest", len(ms))
	}
	m := ms[0]
	if m.get("Precedence") != "bulk" || m.get("Auto-Submitted") != "auto-generated" || strings.Join(m.rcpt, ",") != "valdyba@aleksotovvg.lt" {
		t.Errorf("digest: Precedence %q, Auto-Submitted %q, to %v; want bulk, auto-generated, the board", m.get("Precedence"), m.get("Auto-Submitted"), m.rcpt)
	}
	if !strings.Contains(m.html, "Savaitės konsultacija") || !strings.Contains(m.text, "Savaitės konsultacija") {
		t.Errorf("digest: the consultation is missing from the text or HTML")
	}
	// The preview did not move the watermark: the digest sent covers the
	// same three suggestions.
	if !regexp.MustCompile(`<td><strong>2\.1</strong> [^<]*</td><td align="right">2</td>`).MatchString(m.html) {
		t.Errorf("digest sent: want measure 2.1 with 2 this week (the preview must not move the watermark):\n%s", m.html)
	}
}

// TestE2ERetrainWhileRunning: a staff correction made with the CLI while
// the daemon runs reaches the daemon's classifier within one scheduler
// pass (kicked here instead of waiting for the minute).
func TestE2ERetrainWhileRunning(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	d := startE2EDaemon(t, c.env, DaemonOptions{}, nil)
	const text = "Norėčiau, kad kas nors pasikeistų."
	def, err := d.d.clfs.Get("")
	if err != nil {
		t.Fatal(err)
	}
	if got := def.Classifier.Classify(text).Label; got != "other" {
		t.Fatalf("before the correction the daemon files %q under %s, want other", text, got)
	}
	out := c.ok("submissions", "add", "--consultation", "strategija-2026", "--text", text)
	m := recordedRef.FindStringSubmatch(out)
	if m == nil || m[3] != "other" {
		t.Fatalf("add: got %q, want it filed under other", out)
	}
	c.ok("submissions", "set-measure", m[1], "4")
	d.d.sched.Kick()
	e2eWait(t, 30*time.Second, "the daemon's classifier to learn the correction", func() bool {
		return def.Classifier.Classify(text).Label == "4"
	})
}
