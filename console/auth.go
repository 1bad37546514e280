package console

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"image/png"
	"net/http"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/vvgintake/vvgintake/ledger"
)

// Login throttling: ten wrong passwords in a row for one account, or
// fifty from one client (a /64 for IPv6), hold that account or client
// back for a quarter of an hour. The counts live in the ledger, so a
// restart does not reset them.
const (
	accountLimit = 10
	clientLimit  = 50
	lockFor      = 15 * time.Minute
)

// loginCookie is the double-submit token of the login form: there is no
// session yet to hold one, and a login forged from another site would
// log the victim into the attacker's account.
const loginCookie = "vvgintake_login"

type loginData struct {
	Token, Email, Next, Error string
	Notice                    string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, q *request) {
	d := loginData{Next: safeNext(r.URL.Query().Get("next"))}
	switch {
	case r.URL.Query().Has("bye"):
		d.Notice = tr(q.lang, "You have logged out.")
	case r.URL.Query().Has("set"):
		d.Notice = tr(q.lang, "Your password is set. Log in with it.")
	}
	s.renderLogin(w, r, q, http.StatusOK, d)
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, q *request, status int, d loginData) {
	d.Token = newToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: d.Token, Path: s.opt.Prefix + "/login", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode})
	s.render(w, r, q, status, "login", "Log in", d)
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	d := loginData{Email: email, Next: safeNext(r.PostFormValue("next"))}
	c, err := r.Cookie(loginCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		d.Error = tr(q.lang, "The form has expired. Go back, reload the page and try again.")
		s.renderLogin(w, r, q, http.StatusForbidden, d)
		return
	}
	userKey, ipKey := "user:"+email, "ip:"+q.client.RateKey()
	for _, k := range []string{userKey, ipKey} {
		until, err := s.db.LoginLock(ctx, k)
		if err != nil {
			s.fail(w, r, q, http.StatusInternalServerError, "Something went wrong. Try again.")
			return
		}
		if !until.IsZero() {
			d.Error = tr(q.lang, "Too many failed attempts. Try again after %s.", until.In(s.opt.Loc).Format("15:04"))
			s.renderLogin(w, r, q, http.StatusTooManyRequests, d)
			return
		}
	}
	u, err := s.db.UserByEmail(ctx, email)
	ok := err == nil && !u.Disabled && u.PasswordHash != "" && CheckPassword(u.PasswordHash, r.PostFormValue("password"))
	if err != nil {
		// Spend the time a check would, so the answer's delay does not
		// tell which addresses have accounts.
		CheckPassword(dummyHash, r.PostFormValue("password"))
	}
	if !ok {
		if err := s.db.LoginFailed(ctx, map[string]int{userKey: accountLimit, ipKey: clientLimit}, lockFor); err != nil {
			s.log.Error("count failed login", "err", err)
		}
		s.log.Info("login failed", "email", email, "client", q.client.IP.String())
		d.Error = tr(q.lang, "Wrong e-mail address or password.")
		s.renderLogin(w, r, q, http.StatusUnauthorized, d)
		return
	}
	if err := s.db.LoginSucceeded(ctx, userKey); err != nil {
		s.log.Error("clear failed logins", "err", err)
	}
	s.startSession(w, r, q, u, d.Next)
}

// dummyHash is checked against when the account does not exist.
var dummyHash = HashPassword("not a password anybody has")

// startSession ends any session the browser had and starts a new one
// under a new token (a token planted before login is worth nothing
// after it), pending the second factor when the user has one.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, q *request, u *ledger.User, next string) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		_ = s.db.DeleteSession(r.Context(), tokenHash(c.Value))
	}
	tok := newToken()
	sess := &ledger.Session{TokenHash: tokenHash(tok), UserID: u.ID, CSRF: newToken(), Pending: u.TOTPSecret != ""}
	if err := s.db.CreateSession(r.Context(), sess); err != nil {
		s.log.Error("create session", "err", err)
		s.fail(w, r, q, http.StatusInternalServerError, "Something went wrong. Try again.")
		return
	}
	s.setSessionCookie(w, r, q, tok)
	s.log.Info("logged in", "user", u.Email, "client", q.client.IP.String())
	if sess.Pending {
		http.Redirect(w, r, "/login/totp?next="+urlQueryEscape(next), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, q *request, tok string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: s.cookiePath(), HttpOnly: true,
		Secure: s.secure || q.client.Secure, SameSite: http.SameSiteLaxMode, MaxAge: int(s.opt.MaxAge.Seconds())})
}

