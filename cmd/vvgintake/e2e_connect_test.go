package main

import (
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// TestE2ECheckConnect: `check-config --connect` logs in to the IMAP
// server (the in-memory one, and Dovecot on real servers) and the SMTP
// server (Mailpit on real servers) as `run` would, reports each on its own
// line, and exits 1 naming the server that refused.
func TestE2ECheckConnect(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, srv *intaketest.Server) {
		smtp := startE2ESMTP(t)
		c := newE2ECLI(t, append(imapEnv(srv.Addr, srv.User, srv.Password), smtp.env()...)...)
		out := c.ok("check-config", "--connect")
		for _, want := range []string{"configuration is valid", "imap\tok: logged in to " + srv.Addr + " as " + srv.User,
			"INBOX has", "smtp\tok: connected to " + smtp.addr + ", EHLO"} {
			if !strings.Contains(out, want) {
				t.Errorf("--connect output lacks %q:\n%s", want, out)
			}
		}

		r := c.with("VVGINTAKE_IMAP_PASSWORD=wrong").run("check-config", "--connect")
		if r.code != exitRuntime || !strings.Contains(r.stdout, "imap\tFAILED: imap authentication failed") ||
			!strings.Contains(r.stdout, "smtp\tok") || !strings.Contains(r.stderr, "could not log in to imap") {
			t.Errorf("wrong password: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}

		r = c.with("VVGINTAKE_IMAP_FOLDERS=INBOX,Pasiūlymai").run("check-config", "--connect")
		if r.code != exitRuntime || !strings.Contains(r.stdout, `imap	FAILED: folder "Pasiūlymai"`) {
			t.Errorf("missing folder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}

		closed := freeAddr(t)
		r = c.with(smtpEnv(closed)...).run("check-config", "--connect")
		_, failure, _ := strings.Cut(r.stdout, "smtp\tFAILED: ")
		if r.code != exitRuntime || !strings.HasPrefix(failure, "smtp dial: dial tcp "+closed) || strings.Count(failure, closed) != 1 {
			t.Errorf("smtp down: exit %d, want 1 and the address once\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
}
