package mailbox

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/vvgintake/vvgintake/intake/intaketest"
)

func TestPollerSyncOnce(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		sink := newIMAPSink()
		p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink)
		msgs := imapMessages("sync", 4, 0)
		for _, raw := range msgs[:3] {
			s.Append(t, "INBOX", raw, imapTestDate)
		}

		t.Run("initial sync delivers all", func(t *testing.T) {
			if err := p.SyncOnce(ctx); err != nil {
				t.Fatalf("SyncOnce: %v", err)
			}
			checkRecordedOnce(t, sink, msgs[:3])
			_, _, stored := sink.snapshot()
			uv := s.UIDValidity(t, "INBOX")
			for i, d := range stored {
				if d.Account != p.Account() || d.Folder != "INBOX" || d.UIDValidity != uv || d.UID != uint32(i+1) {
					t.Errorf("delivery %d keyed %q/%q/%d/%d, want %q/INBOX/%d/%d", i, d.Account, d.Folder, d.UIDValidity, d.UID, p.Account(), uv, i+1)
				}
				if !bytes.Equal(d.Raw, msgs[i]) || d.Size != int64(len(msgs[i])) || d.Truncated {
					t.Errorf("delivery %d: %d bytes, size %d, truncated %v; want the %d bytes appended", i, len(d.Raw), d.Size, d.Truncated, len(msgs[i]))
				}
				if !d.InternalDate.Equal(imapTestDate) {
					t.Errorf("delivery %d: InternalDate = %v, want %v", i, d.InternalDate, imapTestDate)
				}
				if slices.Contains(d.Flags, string(imap.FlagSeen)) {
					t.Errorf("delivery %d: flags %v include \\Seen", i, d.Flags)
				}
			}
			for _, m := range s.Messages(t, "INBOX") {
				if m.HasFlag(imap.FlagSeen) {
					t.Errorf("uid %d is \\Seen on the server after sync; staff would lose their unread mark", m.UID)
				}
			}
			if got := sink.state(p.Account(), "INBOX"); got.LastUID != 3 || got.UIDValidity != uv {
				t.Errorf("state = %+v, want LastUID 3, UIDValidity %d", got, uv)
			}
			h := p.Health()
			if h.LastSync.IsZero() || h.Connected || h.LastError != "" {
				t.Errorf("health after SyncOnce = %+v, want LastSync set, disconnected, no error", h)
			}
		})

		t.Run("second sync delivers nothing", func(t *testing.T) {
			before, _, _ := sink.snapshot()
			if err := p.SyncOnce(ctx); err != nil {
				t.Fatalf("SyncOnce: %v", err)
			}
			if after, _, _ := sink.snapshot(); after != before {
				t.Errorf("Deliver called %d more times, want 0", after-before)
			}
		})

		t.Run("new message delivered once", func(t *testing.T) {
			s.Append(t, "INBOX", msgs[3], imapTestDate)
			before, _, _ := sink.snapshot()
			if err := p.SyncOnce(ctx); err != nil {
				t.Fatalf("SyncOnce: %v", err)
			}
			after, _, _ := sink.snapshot()
			if after-before != 1 {
				t.Errorf("Deliver called %d times for one new message, want 1", after-before)
			}
			checkRecordedOnce(t, sink, msgs)
		})
	})
}

func TestPollerIdle(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		sink := newIMAPSink()
		p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink)
		idling := make(chan struct{}, 1)
		p.hooks.idling = func() {
			select {
			case idling <- struct{}{}:
			default:
			}
		}
		msgs := imapMessages("idle", 2, 0)
		s.Append(t, "INBOX", msgs[0], imapTestDate)
		stop := startPollerRun(t, p)
		sink.waitFor(t, 20*time.Second, "initial sync", func(s *imapSink) bool { return s.count() == 1 })
		select {
		case <-idling:
		case <-time.After(20 * time.Second):
			t.Fatal("poller never entered IDLE")
		}
		if h := p.Health(); !h.IdleSupported || !h.Connected {
			t.Errorf("health = %+v, want connected with IDLE", h)
		}
		// Poll interval and full sync are an hour away: only IDLE can
		// bring this one in.
		s.Append(t, "INBOX", msgs[1], imapTestDate)
		sink.waitFor(t, 20*time.Second, "the message appended during IDLE", func(s *imapSink) bool { return s.count() == 2 })
		stop()
		checkRecordedOnce(t, sink, msgs)
		if h := p.Health(); h.Connected {
			t.Errorf("health after stop = %+v, want disconnected", h)
		}
	})
}

func TestPollerWithoutIdle(t *testing.T) {
	s := intaketest.StartMemory(t)
	msgs := imapMessages("poll", 3, 0)

	t.Run("poll interval", func(t *testing.T) {
		sink := newIMAPSink()
		opt := pollerOpts(t, s, newIMAPLogs(t))
		opt.PollInterval = 50 * time.Millisecond
		p := newTestPoller(t, opt, sink)
		p.hooks.noIdle = true
		s.Append(t, "INBOX", msgs[0], imapTestDate)
		startPollerRun(t, p)
		sink.waitFor(t, 20*time.Second, "initial sync", func(s *imapSink) bool { return s.count() == 1 })
		s.Append(t, "INBOX", msgs[1], imapTestDate)
		sink.waitFor(t, 20*time.Second, "next poll", func(s *imapSink) bool { return s.count() == 2 })
		if h := p.Health(); h.IdleSupported {
			t.Errorf("IdleSupported = true, want false")
		}
	})

	t.Run("kick", func(t *testing.T) {
		sink := newIMAPSink()
		p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink) // polls hourly
		p.hooks.noIdle = true
		startPollerRun(t, p)
		sink.waitFor(t, 20*time.Second, "initial sync", func(s *imapSink) bool { return s.count() == 2 })
		s.Append(t, "INBOX", msgs[2], imapTestDate)
		p.Kick()
		sink.waitFor(t, 20*time.Second, "the kicked sync", func(s *imapSink) bool { return s.count() == 3 })
	})
}

