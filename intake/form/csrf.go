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

// tokenTTL is how long a served form may be sent back. Long, because a
// resident may write a suggestion over an evening; an expired form is shown
// again with the text kept, so the cost of expiry is one more click.
const tokenTTL = 12 * time.Hour

// cookieName is the double-submit cookie: a token is valid only together
// with the cookie it was issued for, so a page on another site cannot post
// a token it scraped (it cannot set our cookie, and SameSite=Strict keeps
// the browser from sending ours on a cross-site POST).
const cookieName = "vvgintake_form"

const (
	nonceLen  = 16
	macLen    = sha256.Size
	tokenLen  = nonceLen + 8 + macLen
	cookieLen = 16
)

// Why a token was refused; each maps to a page and a log reason.
var (
	errFormTokenMissing = errors.New("token missing")
	errFormTokenInvalid = errors.New("token invalid")
	errFormTokenExpired = errors.New("token expired")
	errFormNoCookie     = errors.New("cookie missing")
)

// csrfGuard issues and checks the form's tokens. A token is
// nonce ‖ issued (Unix ms) ‖ HMAC-SHA256(key, slug, issued, nonce, cookie):
// bound to the consultation, the time the form was served and the
// browser's cookie. The nonce makes it single-use (see seenTokens).
type csrfGuard struct {
	key []byte
}

// csrfToken is a checked token.
type csrfToken struct {
	Nonce  string
	Issued time.Time
}

// newCookie returns a fresh random cookie value.
func (c csrfGuard) newCookie() string {
	b := make([]byte, cookieLen)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// issue returns a token for slug served at issued to the holder of cookie.
func (c csrfGuard) issue(slug, cookie string, issued time.Time) string {
	b := make([]byte, tokenLen)
	_, _ = rand.Read(b[:nonceLen])
	binary.BigEndian.PutUint64(b[nonceLen:], uint64(issued.UnixMilli()))
	copy(b[nonceLen+8:], c.mac(slug, cookie, b[:nonceLen+8]))
	return base64.RawURLEncoding.EncodeToString(b)
}

// check verifies tok for slug and cookie at now.
func (c csrfGuard) check(tok, slug, cookie string, now time.Time) (csrfToken, error) {
	if tok == "" {
		return csrfToken{}, errFormTokenMissing
	}
	if cookie == "" {
		return csrfToken{}, errFormNoCookie
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != tokenLen {
		return csrfToken{}, errFormTokenInvalid
	}
	if !hmac.Equal(b[nonceLen+8:], c.mac(slug, cookie, b[:nonceLen+8])) {
		return csrfToken{}, errFormTokenInvalid
	}
	ms := binary.BigEndian.Uint64(b[nonceLen:])
	issued := time.UnixMilli(int64(ms))
	// A token from the future was not ours unless the clock went back;
	// allow a minute of that.
	if issued.After(now.Add(time.Minute)) {
		return csrfToken{}, errFormTokenInvalid
	}
	if now.Sub(issued) > tokenTTL {
		return csrfToken{}, errFormTokenExpired
	}
	return csrfToken{Nonce: base64.RawURLEncoding.EncodeToString(b[:nonceLen]), Issued: issued}, nil
}

// mac binds head (nonce and issue time) to slug and cookie. The fields are
// length-prefixed so no two (slug, cookie) pairs share an input.
func (c csrfGuard) mac(slug, cookie string, head []byte) []byte {
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

// cookieValue returns the request's cookie, or "" when it has none or
// a malformed one.
func cookieValue(r *http.Request) string {
	ck, err := r.Cookie(cookieName)
	if err != nil {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil || len(b) != cookieLen {
		return ""
	}
	return ck.Value
}

// setFormCookie sends the double-submit cookie: HttpOnly (no script needs
// it), SameSite=Strict (never sent on a cross-site POST), and Secure when
// the page came over TLS, directly or through the trusted proxy.
func setFormCookie(w http.ResponseWriter, value string, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteStrictMode,
	})
}
