package notify

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
)

// TestSenderRecordsHealth: an unreachable server and a refused login
// reach the ledger, where `vvgintake status` (another process) reads
// them; the next accepted message clears them. Before, only the log knew.
func TestSenderRecordsHealth(t *testing.T) {
	ctx := context.Background()
	db := openLedger(t, nil)
	now := time.Now()
	c := openConsultation(t, db, "s", "Konsultacija", now.Add(-24*time.Hour), now.Add(30*24*time.Hour))
	queueAcks(t, db, c, 1)
	health := func() ledger.SMTPHealth {
		t.Helper()
		hs, err := db.SMTPHealth(ctx)
		if err != nil || len(hs) != 1 {
			t.Fatalf("smtp health %+v, %v; want one row", hs, err)
		}
		return hs[0]
	}

	// Nobody listens on the address.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := newTestSender(t, db, mailerTo(t, addr, SMTPOptions{}), func(o *SenderOptions) { o.Server = addr })
	if _, err := s.SendDue(ctx); err == nil {
		t.Fatal("SendDue to a closed port succeeded")
	}
	if h := health(); h.Reachable || h.AuthFailing || h.FailingSince.IsZero() || h.LastError == "" {
		t.Errorf("after a refused connection: %+v, want unreachable with the error", h)
	}

	// The server is back but refuses our password.
	capt := newCapture(t, addr)
	capt.RequireAuth("vvg", "right")
	s = newTestSender(t, db, mailerTo(t, addr, SMTPOptions{Auth: AuthPassword, Username: "vvg", Password: "wrong"}),
		func(o *SenderOptions) { o.Server = addr })
	if _, err := s.SendDue(ctx); err == nil {
		t.Fatal("SendDue with a wrong password succeeded")
	}
	if h := health(); !h.Reachable || !h.AuthFailing {
		t.Errorf("after a refused login: %+v, want reachable, auth failing", h)
	}
	alerts, err := db.Alerts(ctx, ledger.AlertRules{SMTPServer: addr})
	if err != nil || len(alerts) != 1 {
		t.Errorf("alerts %q, %v; want the refused login", alerts, err)
	}

	// Fixed: the message goes and the failure clears.
	s = newTestSender(t, db, mailerTo(t, addr, SMTPOptions{Auth: AuthPassword, Username: "vvg", Password: "right"}),
		func(o *SenderOptions) { o.Server = addr })
	if n, err := s.SendDue(ctx); err != nil || n != 1 {
		t.Fatalf("SendDue = %d, %v; want 1 sent", n, err)
	}
	if h := health(); h.Failing() || h.LastOK.IsZero() {
		t.Errorf("after a sent message: %+v, want healthy", h)
	}
}
