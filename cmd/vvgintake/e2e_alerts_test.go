package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// writeSuggestion writes a resident's .eml into dir and returns its path.
func writeSuggestion(t *testing.T, dir, id string) string {
	t.Helper()
	raw := "From: Ona Petraitienė <ona@example.lt>\r\nTo: " + ourMailbox + "\r\nSubject: Pasiūlymas\r\n" +
		"Message-ID: <" + id + "@example.lt>\r\nDate: " + time.Now().Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nSiūlau įrengti dienos centrą senjorams Aleksote.\r\n"
	path := filepath.Join(dir, id+".eml")
	if err := os.WriteFile(path, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestE2EAlertsSMTP: an unreachable mail server with an acknowledgement
// waiting is an ALERT in `status` (it said "ok, no alerts" before, and only
// the log knew); so is the acknowledgement waiting longer than
// status.alert_after. A server of an old configuration does not alert, and
// sending clears it all.
func TestE2EAlertsSMTP(t *testing.T) {
	t.Parallel()
	closed := freeAddr(t)
	c := newE2ECLI(t, smtpEnv(closed)...)
	c.ok("import", "--send-acks", "--consultation", "strategija-2026", writeSuggestion(t, c.dir, "alert.1"))
	if r := c.run("run", "--once"); r.code == exitOK {
		t.Errorf("run --once with the SMTP server down exited 0")
	}
	r := c.with("VVGINTAKE_STATUS_ALERT_AFTER=1ns").run("status")
	if r.code != exitRuntime || !strings.Contains(r.stdout, "ALERT") || !strings.Contains(r.stdout, "cannot be reached") ||
		!strings.Contains(r.stdout, "oldest unsent acknowledgement") || !strings.Contains(r.stdout, "smtp "+closed) {
		t.Errorf("status with the SMTP server down: exit %d\n%s\nwant 1 with the smtp and the acknowledgement alerts", r.code, r.stdout)
	}

	smtp := startE2ESMTP(t)
	moved := c.with(smtp.env()...)
	if out := moved.ok("status"); !strings.Contains(out, "no alerts") {
		t.Errorf("status after moving to another SMTP server: want no alerts (the old one's failure is history):\n%s", out)
	}
	moved.ok("run", "--once")
	smtp.wait(t, 1, 30*time.Second)
	if out := moved.with("VVGINTAKE_STATUS_ALERT_AFTER=1ns").ok("status"); !strings.Contains(out, "no alerts") {
		t.Errorf("status after the acknowledgement went out: want no alerts:\n%s", out)
	}
}

// TestE2EAlertsDismiss: a failed mail alerts until staff dismiss it (it
// alerted for ever before: failures were counted over all time).
func TestE2EAlertsDismiss(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	c.ok("import", "--send-acks", "--consultation", "strategija-2026", writeSuggestion(t, c.dir, "dismiss.1"))
	db := c.ledger(nil)
	items, err := db.ListOutbox(context.Background(), "", 0)
	if err != nil || len(items) != 1 {
		t.Fatalf("outbox %v, %v; want the acknowledgement", items, err)
	}
	id := strconv.FormatInt(items[0].ID, 10)
	if err := db.MarkFailed(context.Background(), items[0].ID, "smtp rcpt to: 501 5.1.3 local part longer than 64 characters"); err != nil {
		t.Fatal(err)
	}
	if r := c.run("status"); r.code != exitRuntime || !strings.Contains(r.stdout, "1 mail(s) failed permanently") {
		t.Fatalf("status with a failed mail: exit %d\n%s", r.code, r.stdout)
	}
	if out := c.ok("outbox", "dismiss", id); !strings.Contains(out, "dismissed") {
		t.Errorf("outbox dismiss: %q", out)
	}
	if out := c.ok("status"); !strings.Contains(out, "no alerts") {
		t.Errorf("status after dismissing the failed mail: want no alerts:\n%s", out)
	}
	if out := c.ok("outbox", "list", "--status", "failed"); !strings.Contains(out, "failed (dismissed)") {
		t.Errorf("outbox list: want the item failed (dismissed):\n%s", out)
	}
	if r := c.run("outbox", "dismiss", "999"); r.code != exitRuntime {
		t.Errorf("dismiss of no item: exit %d, want 1", r.code)
	}
}

// TestE2EReadyzDetails: /readyz gives its reasons (which name the mailbox
// account and repeat servers' errors) to this machine only, and a nearly
// full disk makes it unready. /metrics is refused to a client behind a
// proxy that sends X-Real-IP or Forwarded (it was served before).
func TestE2EReadyzDetails(t *testing.T) {
	t.Parallel()
	env := append(baseEnv(t.TempDir()), "VVGINTAKE_FORM_ENABLED=true", "VVGINTAKE_STATUS_MIN_FREE_MB=1000000000")
	d := startE2EDaemon(t, env, DaemonOptions{Listener: e2eListen(t)}, func(cfg *config.Config) {})
	code, body := httpGet(t, d.url("/readyz"))
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "nearly full") {
		t.Errorf("/readyz on a full disk from loopback: %d %q, want 503 with the reason", code, body)
	}
	for _, h := range [][2]string{{"X-Real-IP", "203.0.113.9"}, {"Forwarded", "for=203.0.113.9"}, {"X-Forwarded-For", "203.0.113.9"}} {
		code, body := httpGet(t, d.url("/readyz"), h[0], h[1])
		if code != http.StatusServiceUnavailable || strings.Contains(body, "nearly full") || !strings.Contains(body, "not ready") {
			t.Errorf("/readyz via a proxy (%s): %d %q, want 503 without the reasons", h[0], code, body)
		}
		if code, _ := httpGet(t, d.url("/metrics"), h[0], h[1]); code != http.StatusNotFound {
			t.Errorf("/metrics via a proxy (%s): %d, want 404", h[0], code)
		}
	}
	_, body = httpGet(t, d.url("/metrics"))
	if !strings.Contains(body, "vvgintake_alerts 1") {
		t.Errorf("/metrics: want vvgintake_alerts 1:\n%s", body)
	}
}

// TestInstanceLockByRealPath: a second daemon on the same ledger reached
// through a symbolic link is refused (it was not: the lock was keyed by
// the path as written), and a lock path that is a symbolic link is
// refused rather than followed (its target was truncated).
func TestInstanceLockByRealPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "real.db")
	link := filepath.Join(dir, "link.db")
	newCfg := func(path string) *config.Config {
		cfg, err := config.Load(exampleConfig, append(baseEnv(dir), "VVGINTAKE_LEDGER_PATH="+path))
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	ctx := context.Background()
	first, err := NewDaemon(ctx, newCfg(real), DaemonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if second, err := NewDaemon(ctx, newCfg(link), DaemonOptions{}); err == nil || !strings.Contains(err.Error(), "another vvgintake") {
		if second != nil {
			second.Close()
		}
		t.Errorf("second daemon through a link: %v, want refused", err)
	}
	first.Close()

	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	if err := os.Symlink(victim, other+".lock"); err != nil {
		t.Fatal(err)
	}
	if d, err := NewDaemon(ctx, newCfg(other), DaemonOptions{}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		if d != nil {
			d.Close()
		}
		t.Errorf("lock path a symbolic link: %v, want refused", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("the link's target now holds %q", b)
	}
}

// TestPrivateFiles: the ledger, backups and the digest preview hold
// residents' names and words: readable by their owner only (they were
// created 0644).
func TestPrivateFiles(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	c.ok("import", "--consultation", "strategija-2026", writeSuggestion(t, c.dir, "private.1"))
	backup := filepath.Join(c.dir, "backup.db")
	c.ok("backup", backup)
	out := filepath.Join(c.dir, "preview")
	c.ok("digest", "--dry-run", "--out", out)
	for _, p := range []string{c.dbPath(), backup, filepath.Join(out, "digest.eml"), filepath.Join(out, "digest.html")} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(p), st.Mode().Perm())
		}
	}
}

