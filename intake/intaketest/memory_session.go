package intaketest

import (
	"bytes"
	"errors"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
)

// errAuthFailed is what a refused login answers: NO [AUTHENTICATIONFAILED]
// (RFC 5530), as Gmail and Dovecot do.
var errAuthFailed = &imap.Error{
	Type: imap.StatusResponseTypeNo,
	Code: imap.ResponseCodeAuthenticationFailed,
	Text: "Invalid credentials",
}

// memSession is imapmemserver's session with our own login, SASL and IDLE.
type memSession struct {
	*imapmemserver.UserSession // nil until logged in
	m                          *memServer
	selected                   string
}

// Select remembers the selected mailbox (for Gmail's EXPUNGE).
func (s *memSession) Select(name string, options *imap.SelectOptions) (*imap.SelectData, error) {
	data, err := s.UserSession.Select(name, options)
	if err == nil {
		s.selected = name
	}
	return data, err
}

// Expunge deletes the flagged messages, except outside the Trash of a
// server that behaves as Gmail (MemoryOptions.Gmail), which keeps them.
func (s *memSession) Expunge(w *imapserver.ExpungeWriter, uids *imap.UIDSet) error {
	if s.m.opts.Gmail && s.selected != GmailTrash {
		return nil
	}
	return s.UserSession.Expunge(w, uids)
}

var _ imapserver.SessionIMAP4rev2 = (*memSession)(nil)
var _ imapserver.SessionSASL = (*memSession)(nil)

// Login checks the password.
func (s *memSession) Login(username, password string) error {
	s.m.attempts.Add(1)
	if username != DefaultUser || s.m.user.Login(username, password) != nil {
		return errAuthFailed
	}
	s.UserSession = imapmemserver.NewUserSession(s.m.user)
	return nil
}

// Close releases the session.
func (s *memSession) Close() error {
	if s.UserSession == nil {
		return nil
	}
	return s.UserSession.Close()
}

// Idle flushes queued updates before idling. imapmemserver subscribes to
// mailbox updates only after it has sent "+ idling" (go-imap beta.8), so an
// APPEND landing in that gap would otherwise wait for the next event.
func (s *memSession) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	if err := s.UserSession.Poll(w, true); err != nil {
		return err
	}
	return s.UserSession.Idle(w, stop)
}

// AuthenticateMechanisms lists PLAIN, plus the OAuth ones with a Token check.
func (s *memSession) AuthenticateMechanisms() []string {
	if s.m.opts.Token == nil {
		return []string{sasl.Plain}
	}
	return []string{sasl.Plain, sasl.OAuthBearer, "XOAUTH2"}
}

// Authenticate returns the SASL server for mech.
func (s *memSession) Authenticate(mech string) (sasl.Server, error) {
	switch {
	case mech == sasl.Plain:
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return errAuthFailed
			}
			return s.Login(username, password)
		}), nil
	case mech == sasl.OAuthBearer && s.m.opts.Token != nil:
		return authFailedServer{sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if err := s.bearer(o.Username, o.Token); err != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		})}, nil
	case mech == "XOAUTH2" && s.m.opts.Token != nil:
		return authFailedServer{&xoauth2Server{check: s.bearer}}, nil
	}
	return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "Unsupported mechanism"}
}

// bearer checks an access token and logs the session in.
func (s *memSession) bearer(user, token string) error {
	s.m.attempts.Add(1)
	if user != DefaultUser || !s.m.opts.Token(user, token) {
		return errAuthFailed
	}
	s.UserSession = imapmemserver.NewUserSession(s.m.user)
	return nil
}

// authFailedServer turns any SASL failure into NO [AUTHENTICATIONFAILED];
// imapserver would otherwise answer NO [SERVERBUG], which a client must
// read as "try again later".
type authFailedServer struct{ sasl.Server }

// Next runs one step of the exchange.
func (a authFailedServer) Next(resp []byte) ([]byte, bool, error) {
	challenge, done, err := a.Server.Next(resp)
	if err != nil {
		return nil, true, errAuthFailed
	}
	return challenge, done, nil
}

// xoauth2Server is the server side of Google's XOAUTH2: the initial
// response is "user=" U ^A "auth=Bearer " T ^A ^A; a bad token gets a JSON
// error challenge, the client answers it with an empty line, then NO.
type xoauth2Server struct {
	check  func(user, token string) error
	failed error
}

// Next runs one step of the exchange.
func (x *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if x.failed != nil {
		return nil, true, x.failed
	}
	if resp == nil {
		return []byte{}, false, nil // no SASL-IR: ask for the response
	}
	var user, token string
	for _, field := range bytes.Split(resp, []byte{1}) {
		k, v, _ := strings.Cut(string(field), "=")
		switch k {
		case "user":
			user = v
		case "auth":
			if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
				token = v[7:]
			}
		}
	}
	if user == "" || token == "" {
		return nil, true, errors.New("malformed XOAUTH2 response")
	}
	if err := x.check(user, token); err != nil {
		x.failed = err
		return []byte(`{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}`), false, nil
	}
	return nil, true, nil
}
