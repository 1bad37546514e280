package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"syscall"

	"golang.org/x/oauth2"
)

// SendError is why Send failed. Temporary is true for 4xx replies and for
// network trouble (refused, reset, timed out, dropped mid-DATA), when a
// later retry may succeed; false for 5xx replies (RFC 5321 §4.2.1: the
// same command will fail again) and for problems with the message or the
// server's capabilities.
type SendError struct {
	Temporary bool
	Code      int    // SMTP reply code; 0 when the server did not answer
	Response  string // the server's reply text, enhanced status code included
	Stage     string // "dial", "ehlo", "starttls", "auth", "mail from", "rcpt to <addr>", "data", "build"
	// AfterData is set when the message had been sent in full (the final
	// dot) before the failure: with Code 0 the server may have kept it.
	AfterData bool
	Err       error
}

// Error implements error as "smtp <stage>: <code> <response>".
func (e *SendError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("smtp %s: %d %s", e.Stage, e.Code, e.Response)
	}
	return fmt.Sprintf("smtp %s: %v", e.Stage, e.Err)
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// IsTemporary reports whether err is worth retrying: a temporary
// *SendError, or, for errors from elsewhere, a 4xx reply or a network
// error. nil is not temporary.
func IsTemporary(err error) bool {
	if err == nil {
		return false
	}
	var se *SendError
	if errors.As(err, &se) {
		return se.Temporary
	}
	return temporary(err)
}

// newSendError classifies err from the given stage of the session.
func newSendError(stage string, err error) *SendError {
	se := &SendError{Stage: stage, Err: err, Temporary: temporary(err)}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		se.Code, se.Response = tp.Code, tp.Msg
	}
	return se
}

// temporary decides retry for an error that is not a *SendError.
func temporary(err error) bool {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		// 5yz is a permanent negative reply (RFC 5321 §4.2.1). Anything
		// else that arrives as an error (4yz, or a reply code out of
		// sequence) may go away on a fresh connection.
		return tp.Code < 500 || tp.Code > 599
	}
	var ne net.Error
	var op *net.OpError
	var alert tls.AlertError
	var rec tls.RecordHeaderError
	var cert *tls.CertificateVerificationError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.As(err, &ne), errors.As(err, &op):
		return true
	case errors.As(err, &alert), errors.As(err, &rec), errors.As(err, &cert):
		// A failed handshake or an expired certificate is the server's
		// to fix, and then the same message goes through; the outbox
		// caps retries, so a lasting misconfiguration still surfaces.
		return true
	}
	// What is left is local: a CR/LF in an address, an auth mechanism
	// refusing to run. Retrying would fail the same way.
	return false
}

// tokenTemporary decides retry for a failure to get an OAuth2 token. The
// token endpoint answering 400 or 401 means the grant is revoked or invalid
// (RFC 6749 §5.2: invalid_grant, invalid_client) and someone has to log in
// again; anything else (5xx, 429, no network) may pass.
func tokenTemporary(err error) bool {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		sc := re.Response.StatusCode
		return sc != http.StatusBadRequest && sc != http.StatusUnauthorized
	}
	return true
}
