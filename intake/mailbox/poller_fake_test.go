package mailbox

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// scriptedIMAP is a tiny IMAP server for answers no real server gives on
// demand: UID after the body literal, a message FETCH never returns.
type scriptedIMAP struct {
	msgs map[uint32][]byte // uid = sequence number
	// uidLast sends these messages' UID after the literal.
	uidLast map[uint32]bool
	// withhold never returns these messages' bodies; FETCH ends in NO.
	withhold map[uint32]bool

	mu       sync.Mutex
	commands []string
}

// poller serves f on 127.0.0.1 until the test ends and returns a poller of
// it that records into sink, logs into logs and leaves the messages as they
// are (AfterNone).
func (f *scriptedIMAP) poller(t *testing.T, sink *imapSink, logs *imapLogs) *Poller {
	opt := Options{Addr: intaketest.ServeTCP(t, f.serve), TLS: TLSNone, AllowInsecure: true, Username: "u", Password: "p",
		CommandTimeout: 10 * time.Second, AfterIngest: AfterNone, Logger: slog.New(logs)}
	return newTestPoller(t, opt, sink)
}

// serve answers one connection, one command per line.
func (f *scriptedIMAP) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	fmt.Fprint(w, "* OK [CAPABILITY IMAP4rev1] scripted\r\n")
	w.Flush()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		tag, cmd, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		f.mu.Lock()
		f.commands = append(f.commands, cmd)
		f.mu.Unlock()
		up := strings.ToUpper(cmd)
		status := "OK done"
		switch {
		case strings.HasPrefix(up, "CAPABILITY"):
			fmt.Fprint(w, "* CAPABILITY IMAP4rev1\r\n")
		case strings.HasPrefix(up, "LOGIN"):
			status = "OK [CAPABILITY IMAP4rev1] logged in"
		case strings.HasPrefix(up, "EXAMINE"), strings.HasPrefix(up, "SELECT"):
			fmt.Fprintf(w, "* %d EXISTS\r\n* OK [UIDVALIDITY 9] v\r\n* OK [UIDNEXT %d] n\r\n", len(f.msgs), len(f.msgs)+1)
		case strings.HasPrefix(up, "UID SEARCH"), strings.HasPrefix(up, "SEARCH"):
			fmt.Fprint(w, "* SEARCH")
			for uid := uint32(1); uid <= uint32(len(f.msgs)); uid++ {
				if strings.Contains(up, "UID 1:*") || strings.Contains(up, fmt.Sprintf(" %d", uid)) {
					fmt.Fprintf(w, " %d", uid)
				}
			}
			fmt.Fprint(w, "\r\n")
		case strings.HasPrefix(up, "UID FETCH"), strings.HasPrefix(up, "FETCH"):
			set := strings.Fields(cmd)[1]
			if strings.HasPrefix(up, "UID") {
				set = strings.Fields(cmd)[2]
			}
			for uid := uint32(1); uid <= uint32(len(f.msgs)); uid++ {
				if !inSet(set, uid) {
					continue
				}
				if f.withhold[uid] {
					status = "NO Some messages could not be FETCHed (Failure)"
					continue
				}
				raw := f.msgs[uid]
				head := fmt.Sprintf(`FLAGS () INTERNALDATE "02-Mar-2026 10:00:00 +0000" RFC822.SIZE %d BODY[] {%d}`+"\r\n", len(raw), len(raw))
				if f.uidLast[uid] {
					fmt.Fprintf(w, "* %d FETCH (%s%s UID %d)\r\n", uid, head, raw, uid)
				} else {
					fmt.Fprintf(w, "* %d FETCH (UID %d %s%s)\r\n", uid, uid, head, raw)
				}
			}
		case strings.HasPrefix(up, "LOGOUT"):
			fmt.Fprintf(w, "* BYE\r\n%s OK bye\r\n", tag)
			w.Flush()
			return
		case strings.HasPrefix(up, "NOOP"):
		default:
			status = "BAD unknown command"
		}
		fmt.Fprintf(w, "%s %s\r\n", tag, status)
		w.Flush()
	}
}

// inSet reports whether uid is in a set like "1:2", "2" or "1,3".
func inSet(set string, uid uint32) bool {
	for _, part := range strings.Split(set, ",") {
		lo, hi, isRange := strings.Cut(part, ":")
		var a, b uint32
		fmt.Sscan(lo, &a)
		b = a
		if isRange {
			if hi == "*" {
				b = ^uint32(0)
			} else {
				fmt.Sscan(hi, &b)
			}
		}
		if a <= uid && uid <= b {
			return true
		}
	}
	return false
}

func TestPollerUIDAfterLiteral(t *testing.T) {
	f := &scriptedIMAP{
		msgs:    map[uint32][]byte{1: []byte("Subject: one\r\n\r\nfirst\r\n"), 2: []byte("Subject: two\r\n\r\nsecond\r\n")},
		uidLast: map[uint32]bool{2: true},
	}
	sink := newIMAPSink()
	p := f.poller(t, sink, newIMAPLogs(t))
	if err := p.SyncOnce(context.Background()); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	checkRecordedOnce(t, sink, [][]byte{f.msgs[1], f.msgs[2]})
	if got := sink.state(p.Account(), "INBOX"); got.LastUID != 2 {
		t.Errorf("LastUID = %d, want 2", got.LastUID)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var refetched bool
	for _, c := range f.commands {
		if strings.HasPrefix(c, "FETCH 2 ") {
			refetched = true
		}
	}
	if !refetched {
		t.Errorf("message 2 was not asked for again by sequence number; commands: %q", f.commands)
	}
}

func TestPollerWithheldMessage(t *testing.T) {
	f := &scriptedIMAP{
		msgs:     map[uint32][]byte{1: []byte("Subject: broken\r\n\r\nx\r\n"), 2: []byte("Subject: fine\r\n\r\ny\r\n")},
		withhold: map[uint32]bool{1: true},
	}
	sink := newIMAPSink()
	logs := newIMAPLogs(t)
	p := f.poller(t, sink, logs)
	ctx := context.Background()
	for attempt := 1; attempt < maxFetchAttempts; attempt++ {
		if err := p.SyncOnce(ctx); err == nil {
			t.Fatalf("SyncOnce %d succeeded although uid 1 was withheld", attempt)
		}
		if got := sink.state(p.Account(), "INBOX").LastUID; got != 0 {
			t.Fatalf("after attempt %d LastUID = %d, want 0: uid 1 is not recorded", attempt, got)
		}
	}
	if err := p.SyncOnce(ctx); err != nil {
		t.Fatalf("SyncOnce %d: %v, want the message skipped", maxFetchAttempts, err)
	}
	checkRecordedOnce(t, sink, [][]byte{f.msgs[2]})
	if got := sink.state(p.Account(), "INBOX").LastUID; got != 2 {
		t.Errorf("LastUID = %d, want 2", got)
	}
	if n := logs.count(slog.LevelError); n != 1 {
		t.Errorf("%d error records, want 1 for the skipped message", n)
	}
}
