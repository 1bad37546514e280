package intaketest

import (
	"cmp"
	"crypto/tls"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// RealEnv is the switch CI sets to run against real servers.
const RealEnv = "VVGINTAKE_TEST_REAL"

// clientTimeout bounds the harness's own IMAP commands.
const clientTimeout = 30 * time.Second

// Real reports whether VVGINTAKE_TEST_REAL=1: real servers are wanted, and
// one that will not start is a failure, not a skip.
func Real() bool { return os.Getenv(RealEnv) == "1" }

// Server is a running IMAP server with one account.
type Server struct {
	Name           string // "memory" or "dovecot"
	Addr           string // 127.0.0.1:port
	User, Password string
	// TLS is "" (plaintext), "implicit" or "starttls"; TLSConfig then
	// trusts the server's self-signed certificate.
	TLS       string
	TLSConfig *tls.Config

	mem *memServer
	dov *dovecot
}

// Servers starts the in-memory server, plus a private Dovecot when
// VVGINTAKE_TEST_REAL=1. Each is stopped when t ends.
func Servers(t testing.TB) []*Server {
	t.Helper()
	out := []*Server{StartMemory(t)}
	if Real() {
		out = append(out, StartDovecot(t))
	}
	return out
}

// Each runs f in a subtest per server kind ("memory", and "dovecot" when
// VVGINTAKE_TEST_REAL=1), each with a fresh server stopped at its end.
func Each(t *testing.T, f func(t *testing.T, s *Server)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) { f(t, StartMemory(t)) })
	if Real() {
		t.Run("dovecot", func(t *testing.T) { f(t, StartDovecot(t)) })
	}
}