func TestPollerStaffActions(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, s *intaketest.Server) {
		ctx := context.Background()
		msgs := imapMessages("staff", 4, 0)
		s.Append(t, "INBOX", msgs[0], imapTestDate)
		s.Append(t, "INBOX", msgs[1], imapTestDate)
		s.Append(t, "Archive", intaketest.Message("staff-own", 0), imapTestDate) // creates Archive
		sink := newIMAPSink()
		opt := pollerOpts(t, s, newIMAPLogs(t))
		opt.Folders = []string{"INBOX", "Archive"}
		p := newTestPoller(t, opt, sink)
		if err := p.SyncOnce(ctx); err != nil {
			t.Fatalf("SyncOnce: %v", err)
		}

		// Staff, in their own client: read everything, archive the
		// first message (already recorded), and archive a new one before
		// the poller saw it.
		staff := s.Dial(t)
		if _, err := staff.Select("INBOX", nil).Wait(); err != nil {
			t.Fatal(err)
		}
		var all imap.SeqSet
		all.AddRange(1, 0)
		if err := staff.Store(all, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
			t.Fatalf("staff store \\Seen: %v", err)
		}
		if _, err := staff.Move(imap.UIDSetNum(1), "Archive").Wait(); err != nil {
			t.Fatalf("staff move: %v", err)
		}
		uid3 := s.Append(t, "INBOX", msgs[2], imapTestDate)
		if _, err := staff.Move(imap.UIDSetNum(imap.UID(uid3)), "Archive").Wait(); err != nil {
			t.Fatalf("staff move: %v", err)
		}
		s.Append(t, "INBOX", msgs[3], imapTestDate)

		if err := p.SyncOnce(ctx); err != nil {
			t.Fatalf("SyncOnce: %v", err)
		}
		checkRecordedOnce(t, sink, append(slices.Clone(msgs), intaketest.Message("staff-own", 0)))
		if _, dups, _ := sink.snapshot(); dups != 1 {
			t.Errorf("content duplicates seen = %d, want 1 (the archived, already recorded message)", dups)
		}
	})
}

func TestPollerTruncates(t *testing.T) {
	s := intaketest.StartMemory(t)
	raw := intaketest.MessageSize("big", 1, 5000)
	s.Append(t, "INBOX", raw, imapTestDate)
	sink := newIMAPSink()
	opt := pollerOpts(t, s, newIMAPLogs(t))
	opt.MaxMessageBytes = 1000
	p := newTestPoller(t, opt, sink)
	if err := p.SyncOnce(context.Background()); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	_, _, stored := sink.snapshot()
	if len(stored) != 1 {
		t.Fatalf("recorded %d messages, want 1 (never skip a large one)", len(stored))
	}
	d := stored[0]
	if !d.Truncated || !bytes.Equal(d.Raw, raw[:1000]) || d.Size != int64(len(raw)) {
		t.Errorf("got truncated=%v, %d bytes, size %d; want truncated, the first 1000 bytes, size %d", d.Truncated, len(d.Raw), d.Size, len(raw))
	}
}

func TestPollerTLS(t *testing.T) {
	for _, mode := range []string{TLSImplicit, TLSStartTLS} {
		t.Run(mode, func(t *testing.T) {
			s := intaketest.StartMemoryWith(t, intaketest.MemoryOptions{TLS: mode})
			s.Append(t, "INBOX", intaketest.Message("tls", 1), imapTestDate)
			sink := newIMAPSink()
			p := newTestPoller(t, pollerOpts(t, s, newIMAPLogs(t)), sink)
			if err := p.SyncOnce(context.Background()); err != nil {
				t.Fatalf("SyncOnce: %v", err)
			}
			if n := sink.count(); n != 1 {
				t.Errorf("recorded %d, want 1", n)
			}

			// Without the test CA the certificate must be refused.
			opt := pollerOpts(t, s, newIMAPLogs(t))
			opt.TLSConfig = nil
			p = newTestPoller(t, opt, newIMAPSink())
			if err := p.SyncOnce(context.Background()); err == nil {
				t.Errorf("SyncOnce with an untrusted certificate succeeded")
			}
		})
	}
}

func TestPollerMissingFolder(t *testing.T) {
	s := intaketest.StartMemory(t)
	msgs := imapMessages("missing", 1, 0)
	s.Append(t, "INBOX", msgs[0], imapTestDate)
	sink := newIMAPSink()
	opt := pollerOpts(t, s, newIMAPLogs(t))
	opt.Folders = []string{"INBOX", "Renamed by staff"}
	p := newTestPoller(t, opt, sink)
	if err := p.SyncOnce(context.Background()); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	checkRecordedOnce(t, sink, msgs)
	if h := p.Health(); h.LastError == "" {
		t.Errorf("health %+v does not report the missing folder", h)
	}
}
