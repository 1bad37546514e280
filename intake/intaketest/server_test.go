package intaketest

import (
	"bytes"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

var testDate = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func TestServerAppendRestartUIDValidity(t *testing.T) {
	Each(t, func(t *testing.T, s *Server) {
		raw1, raw2 := Message("h", 1), Message("h", 2)
		uid1 := s.Append(t, "INBOX", raw1, testDate)
		s.Append(t, "Archive", raw2, testDate) // created on TRYCREATE

		msgs := s.Messages(t, "INBOX")
		if len(msgs) != 1 || msgs[0].UID != uid1 || !bytes.Equal(msgs[0].Raw, raw1) {
			t.Fatalf("INBOX = %+v, want uid %d with the appended bytes", msgs, uid1)
		}
		if !msgs[0].InternalDate.Equal(testDate) {
			t.Errorf("INTERNALDATE = %v, want %v", msgs[0].InternalDate, testDate)
		}
		if msgs[0].HasFlag(imap.FlagSeen) {
			t.Errorf("appended message is \\Seen: %v", msgs[0].Flags)
		}

		c := s.Dial(t) // cut by the restart
		s.Restart(t)
		if err := c.Noop().Wait(); err == nil {
			t.Errorf("connection survived Restart")
		}
		if got := s.Messages(t, "INBOX"); len(got) != 1 || got[0].UID != uid1 {
			t.Fatalf("after restart INBOX = %+v, want uid %d kept", got, uid1)
		}

		before := s.UIDValidity(t, "INBOX")
		s.ChangeUIDValidity(t, "INBOX")
		if after := s.UIDValidity(t, "INBOX"); after == before {
			t.Fatalf("UIDVALIDITY still %d after ChangeUIDValidity", after)
		}
		if got := s.Messages(t, "INBOX"); len(got) != 1 || !bytes.Equal(got[0].Raw, raw1) {
			t.Fatalf("after ChangeUIDValidity INBOX = %+v, want the same message", got)
		}
	})
}

func TestServersMemoryAlways(t *testing.T) {
	got := Servers(t)
	if len(got) == 0 || got[0].Name != "memory" {
		t.Fatalf("Servers()[0] = %+v, want the memory server", got)
	}
	wantN := 1
	if Real() {
		wantN = 2
	}
	if len(got) != wantN {
		t.Errorf("len(Servers()) = %d, want %d (%s=%q)", len(got), wantN, RealEnv, os.Getenv(RealEnv))
	}
}

func TestMemoryTLS(t *testing.T) {
	for _, mode := range []string{"implicit", "starttls"} {
		t.Run(mode, func(t *testing.T) {
			s := StartMemoryWith(t, MemoryOptions{TLS: mode})
			s.Append(t, "INBOX", Message("tls", 1), testDate)
			if n := len(s.Messages(t, "INBOX")); n != 1 {
				t.Errorf("messages = %d, want 1", n)
			}
		})
	}
}

func TestCutProxy(t *testing.T) {
	echo := ServeTCP(t, func(c net.Conn) { io.Copy(c, c); c.Close() })
	p := NewCutProxy(t, echo)

	t.Run("Cut", func(t *testing.T) {
		c, err := net.Dial("tcp", p.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("ping"))
		buf := make([]byte, 4)
		if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
			t.Fatalf("echo = %q, %v; want ping", buf, err)
		}
		if n := p.Cut(); n != 1 {
			t.Errorf("Cut() = %d, want 1", n)
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Read(buf); err == nil {
			t.Errorf("read after Cut succeeded")
		}
	})

	t.Run("CutAfter", func(t *testing.T) {
		p.CutAfter(10)
		defer p.CutAfter(0)
		c, err := net.Dial("tcp", p.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("0123456789abcdef"))
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		got, _ := io.ReadAll(c)
		if string(got) != "0123456789" {
			t.Errorf("got %q through the proxy, want the first 10 bytes then EOF", got)
		}
	})
	if got := p.Accepted(); got != 2 {
		t.Errorf("Accepted() = %d, want 2", got)
	}
}