// safeNext keeps a redirect after login on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, q *request) {
	_ = s.db.DeleteSession(r.Context(), q.sess.TokenHash)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: s.cookiePath(), MaxAge: -1, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login?bye=1", http.StatusSeeOther)
}

// pendingSession is the session waiting for its second factor.
func (s *Server) pendingSession(r *http.Request, q *request) bool {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return false
	}
	sess, err := s.db.SessionByHash(r.Context(), tokenHash(c.Value))
	if err != nil || !sess.Pending || s.opt.Now().Sub(sess.CreatedAt) > 10*time.Minute {
		return false
	}
	u, err := s.db.UserByID(r.Context(), sess.UserID)
	if err != nil || u.Disabled {
		return false
	}
	q.sess, q.user = sess, u
	return true
}

type totpData struct{ Next, Error, CSRF string }

func (s *Server) totpPage(w http.ResponseWriter, r *http.Request, q *request) {
	if !s.pendingSession(r, q) {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.render(w, r, q, http.StatusOK, "totp", "Second factor", totpData{Next: safeNext(r.URL.Query().Get("next")), CSRF: q.sess.CSRF})
}

func (s *Server) totpPost(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	if !s.pendingSession(r, q) {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	// The pending session's token is the form's CSRF token.
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(q.sess.CSRF)) != 1 {
		s.fail(w, r, q, http.StatusForbidden, "The form has expired. Go back, reload the page and try again.")
		return
	}
	d := totpData{Next: safeNext(r.PostFormValue("next")), CSRF: q.sess.CSRF}
	userKey := "user:" + q.user.Email
	if until, _ := s.db.LoginLock(ctx, userKey); !until.IsZero() {
		d.Error = tr(q.lang, "Too many failed attempts. Try again after %s.", until.In(s.opt.Loc).Format("15:04"))
		s.render(w, r, q, http.StatusTooManyRequests, "totp", "Second factor", d)
		return
	}
	code := strings.ReplaceAll(r.PostFormValue("code"), " ", "")
	if !totp.Validate(code, q.user.TOTPSecret) {
		_ = s.db.LoginFailed(ctx, map[string]int{userKey: accountLimit}, lockFor)
		d.Error = tr(q.lang, "The code is wrong or has expired.")
		s.render(w, r, q, http.StatusUnauthorized, "totp", "Second factor", d)
		return
	}
	_ = s.db.LoginSucceeded(ctx, userKey)
	// A new token once both factors are given.
	_ = s.db.DeleteSession(ctx, q.sess.TokenHash)
	tok := newToken()
	if err := s.db.CreateSession(ctx, &ledger.Session{TokenHash: tokenHash(tok), UserID: q.user.ID, CSRF: newToken()}); err != nil {
		s.fail(w, r, q, http.StatusInternalServerError, "Something went wrong. Try again.")
		return
	}
	s.setSessionCookie(w, r, q, tok)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

type setupData struct {
	Token, Email, Error string
}

func (s *Server) setupUser(r *http.Request, tok string) (*ledger.User, error) {
	u, err := s.db.UserBySetup(r.Context(), tokenHash(tok))
	if err != nil {
		return nil, err
	}
	if s.opt.Now().After(u.SetupExpires) {
		return nil, ledger.ErrNotFound
	}
	return u, nil
}

func (s *Server) setupPage(w http.ResponseWriter, r *http.Request, q *request) {
	tok := r.URL.Query().Get("token")
	u, err := s.setupUser(r, tok)
	if err != nil {
		s.fail(w, r, q, http.StatusNotFound, "This link is not valid any more. Ask an administrator for a new one.")
		return
	}
	s.render(w, r, q, http.StatusOK, "setup", "Set your password", setupData{Token: tok, Email: u.Email})
}

func (s *Server) setupPost(w http.ResponseWriter, r *http.Request, q *request) {
	tok := r.PostFormValue("token")
	u, err := s.setupUser(r, tok)
	if err != nil {
		s.fail(w, r, q, http.StatusNotFound, "This link is not valid any more. Ask an administrator for a new one.")
		return
	}
	pw, pw2 := r.PostFormValue("password"), r.PostFormValue("password2")
	d := setupData{Token: tok, Email: u.Email}
	switch {
	case len([]rune(pw)) < minPassword:
		d.Error = tr(q.lang, "The password must be at least %d characters long.", minPassword)
	case pw != pw2:
		d.Error = tr(q.lang, "The two passwords differ.")
	}
	if d.Error != "" {
		s.render(w, r, q, http.StatusBadRequest, "setup", "Set your password", d)
		return
	}
	if err := s.db.SetPassword(r.Context(), u.ID, HashPassword(pw), u.Email); err != nil {
		s.fail(w, r, q, http.StatusInternalServerError, "Something went wrong. Try again.")
		return
	}
	http.Redirect(w, r, "/login?set=1", http.StatusSeeOther)
}

type accountData struct {
	Secret, URL, QR string
	On              bool
	Error           string
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, q *request) {
	d := accountData{On: q.user.TOTPSecret != ""}
	if !d.On {
		key, err := totp.Generate(totp.GenerateOpts{Issuer: firstNonEmpty(s.opt.OrgName, "vvgintake"), AccountName: q.user.Email})
		if err != nil {
			s.fail(w, r, q, http.StatusInternalServerError, "Something went wrong. Try again.")
			return
		}
		d.Secret, d.URL, d.QR = key.Secret(), key.URL(), qrDataURL(key)
	}
	s.render(w, r, q, http.StatusOK, "account", "My account", d)
}

// qrDataURL is the key's QR code as a data: URL for the <img>.
func qrDataURL(key *otp.Key) string {
	img, err := key.Image(200, 200)
	if err != nil {
		return ""
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return ""
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}

func (s *Server) totpEnable(w http.ResponseWriter, r *http.Request, q *request) {
	secret := r.PostFormValue("secret")
	if secret == "" || !totp.Validate(strings.ReplaceAll(r.PostFormValue("code"), " ", ""), secret) {
		s.fail(w, r, q, http.StatusBadRequest, "The code is wrong or has expired.")
		return
	}
	if err := s.db.SetTOTP(r.Context(), q.user.ID, secret, q.actor()); err != nil {
		s.fail(w, r, q, http.StatusInternalServerError, "Something went wrong. Try again.")
		return
	}
	back(w, r, "/account", "totp-on")
}

func (s *Server) totpDisable(w http.ResponseWriter, r *http.Request, q *request) {
	if err := s.db.SetTOTP(r.Context(), q.user.ID, "", q.actor()); err != nil {
		s.fail(w, r, q, http.StatusInternalServerError, "Something went wrong. Try again.")
		return
	}
	back(w, r, "/account", "totp-off")
}

func firstNonEmpty(a ...string) string {
	for _, s := range a {
		if s != "" {
			return s
		}
	}
	return ""
}

// notFound maps the ledger's "not found" to a 404 page and anything else
// to a 400 with the error (a rule refused the action).
func (s *Server) refused(w http.ResponseWriter, r *http.Request, q *request, err error) {
	switch {
	case errors.Is(err, ledger.ErrNotFound):
		s.fail(w, r, q, http.StatusNotFound, "Not found.")
	case errors.Is(err, ledger.ErrState), errors.Is(err, ledger.ErrConflict):
		s.render(w, r, q, http.StatusConflict, "error", "Error", tr(q.lang, "Not possible now: %s", err.Error()))
	default:
		s.log.Warn("action refused", "path", r.URL.Path, "err", err)
		s.render(w, r, q, http.StatusBadRequest, "error", "Error", tr(q.lang, "Not done: %s", err.Error()))
	}
}
