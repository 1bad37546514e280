package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/console"
	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/internal/logtest"
	"github.com/vvgintake/vvgintake/ledger"
)

// hostVVG is one VVG of a test host: its Dovecot account and its file.
type hostVVG struct {
	slug, prefix, mailbox string
	imap                  *intaketest.Server
}

// hostVVGsOn are VVGs with a mailbox account each on dov (password
// "slaptas-SLUG"), their reference prefix the slug in capitals.
func hostVVGsOn(t testing.TB, dov *intaketest.Server, slugs ...string) []hostVVG {
	t.Helper()
	var vvgs []hostVVG
	for _, slug := range slugs {
		vvgs = append(vvgs, hostVVG{slug: slug, prefix: strings.ToUpper(slug), mailbox: slug + "@vvg.test",
			imap: dov.Account(t, slug, "slaptas-"+slug)})
	}
	return vvgs
}

// hostFile is a VVG's file: its own ledger, mailbox account (password in
// a *_file, as a directory's VVGs take no environment), reference
// prefix and console; one SMTP server for all.
func hostFile(t testing.TB, dir string, v hostVVG, smtpAddr string) string {
	t.Helper()
	pw := filepath.Join(dir, v.slug+".imap-password")
	if err := os.WriteFile(pw, []byte(v.imap.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ihost, iport, _ := strings.Cut(v.imap.Addr, ":")
	shost, sport, _ := strings.Cut(smtpAddr, ":")
	var b strings.Builder
	fmt.Fprintf(&b, `[organisation]
name = "%[1]s VVG"
mailbox = "%[2]s"
ref_prefix = "%[3]s"
message_id_domain = "%[1]s.test"

[ledger]
path = "%[4]s"

[imap]
enabled = true
host = "%[5]s"
port = %[6]s
tls = "none"
allow_insecure = true
username = "%[7]s"
password_file = "%[8]s"
poll_interval = "1s"

[smtp]
enabled = true
host = "%[9]s"
port = %[10]s
tls = "none"
allow_insecure = true
auth = "none"

[notify]
digest_schedule = ""

[console]
enabled = true
base_url = "http://127.0.0.1/%[1]s"

[[consultations]]
slug = "strategija"
title = "%[1]s strategijos keitimas"
opens_at = "2026-01-01"
closes_at = "2030-12-31"
`, v.slug, v.mailbox, v.prefix, filepath.Join(dir, "state", v.slug+".db"), ihost, iport, v.imap.User, pw, shost, sport)
	for _, m := range [][2]string{{"1.1", "Socialinės paslaugos"}, {"1.2", "Informacija apie paslaugas"}, {"2.1", "Profesiniai įgūdžiai"},
		{"2.2", "Tarpininkavimas įdarbinant"}, {"3", "Verslumas"}, {"4", "Bendradarbiavimo tinklai"}, {"5", "Savanorystė"},
		{"other", "Kita"}} {
		fmt.Fprintf(&b, "\n[[measures]]\ncode = %q\ntitle = %q\n", m[0], m[1])
	}
	return b.String()
}

// testHost is an in-process `run -config-dir` over a fresh directory.
type testHost struct {
	t    testing.TB
	h    *Host
	dir  string // the configuration directory
	smtp *e2eSMTP
	logs *logtest.Buffer
}

func startTestHost(t testing.TB, smtp *e2eSMTP, vvgs []hostVVG) *testHost {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "vvgintake.d")
	for _, d := range []string{dir, filepath.Join(root, "state")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	th := &testHost{t: t, dir: dir, smtp: smtp, logs: &logtest.Buffer{}}
	for _, v := range vvgs {
		th.write(v)
	}
	h, err := NewHost(dir, HostOptions{Listener: e2eListen(t), ConsoleListener: e2eListen(t), Scan: 200 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(th.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	th.h = h
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		awaitStop(t, done, "host run")
		if t.Failed() {
			t.Logf("host log:\n%s", e2eTail(th.logs.String(), 8000))
		}
	})
	for _, v := range vvgs {
		th.waitRunning(v.slug)
	}
	return th
}

// write puts v's file into the directory (the host notices within its
// scan interval).
func (th *testHost) write(v hostVVG) {
	th.t.Helper()
	root := filepath.Dir(th.dir)
	data := hostFile(th.t, root, v, th.smtp.addr)
	tmp := filepath.Join(th.dir, "."+v.slug+".toml.new")
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		th.t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(th.dir, v.slug+".toml")); err != nil {
		th.t.Fatal(err)
	}
}

// waitRunning waits until slug's daemon runs.
func (th *testHost) waitRunning(slug string) *Daemon {
	th.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if d := th.h.Daemon(slug); d != nil {
			select {
			case <-d.ready:
				return d
			default:
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	th.t.Fatalf("%s not running after 30 s: %+v", slug, th.h.States())
	return nil
}

// rows waits until slug's ledger holds n suggestions and returns them.
func (th *testHost) rows(slug string, n int) []ledger.ListRow {
	th.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		d := th.h.Daemon(slug)
		if d != nil {
			rows, total, err := d.db.ListSubmissions(context.Background(), ledger.Filter{}, "ref", false, 0, 100)
			if err != nil {
				th.t.Fatal(err)
			}
			if total >= n || time.Now().After(deadline) {
				if total != n {
					th.t.Fatalf("%s: %d suggestions in its ledger, want %d", slug, total, n)
				}
				return rows
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// get fetches u with c, returning the status and body.
func hostGet(t testing.TB, c *http.Client, u string, cookie *http.Cookie) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// residentMail is a resident's suggestion to mailbox.
func residentMail(from, to, id, text string) []byte {
	return []byte("From: " + from + "\r\nTo: " + to + "\r\nSubject: =?UTF-8?Q?Pasi=C5=ABlymas?=\r\nMessage-ID: <" + id + ">\r\nDate: " +
		time.Now().Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n")
}

var csrfInPage = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestE2EHostVVGs: three VVGs in one process against three accounts of
// one Dovecot and one SMTP server (Mailpit with VVGINTAKE_TEST_REAL=1).
// Each resident's mail is recorded only in its own VVG's ledger, with its
// prefix, and acknowledged from its own address; a console user of one
// VVG gets 404 for another's suggestions through their console and only
// the login page at another's; a fourth VVG added while running starts
// receiving mail without a restart of the others.
func TestE2EHostVVGs(t *testing.T) {
	dov := dovecotOrSkip(t)
	smtp := startE2ESMTP(t)
	vvgs := hostVVGsOn(t, dov, "alfa", "beta", "gama", "delta")
	th := startTestHost(t, smtp, vvgs[:3])

	texts := map[string]string{
		"alfa": "Siūlau įrengti dienos centrą senjorams Alfos kaime.",
		"beta": "Reikia kompiuterinio raštingumo kursų Betos bibliotekoje.",
		"gama": "Siūlome savanorių talkas Gamos parke.",
	}
	for _, v := range vvgs[:3] {
		v.imap.Append(t, "INBOX", residentMail("Gyventojas <gyv-"+v.slug+"@example.lt>", v.mailbox, v.slug+".1@example.lt",
			texts[v.slug]), time.Now())
	}
	for _, v := range vvgs[:3] {
		rows := th.rows(v.slug, 1)
		r := rows[0]
		if !strings.HasPrefix(r.Ref, v.prefix+"-") {
			t.Errorf("%s recorded %s, want its own prefix %s-", v.slug, r.Ref, v.prefix)
		}
		if r.SenderEmail != "gyv-"+v.slug+"@example.lt" || !strings.Contains(texts[v.slug], strings.TrimSuffix(r.Excerpt, "…")) {
			t.Errorf("%s recorded %s from %s (%q), want its own resident's", v.slug, r.Ref, r.SenderEmail, r.Excerpt)
		}
	}
	acks := e2eAutoReplied(smtp.wait(t, 3, 60*time.Second))
	if len(acks) != 3 {
		t.Fatalf("%d acknowledgements, want 3", len(acks))
	}
	for _, a := range acks {
		slug := strings.TrimPrefix(strings.Split(a.rcpt[0], "@")[0], "gyv-")
		if from := a.get("From"); !strings.Contains(from, "<"+slug+"@vvg.test>") && !strings.Contains(from, slug+"@vvg.test") {
			t.Errorf("acknowledgement to %v from %q, want from %s@vvg.test", a.rcpt, from, slug)
		}
		if !strings.Contains(a.text, strings.ToUpper(slug)+"-") {
			t.Errorf("acknowledgement to %v names no %s reference:\n%s", a.rcpt, strings.ToUpper(slug), a.text)
		}
	}

	// Consoles: an alfa staff member sees alfa's suggestion, and nothing
	// of beta's, through any path.
	alfa, beta := th.h.Daemon("alfa"), th.h.Daemon("beta")
	u, _, err := console.AddUser(context.Background(), alfa.db, "http://x/alfa", "ona@alfa.test", ledger.RoleStaff, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := console.SetPasswordNow(context.Background(), alfa.db, u.ID, "labai-slaptas-1", "test"); err != nil {
		t.Fatal(err)
	}
	base := "http://" + th.h.ConsoleAddr()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	_, page, _ := hostGet(t, c, base+"/alfa/login", nil)
	m := csrfInPage.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("alfa's login page has no csrf token:\n%s", page)
	}
	resp, err := c.PostForm(base+"/alfa/login", url.Values{"email": {"ona@alfa.test"}, "password": {"labai-slaptas-1"}, "csrf": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "vvgintake_console" {
			session = ck
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil || session.Path != "/alfa/" {
		t.Fatalf("login at /alfa/: %d, session cookie %+v; want 303 and a cookie for /alfa/", resp.StatusCode, session)
	}
	alfaRef, betaRef := th.rows("alfa", 1)[0].Ref, th.rows("beta", 1)[0].Ref
	if code, body, _ := hostGet(t, c, base+"/alfa/s/"+alfaRef, nil); code != http.StatusOK || !strings.Contains(body, "Alfos kaime") {
		t.Errorf("alfa's suggestion in alfa's console: %d, want 200 with its text", code)
	}
	for _, p := range []string{"/alfa/s/" + betaRef, "/alfa/review/" + betaRef, "/alfa/s/" + betaRef + "/a/1"} {
		if code, body, _ := hostGet(t, c, base+p, nil); code != http.StatusNotFound || strings.Contains(body, "Betos") {
			t.Errorf("GET %s as alfa's staff: %d, want 404 and nothing of beta's", p, code)
		}
	}
	if code, body, _ := hostGet(t, c, base+"/alfa/submissions?q=Betos", nil); code != http.StatusOK || strings.Contains(body, betaRef) {
		t.Errorf("searching alfa's console for beta's words: %d, lists %s", code, betaRef)
	}
	// At beta's console the browser sends no alfa cookie (its path is
	// /alfa/); sent by hand it opens nothing either.
	for _, ck := range []*http.Cookie{nil, {Name: session.Name, Value: session.Value}} {
		code, body, h := hostGet(t, c, base+"/beta/s/"+betaRef, ck)
		if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/beta/login") || strings.Contains(body, "Betos") {
			t.Errorf("GET /beta/s/%s as alfa's staff (cookie by hand %v): %d to %q, want 303 to beta's login and no data", betaRef, ck != nil,
				code, h.Get("Location"))
		}
	}
	if code, _, _ := hostGet(t, c, base+"/", nil); code != http.StatusNotFound {
		t.Errorf("GET / of the host's console: %d, want 404 (the root lists no VVGs)", code)
	}

	// Each VVG's form and the host's metrics.
	web := "http://" + th.h.Addr()
	for _, v := range vvgs[:3] {
		if code, body, _ := hostGet(t, http.DefaultClient, web+"/"+v.slug+"/", nil); code != http.StatusOK || !strings.Contains(body, v.slug+" strategijos keitimas") {
			t.Errorf("GET /%s/ (its form's list): %d, want 200 with its consultation", v.slug, code)
		}
	}
	_, metrics, _ := hostGet(t, http.DefaultClient, web+"/metrics", nil)
	for _, v := range vvgs[:3] {
		if !strings.Contains(metrics, `vvgintake_vvg_up{vvg="`+v.slug+`"} 1`) ||
			!strings.Contains(metrics, `vvgintake_submissions_total{vvg="`+v.slug+`",`) {
			t.Errorf("host /metrics lacks %s's series:\n%s", v.slug, metrics)
		}
	}
	if n := strings.Count(metrics, "# TYPE vvgintake_outbox_depth "); n != 1 {
		t.Errorf("host /metrics declares vvgintake_outbox_depth %d times, want once", n)
	}
	if !strings.Contains(metrics, "vvgintake_models_trained_total 1\n") {
		t.Errorf("three VVGs on the same measures and examples trained other than one model:\n%s", metrics)
	}

	// A fourth VVG, added while running.
	th.write(vvgs[3])
	th.waitRunning("delta")
	vvgs[3].imap.Append(t, "INBOX", residentMail("Gyventojas <gyv-delta@example.lt>", vvgs[3].mailbox, "delta.1@example.lt",
		"Siūlau jaunimo verslumo mokymus Deltoje."), time.Now())
	if r := th.rows("delta", 1)[0]; !strings.HasPrefix(r.Ref, "DELTA-") {
		t.Errorf("delta recorded %s, want DELTA-…", r.Ref)
	}
	for _, s := range th.h.States() {
		if s.Starts != 1 || s.State != unitRunning {
			t.Errorf("%s: %s, started %d times; want running, started once (adding delta restarts nothing)", s.Slug, s.State, s.Starts)
		}
	}
	for _, v := range vvgs[:3] {
		th.rows(v.slug, 1) // still one each: delta's mail went to delta only
	}
	_ = beta
}

// TestE2EHostWrongPassword: one VVG's mailbox refusing its password (the
// account's password changed on the server) raises that VVG's alert
// only, in `status` and /metrics; the other VVGs go on taking mail.
func TestE2EHostWrongPassword(t *testing.T) {
	dov := dovecotOrSkip(t)
	smtp := startE2ESMTP(t)
	vvgs := hostVVGsOn(t, dov, "alfa", "beta", "gama")
	th := startTestHost(t, smtp, vvgs)
	web := "http://" + th.h.Addr()
	waitMetric := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for {
			_, m, _ := hostGet(t, http.DefaultClient, web+"/metrics", nil)
			if strings.Contains(m, want) {
				return m
			}
			if time.Now().After(deadline) {
				t.Fatalf("host /metrics never showed %q:\n%s", want, m)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	waitMetric(`vvgintake_imap_connected{vvg="beta",account=`)

	dov.Account(t, "beta", "pakeistas")
	vvgs[1].imap.Kick(t)
	m := waitMetric(`vvgintake_imap_auth_failing{vvg="beta",account="beta@` + vvgs[1].imap.Addr + `"} 1`)
	for _, slug := range []string{"alfa", "gama"} {
		if !regexp.MustCompile(`vvgintake_imap_auth_failing\{vvg="` + slug + `",[^}]*\} 0`).MatchString(m) {
			t.Errorf("%s's mailbox shows as failing too:\n%s", slug, m)
		}
	}

	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"-config-dir", th.dir, "status"}, strings.NewReader(""), &out, &errb, nil)
	if code != exitRuntime {
		t.Errorf("status over the host: exit %d, want 1 (beta alerts)\n%s\n%s", code, out.String(), errb.String())
	}
	sections := map[string]string{}
	for _, part := range strings.Split(out.String(), "== ")[1:] {
		slug, body, _ := strings.Cut(part, "\n")
		sections[slug] = body
	}
	if !strings.Contains(sections["beta"], "ALERT") || !strings.Contains(sections["beta"], "refuses our credentials") {
		t.Errorf("beta's status: want the mailbox's ALERT:\n%s", sections["beta"])
	}
	for _, slug := range []string{"alfa", "gama"} {
		if strings.Contains(sections[slug], "ALERT") || !strings.Contains(sections[slug], "no alerts") {
			t.Errorf("%s's status: want no alerts:\n%s", slug, sections[slug])
		}
	}
	if !strings.Contains(errb.String(), "1 VVG(s) need attention: beta") {
		t.Errorf("status's summary: %q, want beta named", errb.String())
	}
	out.Reset()
	if code := Main(context.Background(), []string{"-config-dir", th.dir, "--vvg", "alfa", "status"}, strings.NewReader(""), &out, &errb, nil); code != exitOK {
		t.Errorf("status --vvg alfa: exit %d, want 0\n%s", code, out.String())
	}

	// The others still take mail.
	vvgs[2].imap.Append(t, "INBOX", residentMail("Gyventojas <gyv-gama@example.lt>", vvgs[2].mailbox, "gama.2@example.lt",
		"Siūlome savanorių talkas Gamos parke."), time.Now())
	th.rows("gama", 1)
}