// TestE2EImportRefusesOversized: a message past limits.max_message_mb is
// listed as refused and the import goes on (an .eml aborted the whole
// import; an .mbox message had no limit at all).
func TestE2EImportRefusesOversized(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t, "VVGINTAKE_LIMITS_MAX_MESSAGE_MB=1")
	msg := func(id, body string) string {
		return "From: Ona <ona@example.lt>\nTo: " + ourMailbox + "\nSubject: Pasiūlymas " + id + "\nMessage-ID: <" + id +
			"@example.lt>\nDate: " + time.Now().Format(time.RFC1123Z) + "\nContent-Type: text/plain; charset=utf-8\n\n" + body + "\n"
	}
	big := strings.Repeat("Labai ilgas laiškas be galo.\n", 80000) // 2.3 MB
	mbox := "From ona@example.lt Fri Nov 20 11:00:00 2026\n" + msg("m1", "Siūlau taką.") +
		"From spam@example.com Fri Nov 20 11:00:01 2026\n" + msg("m2", big) +
		"From ona@example.lt Fri Nov 20 11:00:02 2026\n" + msg("m3", "Siūlau suolus.")
	mboxPath := filepath.Join(c.dir, "archyvas.mbox")
	bigEML := filepath.Join(c.dir, "didelis.eml")
	smallEML := filepath.Join(c.dir, "mazas.eml")
	for p, body := range map[string]string{mboxPath: mbox, bigEML: msg("e1", big), smallEML: msg("e2", "Siūlau medžius.")} {
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out := c.ok("import", "--consultation", "strategija-2026", mboxPath, bigEML, smallEML)
	for _, want := range []string{"archyvas.mbox#2\trefused: larger than limits.max_message_mb (1 MB): 3 MB",
		"didelis.eml\trefused: larger than", "5 message(s) read, recorded 3", "2 message(s) refused"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	js := c.ok("import", "--json", "--dry-run", "--consultation", "strategija-2026", bigEML)
	if !strings.Contains(js, `"disposition":"refused"`) || !strings.Contains(js, `"file":"`+bigEML+`"`) {
		t.Errorf("import --json of an oversized .eml: %s", js)
	}
}

// TestE2EAttachmentNames: an attachment name of 150 Lithuanian letters
// with a bidirectional override and a C1 control is recorded cut in
// bytes and without them, and `messages save` writes it (it failed with
// "file name too long" and stopped).
func TestE2EAttachmentNames(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	name := strings.Repeat("ą", 150) + "\u202efdp\u0085.exe"
	enc := url.PathEscape(name)
	raw := "From: Ona <ona@example.lt>\r\nTo: " + ourMailbox + "\r\nSubject: Priedas\r\nMessage-ID: <names.1@example.lt>\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSiūlau, žr. priedą.\r\n" +
		"--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=utf-8''" + enc + "\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\nSGVsbG8=\r\n--b--\r\n"
	path := filepath.Join(c.dir, "names.eml")
	if err := os.WriteFile(path, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	c.ok("import", "--consultation", "strategija-2026", path)
	msgs := c.messages()
	if len(msgs) != 1 || len(msgs[0].Attachments) != 1 {
		t.Fatalf("messages: %+v", msgs)
	}
	got := msgs[0].Attachments[0].Filename
	if len(got) > 200 || strings.ContainsAny(got, "\u202e\u0085") || !strings.HasSuffix(got, ".exe") {
		t.Errorf("recorded name %q (%d bytes): want at most 200 bytes, no override or control, the extension kept", got, len(got))
	}
	dir := filepath.Join(c.dir, "saved")
	c.ok("messages", "save", strconv.FormatInt(msgs[0].ID, 10), dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 2 {
		t.Errorf("saved %v, want the message and its attachment", files)
	}
}

// TestE2ESaveUnpacksTNEF: `messages save` writes the files inside an
// Outlook winmail.dat beside it (staff could not open it), while the
// message's attachment list keeps winmail.dat as received.
func TestE2ESaveUnpacksTNEF(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	c.ok("import", "--consultation", "strategija-2026", filepath.Join("..", "..", "intake", "mailparse", "testdata", "mail", "d09_outlook_disclaimer_tnef_from_sent.eml"))
	msgs := c.messages()
	if len(msgs) != 1 || len(msgs[0].Attachments) != 1 || msgs[0].Attachments[0].Filename != "winmail.dat" {
		t.Fatalf("messages: %+v, want winmail.dat listed", msgs)
	}
	dir := filepath.Join(c.dir, "saved")
	out := c.ok("messages", "save", strconv.FormatInt(msgs[0].ID, 10), dir)
	pdfs, _ := filepath.Glob(filepath.Join(dir, "*Praktikos vietos 2027.pdf"))
	if len(pdfs) != 1 || !strings.Contains(out, "(from ") {
		t.Fatalf("saved %v:\n%s\nwant the PDF from winmail.dat", pdfs, out)
	}
	if b, _ := os.ReadFile(pdfs[0]); !strings.HasPrefix(string(b), "%PDF-1.4") {
		t.Errorf("%s does not hold the PDF", pdfs[0])
	}
}
