package mailbox

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-sasl"
)

// login authenticates with the configured mechanism. A refusal by the server
// or by the token endpoint is returned wrapped in ErrAuth.
func (cn *conn) login(ctx context.Context, opt *Options) error {
	var err error
	var failure string // extra detail the SASL exchange gave
	switch opt.Auth {
	case AuthPassword:
		caps, cerr := cn.capabilities()
		if cerr != nil {
			return cerr
		}
		if caps.Has(imap.CapLoginDisabled) {
			// LOGINDISABLED (RFC 3501): LOGIN is off, AUTHENTICATE PLAIN may not be.
			err = cn.guard(func() error {
				return cn.c.Authenticate(sasl.NewPlainClient("", opt.Username, opt.Password))
			})
		} else {
			err = cn.guard(func() error { return cn.c.Login(opt.Username, opt.Password).Wait() })
		}
	case AuthOAuthBearer, AuthXOAuth2:
		tok, terr := accessTokenCtx(ctx, opt.TokenSource)
		if terr != nil {
			return terr
		}
		if opt.Auth == AuthXOAuth2 {
			sc := &xoauth2Client{user: opt.Username, token: tok}
			err = cn.guard(func() error { return cn.c.Authenticate(sc) })
			failure = sc.failure
		} else {
			host, port, _ := net.SplitHostPort(opt.Addr)
			sc := newOAuthBearerClient(opt.Username, tok, host, port)
			err = cn.guard(func() error { return cn.c.Authenticate(sc) })
			failure = sc.failure
		}
		if err != nil && isAuthRefusal(err) {
			// The server refused a token the source still thinks valid
			// (revoked, clock skew): fetch a fresh one next time.
			if inv, ok := opt.TokenSource.(tokenInvalidator); ok {
				inv.invalidate()
			}
		}
	}
	if err == nil {
		return nil
	}
	if failure != "" {
		err = fmt.Errorf("%w (server said %s)", err, failure)
	}
	if isAuthRefusal(err) {
		return fmt.Errorf("%w: %s as %s: %w", ErrAuth, opt.Auth, opt.Username, err)
	}
	return fmt.Errorf("login: %w", err)
}

// isAuthRefusal tells a refusal of our credentials from a temporary refusal.
// RFC 5530 gives servers codes for "try later" (UNAVAILABLE, INUSE, LIMIT,
// SERVERBUG; Gmail uses them for too many connections); any other NO or BAD
// to LOGIN/AUTHENTICATE means the credentials or the mechanism are wrong.
func isAuthRefusal(err error) bool {
	var ierr *imap.Error
	if !errors.As(err, &ierr) {
		return false
	}
	switch ierr.Code {
	case imap.ResponseCodeUnavailable, imap.ResponseCodeInUse, imap.ResponseCodeLimit, imap.ResponseCodeServerBug:
		return false
	}
	return ierr.Type == imap.StatusResponseTypeNo || ierr.Type == imap.StatusResponseTypeBad
}
