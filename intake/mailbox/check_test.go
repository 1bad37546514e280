package mailbox

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// TestCheck: Check logs in and looks at each folder, and says which step
// failed, naming the address once.
func TestCheck(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		opt := pollerOpts(t, s, newIMAPLogs(t))
		got, err := Check(ctx, opt)
		if err != nil || !strings.Contains(got, "logged in to "+s.Addr+" as "+s.User) || !strings.Contains(got, "INBOX has ") {
			t.Errorf("Check = %q, %v", got, err)
		}
		bad := opt
		bad.Password = "wrong"
		if _, err := Check(ctx, bad); !errors.Is(err, ErrAuth) {
			t.Errorf("wrong password: %v, want ErrAuth", err)
		}
		bad = opt
		bad.Folders = []string{"INBOX", "Nėra"}
		if _, err := Check(ctx, bad); err == nil || !strings.Contains(err.Error(), `folder "Nėra"`) {
			t.Errorf("missing folder: %v", err)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = Check(context.Background(), Options{Addr: addr, TLS: TLSNone, AllowInsecure: true, Username: "u", Password: "p"})
	if err == nil || strings.Count(err.Error(), addr) != 1 {
		t.Errorf("closed port: %v, want an error naming %s once", err, addr)
	}
}
