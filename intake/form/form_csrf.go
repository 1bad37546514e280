package form

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/http"
	"time"
)

// formTokenTTL is how long a served form may be sent back. Long, because a
// resident may write a suggestion over an evening; an expired form is shown
// again with the text kept, so the cost of expiry is one more click.
const formTokenTTL = 12 * time.Hour

// formCookie is the double-submit cookie: a token is valid only together
// with the cookie it was issued for, so a page on another site cannot post
// a token it scraped (it cannot set our cookie, and SameSite=Strict keeps
// the browser from sending ours on a cross-site POST).
const formCookie = "vvgintake_form"

const (
	formNonceLen  = 16
	formMACLen    = sha256.Size
	formTokenLen  = formNonceLen + 8 + formMACLen
	formCookieLen = 16
)

// Why a token was refused; each maps to a page and a log reason.
var (
	errFormTokenMissing = errors.New("token missing")
	errFormTokenInvalid = errors.New("token invalid")
	errFormTokenExpired = errors.New("token expired")
	errFormNoCookie     = errors.New("cookie missing")
)

// formCSRF issues and checks the form's tokens. A token is
// nonce ‖ issued (Unix ms) ‖ HMAC-SHA256(key, slug, issued, nonce, cookie):
// bound to the consultation, the time the form was served and the
// browser's cookie. The nonce makes it single-use (see formSeen).
type formCSRF struct {
	key []byte
}

// formToken is a checked token.
type formToken struct {
	Nonce  string
	Issued time.Time
}

// newCookie returns a fresh random cookie value.
func (c formCSRF) newCookie() string {
	b := make([]byte, formCookieLen)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// issue returns a token for slug served at issued to the holder of cookie.
func (c formCSRF) issue(slug, cookie string, issued time.Time) string {
	b := make([]byte, formTokenLen)
	_, _ = rand.Read(b[:formNonceLen])
	binary.BigEndian.PutUint64(b[formNonceLen:], uint64(issued.UnixMilli()))
	copy(b[formNonceLen+8:], c.mac(slug, cookie, b[:formNonceLen+8]))
	return base64.RawURLEncoding.EncodeToString(b)
}

// check verifies tok for slug and cookie at now.
func (c formCSRF) check(tok, slug, cookie string, now time.Time) (formToken, error) {
	if tok == "" {
		return formToken{}, errFormTokenMissing
	}
	if cookie == "" {
		return formToken{}, errFormNoCookie
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != formTokenLen {
		return formToken{}, errFormTokenInvalid
	}
	if !hmac.Equal(b[formNonceLen+8:], c.mac(slug, cookie, b[:formNonceLen+8])) {
		return formToken{}, errFormTokenInvalid
	}
	ms := binary.BigEndian.Uint64(b[formNonceLen:])
	issued := time.UnixMilli(int64(ms))
	// A token from the future was not ours unless the clock went back;
	// allow a minute of that.
	if issued.After(now.Add(time.Minute)) {
		return formToken{}, errFormTokenInvalid
	}
	if now.Sub(issued) > formTokenTTL {
		return formToken{}, errFormTokenExpired
	}
	return formToken{Nonce: base64.RawURLEncoding.EncodeToString(b[:formNonceLen]), Issued: issued}, nil
}

// mac binds head (nonce and issue time) to slug and cookie. The fields are
// length-prefixed so no two (slug, cookie) pairs share an input.
func (c formCSRF) mac(slug, cookie string, head []byte) []byte {
	h := hmac.New(sha256.New, c.key)
	var n [4]byte
	h.Write([]byte("vvgintake form token v1"))
	for _, s := range []string{slug, cookie} {
		binary.BigEndian.PutUint32(n[:], uint32(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	h.Write(head)
	return h.Sum(nil)
}

// formCookieValue returns the request's cookie, or "" when it has none or
// a malformed one.
func formCookieValue(r *http.Request) string {
	ck, err := r.Cookie(formCookie)
	if err != nil {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil || len(b) != formCookieLen {
		return ""
	}
	return ck.Value
}

// setFormCookie sends the double-submit cookie: HttpOnly (no script needs
// it), SameSite=Strict (never sent on a cross-site POST), and Secure when
// the page came over TLS, directly or through the trusted proxy.
func setFormCookie(w http.ResponseWriter, value string, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name:     formCookie,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteStrictMode,
	})
}
