package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/ledger"
)

// TestMailSinkDeliverGroup: a group is recorded from each message's own
// preparation, and a message never prepared, or prepared for another UID
// (stale), is worked out again, so no message is filed with another's
// verdict.
func TestMailSinkDeliverGroup(t *testing.T) {
	ctx := context.Background()
	cfg, err := LoadConfig(exampleConfig, baseEnv(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	db, err := openLedger(ctx, cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := syncConsultations(ctx, cfg, db); err != nil {
		t.Fatal(err)
	}
	clf, err := newClassifier(ctx, cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	s := mailSink{&pipeline{cfg: cfg, db: db, clf: clf, log: slog.New(slog.DiscardHandler), now: time.Now}}

	texts := map[uint32]string{
		1: "Siūlau įrengti dviračių taką palei Nemuną.",
		2: "Prašome remti jaunimo užimtumą bendruomenės namuose.",
		4: "Siūlau sutvarkyti kapinių tvorą ir įrengti suoliukus.",
	}
	mk := func(uid uint32) *mailbox.Delivery {
		raw := fmt.Sprintf("From: Gyventojas %d <g%d@example.lt>\r\nTo: %s\r\nSubject: =?UTF-8?Q?Pasi=C5=ABlymas_strategijai?=\r\n"+
			"Message-ID: <%d@example.lt>\r\nDate: Fri, 20 Nov 2026 11:00:00 +0200\r\n"+
			"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", uid, uid, cfg.Organisation.Mailbox, uid, texts[uid])
		return &mailbox.Delivery{Account: "vvg", Folder: "INBOX", UIDValidity: 7, UID: uid,
			InternalDate: crashDate, Size: int64(len(raw)), Raw: []byte(raw)}
	}
	prepared, unprepared, stale := mk(1), mk(2), mk(4)
	s.Prepare(ctx, prepared)
	stale.UID = 3
	s.Prepare(ctx, stale) // prepared as uid 3 ...
	stale.UID = 4         // ... delivered as uid 4
	if prepared.Prepared == nil || stale.Prepared == nil || unprepared.Prepared != nil {
		t.Fatal("Prepare left no result")
	}
	if err := s.DeliverGroup(ctx, []*mailbox.Delivery{prepared, unprepared, stale}); err != nil {
		t.Fatal(err)
	}

	refs := map[string]bool{}
	var uids []uint32
	err = db.Messages(ctx, ledger.MessageFilter{}, func(m *ledger.Message) error {
		uids = append(uids, m.UID)
		if want := texts[m.UID]; !strings.Contains(m.Text, want) {
			t.Errorf("uid %d recorded with text %q, want %q", m.UID, m.Text, want)
		}
		if m.Disposition != ledger.DispSuggestion || m.Ref == "" || !m.Ack {
			t.Errorf("uid %d: disposition %s (%s), ref %q, ack %v; want a new acknowledged suggestion", m.UID, m.Disposition, m.Reason, m.Ref, m.Ack)
		}
		refs[m.Ref] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(uids) != "[1 2 4]" || len(refs) != 3 {
		t.Fatalf("recorded uids %v with %d references, want [1 2 4] with 3", uids, len(refs))
	}
}
