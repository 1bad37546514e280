package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Send submits msg in one SMTP session: connect, EHLO, STARTTLS, AUTH,
// MAIL/RCPT/DATA, QUIT. The envelope sender is the From address and the
// recipients are To/Cc/Bcc. RFC 3834 §3.3 suggests the null reverse-path
// for automatic responses; we do not use it because an authenticated
// submission server may refuse or rewrite MAIL FROM:<>, and bounces of
// acknowledgements should reach the VVG mailbox so staff see which
// addresses do not work. Every error is a *SendError; IsTemporary says
// whether the outbox should retry. Cancelling ctx aborts the session at
// whatever step it is in.
//
// Send drives go-mail's smtp client itself rather than go-mail's Client so
// that the server's reply code and text reach SendError intact and ctx
// covers the whole session, not only the dial.
func (m *Mailer) Send(ctx context.Context, msg *gomail.Msg) (err error) {
	defer func() {
		// Whatever broke after ctx ended (usually an i/o timeout from the
		// expired deadline) is reported as the cancellation it was, so
		// the outbox can tell shutdown from a failing server.
		var se *SendError
		if cerr := ctx.Err(); cerr != nil && errors.As(err, &se) && !errors.Is(se.Err, cerr) {
			se.Err, se.Temporary = fmt.Errorf("%w: %w", cerr, se.Err), true
		}
	}()
	if msg == nil {
		return &SendError{Stage: "build", Err: errors.New("message is nil")}
	}
	from, err := msg.GetSender(false)
	if err != nil {
		return &SendError{Stage: "build", Err: fmt.Errorf("get sender: %w", err)}
	}
	rcpts, err := msg.GetRecipients()
	if err != nil {
		return &SendError{Stage: "build", Err: fmt.Errorf("get recipients: %w", err)}
	}
	if err := ctx.Err(); err != nil {
		return newSendError("dial", err)
	}

	c, dl, done, err := m.open(ctx)
	if err != nil {
		return err
	}
	defer done()
	dl.extend()
	if err := c.Mail(from); err != nil {
		return newSendError("mail from", err)
	}
	for _, r := range rcpts {
		dl.extend()
		if err := c.Rcpt(r); err != nil {
			// One refused recipient fails the whole message: a partial
			// delivery cannot be retried without duplicating it.
			return newSendError("rcpt to "+r, err)
		}
	}
	dl.extend()
	w, err := c.Data()
	if err != nil {
		return newSendError("data", err)
	}
	if _, err := msg.WriteTo(&deadlineWriter{w: w, dl: dl}); err != nil {
		return newSendError("data", err)
	}
	dl.extend()
	if err := w.Close(); err != nil {
		// The final dot was sent: without a reply the server may have
		// accepted the message (RFC 5321 §4.1.1.4), so the caller treats
		// a failure here without a code as "in doubt".
		se := newSendError("data", err)
		se.AfterData = true
		return se
	}
	// The message is accepted; a failing QUIT changes nothing.
	dl.extend()
	_ = c.Quit()
	return nil
}

// open starts a session up to a logged-in client: connect, greeting,
// EHLO, STARTTLS, AUTH. done closes the connection. Errors are
// *SendError naming the step.
func (m *Mailer) open(ctx context.Context) (c *smtp.Client, dl *deadline, done func(), err error) {
	conn, err := m.dial(ctx)
	if err != nil {
		return nil, nil, nil, newSendError("dial", err)
	}
	dl = &deadline{ctx: ctx, conn: conn, timeout: m.opt.Timeout}
	// A deadline in the past makes any blocked Read or Write return at
	// once, which is how ctx cancellation reaches a session in progress.
	stop := context.AfterFunc(ctx, dl.expire)
	closeConn := func() {
		stop()
		conn.Close()
	}
	defer func() {
		if err != nil {
			closeConn() // the results are nil by now
		}
	}()
	dl.extend()

	c, err = smtp.NewClient(conn, m.opt.Host)
	if err != nil {
		return nil, nil, nil, newSendError("greeting", err)
	}
	if err := c.Hello(m.opt.HELO); err != nil {
		return nil, nil, nil, newSendError("ehlo", err)
	}
	if m.opt.TLS == TLSStartTLS {
		// Without STARTTLS we would send the password and the message in
		// clear; an active attacker can strip the capability (RFC 3207
		// §6), so its absence is an error, never a fallback.
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return nil, nil, nil, &SendError{Stage: "starttls", Err: errors.New("server does not offer STARTTLS")}
		}
		dl.extend()
		if err := c.StartTLS(m.opt.TLSConfig); err != nil {
			return nil, nil, nil, newSendError("starttls", err)
		}
	}
	dl.extend()
	if err := m.auth(c); err != nil {
		return nil, nil, nil, err
	}
	return c, dl, closeConn, nil
}

