package notifytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Captured is one message the Capture server accepted.
type Captured struct {
	From string   // MAIL FROM
	To   []string // RCPT TO, in order
	Raw  []byte   // the message as received after DATA, CRLF line ends

	// AuthMech, AuthUser and AuthSecret record the SASL exchange of the
	// session ("" when the client did not authenticate). AuthSecret is
	// the password, or the bearer token for XOAUTH2.
	AuthMech, AuthUser, AuthSecret string
}

// Capture is an in-process SMTP server (emersion/go-smtp) that keeps what
// it receives in memory and can be told to fail. It listens without TLS
// and accepts AUTH PLAIN, LOGIN and XOAUTH2 over plaintext, so point it
// at loopback only. Tests use it for error paths Mailpit cannot produce;
// the demo uses it as a mail sink. Safe for concurrent use.
type Capture struct {
	Addr string // host:port it listens on

	srv  *smtp.Server
	ln   net.Listener
	done chan struct{} // closed when Serve returns

	mu      sync.Mutex
	msgs    []Captured
	changed chan struct{} // closed and replaced whenever msgs grows
	fail    []smtp.SMTPError
	drop    int
	mechs   []string
	user    string // required credentials; "" accepts any
	secret  string
}

// NewCapture starts a capture server on addr ("127.0.0.1:0" picks a free
// port; the chosen one is in Addr). Close stops it.
func NewCapture(addr string) (*Capture, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen capture smtp: %w", err)
	}
	c := &Capture{
		ln:      ln,
		Addr:    ln.Addr().String(),
		done:    make(chan struct{}),
		changed: make(chan struct{}),
		mechs:   []string{sasl.Plain, sasl.Login, "XOAUTH2"},
	}
	c.srv = smtp.NewServer(smtp.BackendFunc(func(conn *smtp.Conn) (smtp.Session, error) {
		return &captureSession{c: c, conn: conn}, nil
	}))
	c.srv.Domain = "capture.localhost"
	c.srv.AllowInsecureAuth = true
	c.srv.MaxMessageBytes = 64 << 20
	c.srv.ReadTimeout = time.Minute
	c.srv.WriteTimeout = time.Minute
	// go-smtp logs every dropped connection; the drops here are on purpose.
	c.srv.ErrorLog = log.New(io.Discard, "", 0)
	go func() {
		defer close(c.done)
		_ = c.srv.Serve(ln)
	}()
	return c, nil
}

// Close stops the server, dropping open connections, and waits for its
// accept loop to end. The listener is closed here too: go-smtp's Close only
// closes listeners its Serve has registered, so a Close that comes before
// the Serve goroutine has started would otherwise leave Serve blocked in
// Accept for ever.
func (c *Capture) Close() error {
	err := c.srv.Close()
	c.ln.Close()
	<-c.done
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Messages returns copies of the messages accepted so far, oldest first.
func (c *Capture) Messages() []Captured {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Captured, len(c.msgs))
	for i, m := range c.msgs {
		m.To = slices.Clone(m.To)
		m.Raw = bytes.Clone(m.Raw)
		out[i] = m
	}
	return out
}

// Wait blocks until at least n messages have been accepted or ctx ends,
// and returns the messages.
func (c *Capture) Wait(ctx context.Context, n int) ([]Captured, error) {
	for {
		c.mu.Lock()
		got, ch := len(c.msgs), c.changed
		c.mu.Unlock()
		if got >= n {
			return c.Messages(), nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return c.Messages(), fmt.Errorf("wait for %d messages (have %d): %w", n, got, ctx.Err())
		}
	}
}

// Reset forgets the captured messages and any pending failures.
func (c *Capture) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs, c.fail, c.drop = nil, nil, 0
}

// FailNext makes the server answer the end of DATA with code and msg
// (e.g. 451 "try later", 554 "rejected") for the next n messages. The
// message text has been read in full by then, as with a real content filter.
func (c *Capture) FailNext(n int, code int, msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for range n {
		c.fail = append(c.fail, smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet, Message: msg})
	}
}

// DropNext makes the server close the connection in the middle of DATA
// for the next n messages, without any reply.
func (c *Capture) DropNext(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drop += n
}

