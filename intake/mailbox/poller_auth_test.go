package mailbox

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

func TestPollerAuthFailure(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		proxy := intaketest.NewCutProxy(t, s.Addr) // counts connection attempts on any server
		logs := newIMAPLogs(t)
		sink := newIMAPSink()
		opt := pollerOpts(t, s, logs)
		opt.Addr, opt.Password = proxy.Addr, "wrong password"
		p, err := NewPoller(opt, sink) // default backoff: minutes after a refusal
		if err != nil {
			t.Fatal(err)
		}

		if err := p.SyncOnce(context.Background()); !errors.Is(err, ErrAuth) {
			t.Fatalf("SyncOnce() = %v, want ErrAuth", err)
		}

		startPollerRun(t, p)
		// noteError logs, then tells the Sink: the log is complete by the
		// time the Sink hears of the second refusal.
		sink.waitFor(t, 20*time.Second, "Run to report the refusal", func(s *imapSink) bool {
			return logs.count(slog.LevelError) >= 2 && s.lastHealth().AuthFailing
		})
		// Kicks must not turn the wait into a retry loop.
		p.Kick()
		p.Kick()
		window := time.NewTimer(1500 * time.Millisecond)
		<-window.C
		if n := proxy.Accepted(); n != 2 {
			t.Errorf("%d connections in the window after a refused login, want 2 (SyncOnce + Run's first)", n)
		}
		h := p.Health()
		if !h.AuthFailing || !strings.Contains(h.LastError, "authentication failed") {
			t.Errorf("health = %+v, want AuthFailing and the refusal as LastError", h)
		}
		if n := logs.count(slog.LevelError); n != 2 {
			t.Errorf("%d error-level log records, want one per refusal (2)", n)
		}
	})
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		name  string
		auth  bool
		steps []time.Duration // the ceiling of each successive wait
	}{
		{"transient", false, []time.Duration{
			time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second,
			64 * time.Second, 128 * time.Second, 256 * time.Second, 5 * time.Minute, 5 * time.Minute,
		}},
		{"refused credentials", true, []time.Duration{
			5 * time.Minute, 10 * time.Minute, 20 * time.Minute, 40 * time.Minute, time.Hour, time.Hour,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := defaultBackoff()
			for round := 0; round < 2; round++ {
				for i, ceil := range tt.steps {
					got := b.next(tt.auth)
					if got < ceil/2 || got > ceil {
						t.Errorf("round %d, wait %d = %v, want within [%v, %v]", round, i, got, ceil/2, ceil)
					}
				}
				b.reset() // a good sync starts the curve again
			}
		})
	}
}

// TestPollerWatchdog: a server that greets and then says nothing must not
// hang the poller (go-imap#762).
func TestPollerWatchdog(t *testing.T) {
	addr := intaketest.ServeTCP(t, func(c net.Conn) {
		defer c.Close()
		io.WriteString(c, "* OK [CAPABILITY IMAP4rev1 IDLE] black hole ready\r\n")
		io.Copy(io.Discard, c) // read commands, answer none
	})
	opt := Options{
		Addr: addr, TLS: TLSNone, AllowInsecure: true,
		Username: "resident", Password: "secret", CommandTimeout: 200 * time.Millisecond,
	}
	p, err := NewPoller(opt, newIMAPSink())
	if err != nil {
		t.Fatal(err)
	}
	err = p.SyncOnce(context.Background())
	if !errors.Is(err, errTimeout) {
		t.Errorf("SyncOnce() = %v, want a watchdog timeout", err)
	}
}