// Check opens a session as Send would — connect, EHLO, STARTTLS, AUTH —
// and ends it with QUIT, sending nothing: `check-config --connect`. It
// returns what was done, or the *SendError of the step that failed.
func (m *Mailer) Check(ctx context.Context) (string, error) {
	c, dl, done, err := m.open(ctx)
	if err != nil {
		return "", err
	}
	defer done()
	dl.extend()
	_ = c.Quit()
	steps := []string{"connected to " + m.addr, "EHLO"}
	if m.opt.TLS == TLSStartTLS {
		steps = append(steps, "STARTTLS")
	}
	if m.opt.TLS == TLSImplicit {
		steps[0] += " (TLS)"
	}
	if m.opt.Auth != AuthNone {
		steps = append(steps, fmt.Sprintf("AUTH (%s) as %s", m.opt.Auth, m.opt.Username))
	}
	return strings.Join(steps, ", "), nil
}

// dial connects to the server, with TLS from the first byte for implicit.
func (m *Mailer) dial(ctx context.Context) (net.Conn, error) {
	nd := &net.Dialer{Timeout: m.opt.Timeout}
	if m.opt.TLS == TLSImplicit {
		td := &tls.Dialer{NetDialer: nd, Config: m.opt.TLSConfig}
		return td.DialContext(ctx, "tcp", m.addr)
	}
	return nd.DialContext(ctx, "tcp", m.addr)
}

// auth runs SMTP AUTH (RFC 4954) as configured.
func (m *Mailer) auth(c *smtp.Client) error {
	if m.opt.Auth == AuthNone {
		return nil
	}
	ok, ext := c.Extension("AUTH")
	mechs := strings.Fields(strings.ToUpper(ext))
	if !ok {
		return &SendError{Stage: "auth", Err: errors.New("server does not offer AUTH")}
	}
	var a smtp.Auth
	switch m.opt.Auth {
	case AuthPassword:
		// Plaintext auth was allowed by NewMailer only for loopback.
		insecure := m.opt.TLS == TLSNone
		switch {
		case slices.Contains(mechs, "PLAIN"):
			a = smtp.PlainAuth("", m.opt.Username, m.opt.Password, m.opt.Host, insecure)
		case slices.Contains(mechs, "LOGIN"):
			a = smtp.LoginAuth(m.opt.Username, m.opt.Password, m.opt.Host, insecure)
		default:
			return &SendError{Stage: "auth", Err: fmt.Errorf("server offers neither PLAIN nor LOGIN (offers %s)", ext)}
		}
	case AuthXOAUTH2:
		if !slices.Contains(mechs, "XOAUTH2") {
			return &SendError{Stage: "auth", Err: fmt.Errorf("server does not offer XOAUTH2 (offers %s)", ext)}
		}
		tok, err := m.opt.TokenSource.Token()
		if err != nil {
			return &SendError{Stage: "auth", Err: fmt.Errorf("get oauth2 token: %w", err), Temporary: tokenTemporary(err)}
		}
		a = smtp.XOAuth2Auth(m.opt.Username, tok.AccessToken)
	}
	if err := c.Auth(a); err != nil {
		return newSendError("auth", err)
	}
	return nil
}

// deadline keeps the connection deadline moving while the session makes
// progress, and pins it in the past once ctx is done. The mutex orders the
// two so an extend cannot undo a cancellation.
type deadline struct {
	mu      sync.Mutex
	ctx     context.Context
	conn    net.Conn
	timeout time.Duration
}

func (d *deadline) extend() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ctx.Err() == nil {
		_ = d.conn.SetDeadline(time.Now().Add(d.timeout))
	}
}

func (d *deadline) expire() {
	d.mu.Lock()
	defer d.mu.Unlock()
	_ = d.conn.SetDeadline(time.Unix(1, 0))
}

// deadlineWriter extends the deadline before every write, so Timeout bounds
// a stalled transfer rather than the whole of a large report.
type deadlineWriter struct {
	w  io.Writer
	dl *deadline
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	w.dl.extend()
	return w.w.Write(p)
}
