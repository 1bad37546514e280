package intaketest

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// GmailTrash is the Trash of a memory server with MemoryOptions.Gmail.
const GmailTrash = "[Gmail]/Trash"

// Default account of every test server.
const (
	DefaultUser     = "resident"
	DefaultPassword = "secret"
)

// MemoryOptions configures StartMemoryWith.
type MemoryOptions struct {
	// Caps advertised. Default IMAP4rev1 + IMAP4rev2, which implies IDLE,
	// MOVE and UIDPLUS. {IMAP4rev1} alone has neither MOVE nor UIDPLUS;
	// add imap.CapUIDPlus for the COPY + UID EXPUNGE path.
	Caps imap.CapSet
	// TLS is "" (plaintext), "implicit" or "starttls"; with TLS a
	// self-signed certificate for 127.0.0.1 is made, and logging in before
	// TLS is refused.
	TLS string
	// Token, when set, enables AUTH=OAUTHBEARER and AUTH=XOAUTH2 and
	// decides whether a bearer token is valid for user.
	Token func(user, token string) bool
	// ExtraCaps are advertised besides what go-imap's server knows (it
	// drops capabilities it does not implement), e.g. Gmail's X-GM-EXT-1.
	// The server behaves as before: a test of Gmail labels relies on
	// Gmail's COPY-adds-a-label semantics, which COPY already has here.
	ExtraCaps []imap.Cap
	// Gmail makes the server behave as Gmail does with its default IMAP
	// settings where deleting is concerned: it advertises X-GM-EXT-1, has
	// "[Gmail]/Trash" and "[Gmail]/All Mail", and EXPUNGE deletes only in
	// the Trash; elsewhere the flagged messages stay (Gmail archives them:
	// support.google.com/mail/answer/78755), so only a client that moves
	// mail to the Trash and expunges it there really deletes it.
	Gmail bool
}

// StartMemory starts go-imap's in-memory server on 127.0.0.1 with an INBOX
// and the default account, stopped when t ends.
func StartMemory(t testing.TB) *Server {
	t.Helper()
	return StartMemoryWith(t, MemoryOptions{})
}

// StartMemoryWith is StartMemory with options.
func StartMemoryWith(t testing.TB, opts MemoryOptions) *Server {
	t.Helper()
	if opts.Caps == nil {
		opts.Caps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
	}
	m := &memServer{opts: opts, be: imapmemserver.New(), user: imapmemserver.NewUser(DefaultUser, DefaultPassword)}
	if err := m.user.Create("INBOX", nil); err != nil {
		t.Fatalf("memory: create INBOX: %v", err)
	}
	if opts.Gmail {
		opts.ExtraCaps = append(opts.ExtraCaps, "X-GM-EXT-1")
		for _, f := range []string{GmailTrash, "[Gmail]/All Mail"} {
			if err := m.user.Create(f, nil); err != nil {
				t.Fatalf("memory: create %s: %v", f, err)
			}
		}
		m.opts = opts
	}
	m.be.AddUser(m.user)
	s := &Server{Name: "memory", User: DefaultUser, Password: DefaultPassword, TLS: opts.TLS, mem: m}
	if opts.TLS != "" {
		srvConf, cliConf, err := selfSigned()
		if err != nil {
			t.Fatalf("memory: certificate: %v", err)
		}
		m.srvTLS, s.TLSConfig = srvConf, cliConf
	}
	if err := m.listen("127.0.0.1:0"); err != nil {
		t.Fatalf("memory: listen: %v", err)
	}
	s.Addr = m.addr
	t.Cleanup(m.stop)
	return s
}

// AuthAttempts counts LOGIN and AUTHENTICATE attempts on a memory server.
func (s *Server) AuthAttempts() int64 {
	if s.mem == nil {
		return -1
	}
	return s.mem.attempts.Load()
}

// memServer is the in-memory backend plus the listener in front of it.
type memServer struct {
	opts     MemoryOptions
	be       *imapmemserver.Server
	user     *imapmemserver.User
	srvTLS   *tls.Config
	attempts atomic.Int64

	mu     sync.Mutex
	addr   string
	srv    *imapserver.Server
	served chan struct{} // closed when Serve returned
}

// listen starts serving on addr.
func (m *memServer) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if len(m.opts.ExtraCaps) > 0 {
		ln = &capsListener{Listener: ln, extra: m.opts.ExtraCaps}
	}
	if m.opts.TLS == "implicit" {
		ln = tls.NewListener(ln, m.srvTLS)
	}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &memSession{m: m}, nil, nil
		},
		Caps:         m.opts.Caps,
		Logger:       log.New(io.Discard, "", 0),
		InsecureAuth: m.opts.TLS == "",
	}
	if m.opts.TLS == "starttls" {
		opts.TLSConfig = m.srvTLS
	}
	srv := imapserver.New(opts)
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(ln)
	}()
	m.mu.Lock()
	m.addr, m.srv, m.served = ln.Addr().String(), srv, served
	m.mu.Unlock()
	return nil
}

// stop closes the listener and every connection.
func (m *memServer) stop() {
	m.mu.Lock()
	srv, served := m.srv, m.served
	m.srv = nil
	m.mu.Unlock()
	if srv == nil {
		return
	}
	srv.Close()
	<-served
}

// restart drops every connection and listens again on the same port.
func (m *memServer) restart(t testing.TB) {
	t.Helper()
	m.stop()
	// The port was ours a moment ago; retry briefly in case the kernel
	// has not released it yet.
	deadline := time.Now().Add(5 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := m.listen(m.addr)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("memory: listen again on %s: %v", m.addr, err)
		}
		<-tick.C
	}
}
