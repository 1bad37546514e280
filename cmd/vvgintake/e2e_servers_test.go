package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/emersion/go-message/charset" // decode every charset an ack might use
	gomessage "github.com/emersion/go-message/mail"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/internal/logtest"
	"github.com/vvgintake/vvgintake/notify/notifytest"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// e2eMail is one message an SMTP test server received.
type e2eMail struct {
	rcpt    []string // envelope recipients (Capture) or header To/Cc (Mailpit)
	raw     []byte
	header  gomessage.Header
	subject string // decoded
	text    string // the first text/plain part, decoded
	html    string // the first text/html part, decoded
}

// get returns a header field as sent (unfolded, not decoded).
func (m e2eMail) get(key string) string { return m.header.Get(key) }

// e2eSMTP is where the binary or an in-process daemon sends mail:
// notifytest.Capture, or a real Mailpit with VVGINTAKE_TEST_REAL=1.
type e2eSMTP struct {
	name    string
	addr    string
	capture *notifytest.Capture
	mailpit *notifytest.Mailpit
}

// dovecotOrSkip starts a private Dovecot, or skips the test or benchmark
// when none is installed (fails with VVGINTAKE_TEST_REAL=1).
func dovecotOrSkip(t testing.TB) *intaketest.Server {
	t.Helper()
	if !intaketest.Real() && !intaketest.DovecotAvailable() {
		t.Skipf("dovecot not installed; set %s=1 to make this a failure", intaketest.RealEnv)
	}
	return intaketest.StartDovecot(t)
}

// startE2ESMTP starts the SMTP server for t, stopped when t ends.
func startE2ESMTP(t testing.TB) *e2eSMTP {
	t.Helper()
	if intaketest.Real() {
		m := notifytest.StartMailpit(t)
		return &e2eSMTP{name: "mailpit", addr: m.SMTPAddr, mailpit: m}
	}
	c, err := notifytest.NewCapture("127.0.0.1:0")
	if err != nil {
		t.Fatalf("start capture smtp: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return &e2eSMTP{name: "capture", addr: c.Addr, capture: c}
}

// env points the configuration at this server.
func (s *e2eSMTP) env() []string { return smtpEnv(s.addr) }

// all returns every message received so far, oldest first.
func (s *e2eSMTP) all(t testing.TB) []e2eMail {
	t.Helper()
	var out []e2eMail
	if s.capture != nil {
		for _, c := range s.capture.Messages() {
			out = append(out, parseE2EMail(t, c.To, c.Raw))
		}
		return out
	}
	sums := s.mailpit.Messages(t)
	slices.Reverse(sums) // Mailpit lists newest first
	for _, sum := range sums {
		var rcpt []string
		for _, a := range sum.To {
			rcpt = append(rcpt, a.Address)
		}
		out = append(out, parseE2EMail(t, rcpt, s.mailpit.Raw(t, sum.ID)))
	}
	return out
}

// wait returns the messages once at least n arrived, failing after timeout.
func (s *e2eSMTP) wait(t testing.TB, n int, timeout time.Duration) []e2eMail {
	t.Helper()
	if s.capture != nil {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		if _, err := s.capture.Wait(ctx, n); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		return s.all(t)
	}
	s.mailpit.WaitCount(t, n, timeout)
	return s.all(t)
}

// parseE2EMail decodes a received message enough for the assertions.
func parseE2EMail(t testing.TB, rcpt []string, raw []byte) e2eMail {
	t.Helper()
	m := e2eMail{rcpt: rcpt, raw: raw}
	r, err := gomessage.CreateReader(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("parse received mail: %v\n%s", err, raw)
	}
	m.header = r.Header
	if m.subject, err = r.Header.Subject(); err != nil {
		t.Errorf("decode subject %q: %v", r.Header.Get("Subject"), err)
	}
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("read part of received mail: %v", err)
		}
		h, ok := p.Header.(*gomessage.InlineHeader)
		if !ok {
			continue
		}
		ct, _, _ := h.ContentType()
		b, err := io.ReadAll(p.Body)
		if err != nil {
			t.Fatalf("read %s part: %v", ct, err)
		}
		switch {
		case ct == "text/plain" && m.text == "":
			m.text = string(b)
		case ct == "text/html" && m.html == "":
			m.html = string(b)
		}
	}
	return m
}

// e2eAutoReplied keeps the acknowledgements (RFC 3834 "auto-replied"); the
// digest, reports and reminders are "auto-generated".
func e2eAutoReplied(ms []e2eMail) []e2eMail {
	var out []e2eMail
	for _, m := range ms {
		if strings.EqualFold(m.get("Auto-Submitted"), "auto-replied") {
			out = append(out, m)
		}
	}
	return out
}

// e2eDaemon is an in-process `vvgintake run`.
type e2eDaemon struct {
	d    *Daemon
	logs *logtest.Buffer
}

// startE2EDaemon loads the example configuration with env, lets adjust
// change it, builds the daemon with opt and runs it until the test ends.
// Its log goes to a buffer that is printed when the test fails.
func startE2EDaemon(t testing.TB, env []string, opt DaemonOptions, adjust func(*config.Config)) *e2eDaemon {
	t.Helper()
	return startE2EDaemonWith(t, exampleConfig, env, opt, adjust)
}

// startE2EDaemonWith is startE2EDaemon on the configuration file path.
func startE2EDaemonWith(t testing.TB, path string, env []string, opt DaemonOptions, adjust func(*config.Config)) *e2eDaemon {
	t.Helper()
	cfg, err := config.Load(path, env)
	if err != nil {
		t.Fatalf("load configuration: %v", err)
	}
	if adjust != nil {
		adjust(cfg)
	}
	logs := &logtest.Buffer{}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	ctx, cancel := context.WithCancel(context.Background())
	d, err := NewDaemon(ctx, cfg, opt)
	if err != nil {
		cancel()
		t.Fatalf("new daemon: %v", err)
	}
	done := make(chan struct{})
	var runErr error
	go func() { runErr = d.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
			if runErr != nil {
				t.Errorf("daemon run: %v", runErr)
			}
		case <-time.After(shutdownGrace + 10*time.Second):
			t.Errorf("daemon did not stop within %s of cancellation", shutdownGrace+10*time.Second)
		}
		if err := d.Close(); err != nil {
			t.Errorf("close daemon: %v", err)
		}
		if t.Failed() {
			t.Logf("daemon log:\n%s", e2eTail(logs.String(), 6000))
		}
	})
	// Run closes ready once every loop has been started.
	select {
	case <-d.ready:
	case <-done:
		t.Fatalf("daemon stopped at once: %v", runErr)
	case <-time.After(10 * time.Second):
		t.Fatalf("daemon not running after 10 s")
	}
	return &e2eDaemon{d: d, logs: logs}
}

// url returns the daemon's web address for path.
func (e *e2eDaemon) url(path string) string { return "http://" + e.d.Addr() + path }

// e2eListen listens on a free loopback port.
func e2eListen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// e2eTail returns the end of s.
func e2eTail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return fmt.Sprintf("…%s", s[len(s)-n:])
}