// OfferAuth sets the SASL mechanisms advertised to new sessions (default
// PLAIN, LOGIN, XOAUTH2); none at all turns AUTH off.
func (c *Capture) OfferAuth(mechs ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mechs = slices.Clone(mechs)
}

// RequireAuth makes AUTH succeed only with this user and secret (password
// or XOAUTH2 token); other credentials get 535. By default any succeed.
func (c *Capture) RequireAuth(user, secret string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.user, c.secret = user, secret
}

// nextFault pops the failure to inject into the current DATA, if any.
func (c *Capture) nextFault() (drop bool, fail *smtp.SMTPError) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.drop > 0 {
		c.drop--
		return true, nil
	}
	if len(c.fail) > 0 {
		f := c.fail[0]
		c.fail = c.fail[1:]
		return false, &f
	}
	return false, nil
}

func (c *Capture) store(m Captured) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, m)
	close(c.changed)
	c.changed = make(chan struct{})
}

func (c *Capture) checkAuth(user, secret string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.user != "" && (user != c.user || secret != c.secret) {
		return smtp.ErrAuthFailed
	}
	return nil
}

// captureSession is one SMTP connection's transaction state.
type captureSession struct {
	c    *Capture
	conn *smtp.Conn
	from string
	to   []string

	mech, user, secret string
}

// AuthMechanisms implements smtp.AuthSession.
func (s *captureSession) AuthMechanisms() []string {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	return slices.Clone(s.c.mechs)
}

// Auth implements smtp.AuthSession.
func (s *captureSession) Auth(mech string) (sasl.Server, error) {
	ok := func(user, secret string) error {
		if err := s.c.checkAuth(user, secret); err != nil {
			return err
		}
		s.mech, s.user, s.secret = mech, user, secret
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return ok(user, pass) }), nil
	case sasl.Login:
		return &loginServer{auth: ok}, nil
	case "XOAUTH2":
		return &xoauth2Server{auth: ok}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// Mail implements smtp.Session.
func (s *captureSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

// Rcpt implements smtp.Session.
func (s *captureSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data implements smtp.Session.
func (s *captureSession) Data(r io.Reader) error {
	drop, fail := s.c.nextFault()
	if drop {
		// Take a little of the message so the client is mid-transfer,
		// then hang up without a reply.
		_, _ = io.CopyN(io.Discard, r, 64)
		_ = s.conn.Conn().Close()
		return errors.New("connection dropped on purpose")
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if fail != nil {
		return fail
	}
	s.c.store(Captured{From: s.from, To: slices.Clone(s.to), Raw: raw, AuthMech: s.mech, AuthUser: s.user, AuthSecret: s.secret})
	return nil
}

// Reset implements smtp.Session.
func (s *captureSession) Reset() {
	s.from, s.to = "", nil
}

// Logout implements smtp.Session.
func (s *captureSession) Logout() error { return nil }

// loginServer is the server side of the non-standard but ubiquitous
// LOGIN mechanism (draft-murchison-sasl-login): two prompts, two answers.
type loginServer struct {
	auth       func(user, pass string) error
	user       string
	gotUser    bool
	challenged bool
}

// Next implements sasl.Server.
func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch {
	case !l.challenged && resp == nil:
		l.challenged = true
		return []byte("Username:"), false, nil
	case !l.gotUser:
		l.challenged, l.gotUser, l.user = true, true, string(resp)
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.auth(l.user, string(resp))
	}
}

// xoauth2Server is the server side of XOAUTH2: one initial response
// "user=<u>\x01auth=Bearer <token>\x01\x01".
type xoauth2Server struct {
	auth func(user, token string) error
}

// Next implements sasl.Server.
func (x *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if resp == nil {
		return []byte{}, false, nil // ask for the initial response
	}
	var user, token string
	for _, f := range strings.Split(string(resp), "\x01") {
		if v, ok := strings.CutPrefix(f, "user="); ok {
			user = v
		}
		if v, ok := strings.CutPrefix(f, "auth=Bearer "); ok {
			token = v
		}
	}
	if user == "" || token == "" {
		return nil, true, errors.New("malformed XOAUTH2 response")
	}
	return nil, true, x.auth(user, token)
}