// Dial returns a logged-in client for assertions; it is closed when t ends.
func (s *Server) Dial(t testing.TB) *imapclient.Client {
	t.Helper()
	c, err := s.dial()
	if err != nil {
		t.Fatalf("%s: dial: %v", s.Name, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// dial connects and logs in.
func (s *Server) dial() (*imapclient.Client, error) {
	opts := &imapclient.Options{TLSConfig: s.TLSConfig}
	var c *imapclient.Client
	var err error
	switch s.TLS {
	case "implicit":
		c, err = imapclient.DialTLS(s.Addr, opts)
	case "starttls":
		c, err = imapclient.DialStartTLS(s.Addr, opts)
	default:
		c, err = imapclient.DialInsecure(s.Addr, opts)
	}
	if err != nil {
		return nil, err
	}
	if err := wait(c, func() error { return c.Login(s.User, s.Password).Wait() }); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// wait runs f, closing c if the server does not answer in clientTimeout:
// a hung test server must fail the test, not hang it.
func wait(c *imapclient.Client, f func() error) error {
	t := time.AfterFunc(clientTimeout, func() { c.Close() })
	defer t.Stop()
	return f()
}

// Append stores raw in folder (created if missing) with the given
// INTERNALDATE, through IMAP like any mail client, and returns its UID.
func (s *Server) Append(t testing.TB, folder string, raw []byte, internalDate time.Time) uint32 {
	t.Helper()
	c := s.Dial(t)
	defer c.Logout()
	uid, err := appendMsg(c, folder, raw, &imap.AppendOptions{Time: internalDate})
	if err != nil {
		t.Fatalf("%s: append to %s: %v", s.Name, folder, err)
	}
	return uid
}

// AppendMany stores many messages over one connection, for benchmarks and
// bulk tests.
func (s *Server) AppendMany(t testing.TB, folder string, raws [][]byte, internalDate time.Time) {
	t.Helper()
	c := s.Dial(t)
	defer c.Logout()
	for i, raw := range raws {
		if _, err := appendMsg(c, folder, raw, &imap.AppendOptions{Time: internalDate}); err != nil {
			t.Fatalf("%s: append message %d to %s: %v", s.Name, i, folder, err)
		}
	}
}

// appendMsg APPENDs one message, creating the folder on TRYCREATE
// (RFC 3501 §6.3.11).
func appendMsg(c *imapclient.Client, folder string, raw []byte, opts *imap.AppendOptions) (uint32, error) {
	do := func() (uint32, error) {
		var data *imap.AppendData
		err := wait(c, func() error {
			cmd := c.Append(folder, int64(len(raw)), opts)
			if _, err := cmd.Write(raw); err != nil {
				return err
			}
			if err := cmd.Close(); err != nil {
				return err
			}
			var err error
			data, err = cmd.Wait()
			return err
		})
		if err != nil {
			return 0, err
		}
		return uint32(data.UID), nil
	}
	uid, err := do()
	var ierr *imap.Error
	if errors.As(err, &ierr) && ierr.Code == imap.ResponseCodeTryCreate {
		if err := wait(c, func() error { return c.Create(folder, nil).Wait() }); err != nil {
			return 0, err
		}
		uid, err = do()
	}
	return uid, err
}

// Restart stops the server and starts it again on the same port with the
// same mail, dropping every connection: dovecot is killed by pid and
// restarted on the same directory (UIDs stay); the memory server closes its
// listener and connections and listens again.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	switch {
	case s.dov != nil:
		s.dov.restart(t)
	case s.mem != nil:
		s.mem.restart(t)
	}
}

// ChangeUIDValidity gives folder a new UIDVALIDITY, as a server does after
// its index was rebuilt: dovecot through `doveadm mailbox update`, the
// memory server by deleting and re-creating the folder with the same
// messages, flags and dates.
func (s *Server) ChangeUIDValidity(t testing.TB, folder string) {
	t.Helper()
	switch {
	case s.dov != nil:
		s.dov.changeUIDValidity(t, s, folder)
	case s.mem != nil:
		s.recreateFolder(t, folder)
	}
}

// UIDValidity returns the folder's current UIDVALIDITY (STATUS).
func (s *Server) UIDValidity(t testing.TB, folder string) uint32 {
	t.Helper()
	c := s.Dial(t)
	defer c.Logout()
	var data *imap.StatusData
	err := wait(c, func() error {
		var err error
		data, err = c.Status(folder, &imap.StatusOptions{UIDValidity: true}).Wait()
		return err
	})
	if err != nil {
		t.Fatalf("%s: status %s: %v", s.Name, folder, err)
	}
	return data.UIDValidity
}

// Messages returns the messages of folder with their flags, ascending by UID.
func (s *Server) Messages(t testing.TB, folder string) []Stored {
	t.Helper()
	c := s.Dial(t)
	defer c.Logout()
	return s.fetchAll(t, c, folder)
}

// Stored is one message as a server holds it.
type Stored struct {
	UID          uint32
	Flags        []imap.Flag
	InternalDate time.Time
	Raw          []byte
}

// HasFlag reports whether the message carries flag (case-insensitive).
func (m Stored) HasFlag(flag imap.Flag) bool {
	for _, f := range m.Flags {
		if strings.EqualFold(string(f), string(flag)) {
			return true
		}
	}
	return false
}

// fetchAll examines folder and reads every message (peeking: no \Seen),
// failing the test when it cannot.
func (s *Server) fetchAll(t testing.TB, c *imapclient.Client, folder string) []Stored {
	t.Helper()
	var out []Stored
	err := wait(c, func() error {
		sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			return err
		}
		if sel.NumMessages == 0 {
			return nil
		}
		var all imap.SeqSet
		all.AddRange(1, 0) // 1:*
		body := &imap.FetchItemBodySection{Peek: true}
		msgs, err := c.Fetch(all, &imap.FetchOptions{
			UID: true, Flags: true, InternalDate: true, BodySection: []*imap.FetchItemBodySection{body},
		}).Collect()
		if err != nil {
			return err
		}
		for _, m := range msgs {
			out = append(out, Stored{
				UID: uint32(m.UID), Flags: m.Flags, InternalDate: m.InternalDate, Raw: m.FindBodySection(body),
			})
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: fetch %s: %v", s.Name, folder, err)
	}
	slices.SortFunc(out, func(a, b Stored) int { return cmp.Compare(a.UID, b.UID) })
	return out
}

// recreateFolder deletes folder and creates it again with the same messages,
// flags and dates: the folder gets a new UIDVALIDITY (RFC 3501 §2.3.1.1).
func (s *Server) recreateFolder(t testing.TB, folder string) {
	t.Helper()
	c := s.Dial(t)
	defer c.Logout()
	msgs := s.fetchAll(t, c, folder)
	err := wait(c, func() error {
		if err := c.Unselect().Wait(); err != nil {
			return err
		}
		if err := c.Delete(folder).Wait(); err != nil {
			return err
		}
		return c.Create(folder, nil).Wait()
	})
	if err != nil {
		t.Fatalf("%s: recreate %s: %v", s.Name, folder, err)
	}
	for _, m := range msgs {
		var flags []imap.Flag
		for _, f := range m.Flags {
			if !strings.EqualFold(string(f), `\Recent`) {
				flags = append(flags, f)
			}
		}
		if _, err := appendMsg(c, folder, m.Raw, &imap.AppendOptions{Flags: flags, Time: m.InternalDate}); err != nil {
			t.Fatalf("%s: re-append uid %d to %s: %v", s.Name, m.UID, folder, err)
		}
	}
}
