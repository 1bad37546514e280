package intake

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// TestMailSinkCommit: a group is recorded from each message's own
// preparation, and a message whose preparation failed is worked out again,
// so no message is filed with another's verdict.
func TestMailSinkCommit(t *testing.T) {
	ctx := context.Background()
	p, db := newTestPipeline(t, nil)
	at := clocktest.At(t, "2026-11-20T11:00:00+02:00")
	addConsultation(t, db, "strategija", at.AddDate(0, 0, -10), at.AddDate(0, 0, 10))
	s := NewMailSink(p, nil)

	texts := map[uint32]string{
		1: "Siūlau įrengti dviračių taką palei Nemuną.",
		2: "Prašome remti jaunimo užimtumą bendruomenės namuose.",
		4: "Siūlau sutvarkyti kapinių tvorą ir įrengti suoliukus.",
	}
	mk := func(uid uint32) *mailbox.Delivery {
		raw := testMail{from: fmt.Sprintf("Gyventojas %d <g%d@example.lt>", uid, uid), subject: "Pasiūlymas strategijai", body: texts[uid]}.raw()
		return &mailbox.Delivery{Account: "vvg", Folder: "INBOX", UIDValidity: 7, UID: uid,
			InternalDate: at, Size: int64(len(raw)), Raw: raw}
	}
	// The second one's preparation failed (the ledger was busy, say).
	ps := []mailbox.Prepared{s.Prepare(ctx, mk(1)), &prepared{d: mk(2), err: errors.New("database is locked")}, s.Prepare(ctx, mk(4))}
	if err := s.Commit(ctx, ps); err != nil {
		t.Fatal(err)
	}

	refs := map[string]bool{}
	var uids []uint32
	err := db.Messages(ctx, ledger.MessageFilter{}, func(m *ledger.Message) error {
		uids = append(uids, m.UID)
		if want := texts[m.UID]; !strings.Contains(m.Text, want) {
			t.Errorf("uid %d recorded with text %q, want %q", m.UID, m.Text, want)
		}
		if m.Disposition != string(mailparse.KindSuggestion) || m.Ref == "" || !m.Ack {
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
