package mailbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/vvgintake/vvgintake/intake/intaketest"
)

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// subjects lists the Message-IDs of folder's messages, in UID order.
func storedIDs(t *testing.T, s *intaketest.Server, folder string) []string {
	t.Helper()
	var out []string
	for _, m := range s.Messages(t, folder) {
		for _, line := range strings.Split(string(m.Raw), "\r\n") {
			if v, ok := strings.CutPrefix(line, "Message-ID: <"); ok {
				out = append(out, strings.TrimSuffix(v, ">"))
			}
		}
	}
	return out
}

// TestErase deletes an erased person's copies on a plain IMAP server: one
// where it was taken in (by UID), one moved to the after-ingest folder
// (by Message-ID, confirmed by digest). A forged message under the same
// Message-ID with other bytes, another resident's mail and a message staff
// flagged \Deleted themselves stay. A second run finds nothing.
func TestErase(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		a, b, keep := intaketest.Message("ona", 1), intaketest.Message("ona", 2), intaketest.Message("jonas", 3)
		flagged := intaketest.Message("staff", 4)
		forged := []byte(strings.Replace(string(intaketest.Message("forger", 5)), "forger.5@example.lt", "ona.2@example.lt", 1))
		uidA := s.Append(t, "INBOX", a, imapTestDate)
		s.Append(t, "INBOX", keep, imapTestDate)
		uidF := s.Append(t, "INBOX", flagged, imapTestDate)
		s.Append(t, "Processed", b, imapTestDate)
		s.Append(t, "Processed", forged, imapTestDate)
		c := s.Dial(t)
		if _, err := c.Select("INBOX", nil).Wait(); err != nil {
			t.Fatal(err)
		}
		if err := c.Store(imap.UIDSetNum(imap.UID(uidF)), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true,
			Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
			t.Fatal(err)
		}
		c.Logout()
		validity := s.UIDValidity(t, "INBOX")

		opt := pollerOpts(t, s, nil)
		opt.AfterIngest, opt.MoveTo = AfterMove, "Processed"
		copies := []Copy{
			{Folder: "INBOX", UIDValidity: validity, UID: uidA, MessageID: "ona.1@example.lt", SHA256: digest(a), Size: int64(len(a))},
			// Taken in from INBOX under UID 99, then moved.
			{Folder: "INBOX", UIDValidity: validity, UID: 99, MessageID: "ona.2@example.lt", SHA256: digest(b), Size: int64(len(b))},
		}
		res, err := Erase(ctx, opt, copies)
		if err != nil {
			t.Fatal(err)
		}
		if res.Deleted != 2 || res.Missing != 0 {
			t.Errorf("erase = %+v, want 2 deleted, none missing", res)
		}
		if got := strings.Join(storedIDs(t, s, "INBOX"), " "); got != "jonas.3@example.lt staff.4@example.lt" {
			t.Errorf("INBOX after erase: %s", got)
		}
		if got := strings.Join(storedIDs(t, s, "Processed"), " "); got != "ona.2@example.lt" || len(s.Messages(t, "Processed")) != 1 ||
			digest(s.Messages(t, "Processed")[0].Raw) != digest(forged) {
			t.Errorf("Processed after erase: %s (want only the forged message)", got)
		}
		res, err = Erase(ctx, opt, copies)
		if err != nil || res.Deleted != 0 || res.Missing != 2 {
			t.Errorf("second erase = %+v, %v; want nothing deleted, both missing", res, err)
		}
	})
}

// TestEraseGmail: on Gmail a message is moved to the Trash and expunged
// there; expunging it from INBOX would only archive it (the memory server
// behaves so with Gmail set). The label folder's and All Mail's copies go
// too, and what staff put in the Trash stays.
func TestEraseGmail(t *testing.T) {
	ctx := context.Background()
	s := intaketest.StartMemoryWith(t, intaketest.MemoryOptions{Gmail: true})
	a, staff := intaketest.Message("ona", 1), intaketest.Message("staff", 2)
	uid := s.Append(t, "INBOX", a, imapTestDate)
	s.Append(t, DefaultGmailLabel, a, imapTestDate) // the label ingest gave it
	s.Append(t, intaketest.GmailTrash, staff, imapTestDate)
	s.Append(t, "[Gmail]/All Mail", a, imapTestDate)
	opt := pollerOpts(t, s, nil)
	res, err := Erase(ctx, opt, []Copy{{Folder: "INBOX", UIDValidity: s.UIDValidity(t, "INBOX"), UID: uid,
		MessageID: "ona.1@example.lt", SHA256: digest(a), Size: int64(len(a))}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Deleted != 3 || res.Missing != 0 {
		t.Errorf("erase = %+v, want 3 deleted (INBOX, label, All Mail)", res)
	}
	for folder, want := range map[string]string{"INBOX": "", DefaultGmailLabel: "", "[Gmail]/All Mail": "",
		intaketest.GmailTrash: "staff.2@example.lt"} {
		if got := strings.Join(storedIDs(t, s, folder), " "); got != want {
			t.Errorf("%s after erase: %q, want %q", folder, got, want)
		}
	}
}
