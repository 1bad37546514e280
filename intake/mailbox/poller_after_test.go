package mailbox

import (
	"context"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/vvgintake/vvgintake/intake/intaketest"
)

func TestPollerAfterIngest(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		tests := []struct {
			name  string
			after string
		}{
			{"keyword", AfterKeyword},
			{"move", AfterMove},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ctx := context.Background()
				inbox := "INBOX"
				if tt.name == "move" {
					inbox = "Inbox2" // a folder of its own; Processed is created by the poller
					s.Append(t, inbox, intaketest.Message("create", 0), imapTestDate)
				}
				msgs := imapMessages("after-"+tt.name, 3, 0)
				s.AppendMany(t, inbox, msgs, imapTestDate)
				sink := newIMAPSink()
				opt := pollerOpts(t, s, newIMAPLogs(t))
				opt.Folders, opt.AfterIngest = []string{inbox}, tt.after
				p := newTestPoller(t, opt, sink)
				if err := p.SyncOnce(ctx); err != nil {
					t.Fatalf("SyncOnce: %v", err)
				}
				left := s.Messages(t, inbox)
				switch tt.after {
				case AfterKeyword:
					checkRecordedOnce(t, sink, msgs)
					for _, m := range left {
						if !m.HasFlag(DefaultKeyword) {
							t.Errorf("uid %d flags %v lack %s", m.UID, m.Flags, DefaultKeyword)
						}
						if m.HasFlag(imap.FlagSeen) {
							t.Errorf("uid %d got \\Seen", m.UID)
						}
					}
				case AfterMove:
					if len(left) != 0 {
						t.Errorf("%d messages left in %s after move, want 0", len(left), inbox)
					}
					if got := len(s.Messages(t, DefaultMoveTo)); got != 4 {
						t.Errorf("%s holds %d messages, want 4", DefaultMoveTo, got)
					}
				}
				before, _, _ := sink.snapshot()
				if err := p.SyncOnce(ctx); err != nil {
					t.Fatalf("second SyncOnce: %v", err)
				}
				if after, _, _ := sink.snapshot(); after != before {
					t.Errorf("second sync delivered %d messages, want 0", after-before)
				}
			})
		}
	})
}

// TestPollerMoveFallbacks checks the servers without MOVE: with UIDPLUS the
// message goes by COPY + UID EXPUNGE; without either it only gets the
// keyword, and in both cases a message staff marked \Deleted survives.
func TestPollerMoveFallbacks(t *testing.T) {
	tests := []struct {
		name      string
		caps      imap.CapSet
		wantMoved bool
	}{
		{"uidplus without move", imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}}, true},
		{"neither move nor uidplus", imap.CapSet{imap.CapIMAP4rev1: {}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := intaketest.StartMemoryWith(t, intaketest.MemoryOptions{Caps: tt.caps})
			// Staff's own deleted-but-not-expunged mail, already behind
			// the poller's position.
			staffUID := s.Append(t, "INBOX", intaketest.Message("staff-trash", 0), imapTestDate)
			c := s.Dial(t)
			if _, err := c.Select("INBOX", nil).Wait(); err != nil {
				t.Fatal(err)
			}
			if err := c.Store(imap.UIDSetNum(imap.UID(staffUID)), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
				t.Fatal(err)
			}
			c.Logout()
			logs := newIMAPLogs(t)
			sink := newIMAPSink()
			opt := pollerOpts(t, s, logs)
			opt.AfterIngest = AfterMove
			p := newTestPoller(t, opt, sink)
			sink.SaveState(ctx, p.Account(), "INBOX", State{UIDValidity: s.UIDValidity(t, "INBOX"), LastUID: staffUID})

			msgs := imapMessages("fallback", 2, 0)
			s.AppendMany(t, "INBOX", msgs, imapTestDate)
			if err := p.SyncOnce(ctx); err != nil {
				t.Fatalf("SyncOnce: %v", err)
			}
			checkRecordedOnce(t, sink, msgs)
			left := s.Messages(t, "INBOX")
			var staffLeft bool
			for _, m := range left {
				if m.UID == staffUID {
					staffLeft = true
					continue
				}
				if tt.wantMoved {
					t.Errorf("uid %d still in INBOX, want moved", m.UID)
				} else if !m.HasFlag(DefaultKeyword) {
					t.Errorf("uid %d has flags %v, want the keyword instead of a move", m.UID, m.Flags)
				}
			}
			if !staffLeft {
				t.Errorf("staff's \\Deleted message was expunged by the poller")
			}
			if tt.wantMoved {
				if got := len(s.Messages(t, DefaultMoveTo)); got != len(msgs) {
					t.Errorf("%s holds %d messages, want %d", DefaultMoveTo, got, len(msgs))
				}
			}
		})
	}
}

// TestPollerGmailLabel: on Gmail (X-GM-EXT-1) ingested mail also gets the
// label staff see in Gmail's apps — a copy into the label's folder, which
// is how Gmail applies a label over IMAP — and stays in the inbox, unread,
// with the keyword. Other servers get no such folder.
func TestPollerGmailLabel(t *testing.T) {
	tests := []struct {
		name      string
		caps      []imap.Cap
		label     string
		wantLabel bool
	}{
		{"gmail", []imap.Cap{capGmail}, "", true},
		{"gmail, label turned off", []imap.Cap{capGmail}, "-", false},
		{"not gmail", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := intaketest.StartMemoryWith(t, intaketest.MemoryOptions{ExtraCaps: tt.caps})
			msgs := imapMessages("gmail", 3, 0)
			s.AppendMany(t, "INBOX", msgs, imapTestDate)
			sink := newIMAPSink()
			opt := pollerOpts(t, s, newIMAPLogs(t))
			opt.GmailLabel = tt.label
			p := newTestPoller(t, opt, sink)
			for range 2 { // the second sync finds nothing new and labels nothing twice
				if err := p.SyncOnce(ctx); err != nil {
					t.Fatalf("SyncOnce: %v", err)
				}
			}
			checkRecordedOnce(t, sink, msgs)
			inbox := s.Messages(t, "INBOX")
			if len(inbox) != len(msgs) {
				t.Errorf("INBOX holds %d messages, want %d (a label must not move mail)", len(inbox), len(msgs))
			}
			for _, m := range inbox {
				if !m.HasFlag(DefaultKeyword) || m.HasFlag(imap.FlagSeen) {
					t.Errorf("uid %d flags %v: want %s and not \\Seen", m.UID, m.Flags, DefaultKeyword)
				}
			}
			c := s.Dial(t)
			list, err := c.List("", DefaultGmailLabel, nil).Collect()
			c.Logout()
			if err != nil {
				t.Fatal(err)
			}
			if !tt.wantLabel {
				if len(list) != 0 {
					t.Errorf("label folder %s exists, want none", DefaultGmailLabel)
				}
				return
			}
			labelled := s.Messages(t, DefaultGmailLabel)
			if len(labelled) != len(msgs) {
				t.Fatalf("label %s is on %d messages, want %d", DefaultGmailLabel, len(labelled), len(msgs))
			}
			for i, m := range labelled {
				if string(m.Raw) != string(inbox[i].Raw) {
					t.Errorf("labelled message %d differs from the inbox's", i)
				}
			}
		})
	}
}
