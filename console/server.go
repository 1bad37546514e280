package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/results"
	"github.com/vvgintake/vvgintake/privacy"
	"github.com/vvgintake/vvgintake/web"
)

// Deps are the parts of vvgintake the console works through.
type Deps struct {
	DB       *ledger.DB
	Pipeline *intake.Pipeline
	// ClosingReport returns the outbox items to queue when a consultation
	// is closed by hand (notify.Recipients.ClosingReport).
	ClosingReport func(slug string) []*ledger.OutboxItem
	// Kick wakes the outbox sender after a retry or an acknowledgement;
	// nil when nothing sends.
	Kick func()
	// ResultsReport returns the outbox items to queue when a
	// consultation's results are published (notify.Recipients.Results).
	ResultsReport func(slug string) []*ledger.OutboxItem
	// Results says how the results table is made (the sender's
	// ResultsOptions: the organisation, the measures, the public URL).
	Results results.Options
	// Records finds, exports and erases a person's data (admin); nil
	// makes one over DB that leaves mailbox copies to staff.
	Records *privacy.Records
}

// Server is the staff console. It is safe for concurrent use; all its
// state is in the ledger.
type Server struct {
	opt     Options
	db      *ledger.DB
	pipe    *intake.Pipeline
	records *privacy.Records
	deps    Deps
	log     *slog.Logger
	trusted []netip.Prefix
	// pages are parsed on first use (page): lang/name → template.
	pagesMu   sync.Mutex
	pages     map[string]*template.Template
	pageNames map[string]bool
	pagesUsed time.Time
	static    *web.Static
	secure    bool // cookies only over TLS (BaseURL is https)
}

// New checks opt and parses the embedded templates.
func New(opt Options, deps Deps) (*Server, error) {
	var errs []error
	opt.Check(func(option, problem string) { errs = append(errs, fmt.Errorf("%s: %s", option, problem)) })
	if deps.DB == nil || deps.Pipeline == nil {
		errs = append(errs, errors.New("the ledger and the pipeline are required"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new console: %w", err)
	}
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("new console: %w", err)
	}
	s := &Server{opt: opt, db: deps.DB, pipe: deps.Pipeline, deps: deps, log: opt.Logger.With("component", "console"),
		secure: strings.HasPrefix(opt.BaseURL, "https:"), records: deps.Records}
	if s.records == nil {
		s.records = privacy.New(deps.DB, privacy.Options{Logger: s.log, Now: opt.Now})
	}
	for _, p := range opt.TrustedProxies {
		pfx, _ := parsePrefix(p)
		s.trusted = append(s.trusted, pfx)
	}
	if err := s.loadAssets(); err != nil {
		return nil, fmt.Errorf("new console: %w", err)
	}
	return s, nil
}

// Serve serves the console on ln until ctx ends, then lets requests in
// flight finish (at most 10 s). Every hour it deletes the sessions past
// their timeouts (each request checks them anyway; this keeps the table
// small).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	go s.Run(ctx)
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: time.Minute,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	done := make(chan error, 1)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done <- srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return <-done
}

// Run deletes the sessions past their timeouts every hour until ctx
// ends: Serve runs it, and so does a host that serves the console on a
// listener of its own (several VVGs' consoles on one).
func (s *Server) Run(ctx context.Context) error {
	s.expireSessions(ctx)
	return nil
}

func (s *Server) expireSessions(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		now := s.opt.Now()
		s.dropIdlePages(now)
		if n, err := s.db.ExpireSessions(ctx, now.Add(-s.opt.IdleTimeout), now.Add(-s.opt.MaxAge)); err != nil && ctx.Err() == nil {
			s.log.Warn("expire sessions", "err", err)
		} else if n > 0 {
			s.log.Info("sessions expired", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Role ranks: a route names the least role that may use it.
var roleRank = map[string]int{ledger.RoleBoard: 1, ledger.RoleStaff: 2, ledger.RoleAdmin: 3}

// Route is one entry of the console's route table.
type Route struct {
	Method, Pattern string
	// Role is the least role that may use the route; "" for the pages
	// used before logging in (login, second factor, password setup,
	// static files).
	Role string
	h    func(http.ResponseWriter, *http.Request, *request)
}

// request is one request as the handlers see it.
type request struct {
	user   *ledger.User
	sess   *ledger.Session
	lang   string
	client web.Client
}

// actor names the user in the audit log.
func (q *request) actor() string {
	if q.user == nil {
		return "console"
	}
	return q.user.Email
}

// can reports whether the user has at least role.
func (q *request) can(role string) bool {
	return q.user != nil && roleRank[q.user.Role] >= roleRank[role]
}

// param reads the record its route's {key} names with load (the
// consultation of {slug}, the suggestion of {ref}); false when it answered
// the request instead (no such record). The pages about one record start
// with it.
func param[T any](s *Server, w http.ResponseWriter, r *http.Request, q *request, key string, load func(context.Context, string) (T, error)) (T, bool) {
	v, err := load(r.Context(), r.PathValue(key))
	if err != nil {
		s.refused(w, r, q, err)
		var zero T
		return zero, false
	}
	return v, true
}

// idParam is param for a record named by its number, {id} (a user, a
// message): an id that is no number is not found, like one load does not
// find.
func idParam[T any](s *Server, w http.ResponseWriter, r *http.Request, q *request, load func(context.Context, int64) (T, error)) (T, bool) {
	return param(s, w, r, q, "id", func(ctx context.Context, v string) (T, error) {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			var zero T
			return zero, ledger.ErrNotFound
		}
		return load(ctx, id)
	})
}

// Routes lists the route table (the security test walks it).
func (s *Server) Routes() []Route {
	const (
		pub   = ""
		board = ledger.RoleBoard
		staff = ledger.RoleStaff
		admin = ledger.RoleAdmin
	)
	return []Route{
		{"GET", "/static/{file}", pub, s.serveStatic},
		{"GET", "/login", pub, s.loginPage},
		{"POST", "/login", pub, s.loginPost},
		{"GET", "/login/totp", pub, s.totpPage},
		{"POST", "/login/totp", pub, s.totpPost},
		{"GET", "/setup", pub, s.setupPage},
		{"POST", "/setup", pub, s.setupPost},
		{"POST", "/logout", board, s.logout},

		{"GET", "/{$}", board, s.home},
		{"GET", "/review", staff, s.reviewFirst},
		{"GET", "/review/{ref}", staff, s.reviewPage},
		{"POST", "/review/{ref}", staff, s.reviewPost},

		{"GET", "/submissions", board, s.listPage},
		{"GET", "/submissions/export", staff, s.exportFile},
		{"POST", "/submissions/add", staff, s.addPost},
		{"GET", "/s/{ref}", board, s.submissionPage},
		{"GET", "/s/{ref}/a/{n}", staff, s.attachmentFile},
		{"POST", "/s/{ref}/measure", staff, s.measurePost},
		{"POST", "/s/{ref}/decide", staff, s.decidePost},
		{"POST", "/s/{ref}/note", staff, s.notePost},
		{"POST", "/s/{ref}/withdraw", staff, s.withdrawPost},
		{"POST", "/s/{ref}/reinstate", staff, s.reinstatePost},
		{"POST", "/s/{ref}/split", staff, s.splitPost},
		{"POST", "/s/{ref}/merge", staff, s.mergePost},
		{"GET", "/s/{ref}/redact", staff, s.redactPage},
		{"POST", "/s/{ref}/redact", staff, s.redactPost},
		{"GET", "/s/{ref}/group", board, s.groupPage},
		{"POST", "/s/{ref}/group/decide", staff, s.groupDecidePost},
		{"POST", "/s/{ref}/detach", staff, s.detachPost},

		{"GET", "/messages", staff, s.messagesPage},
		{"GET", "/m/{id}", staff, s.messagePage},
		{"GET", "/m/{id}/raw", staff, s.rawFile},
		{"POST", "/m/{id}/assign", staff, s.assignPost},

		{"GET", "/consultations", board, s.consultationsPage},
		{"POST", "/consultations", admin, s.consultationCreate},
		{"GET", "/c/{slug}", board, s.consultationPage},
		{"GET", "/c/{slug}/chart.png", board, s.chartFile},
		{"POST", "/c/{slug}/edit", admin, s.consultationEdit},
		{"POST", "/c/{slug}/status", admin, s.consultationStatus},
		{"GET", "/c/{slug}/outcome", board, s.outcomePage},
		{"POST", "/c/{slug}/publish", admin, s.publishPost},
		{"GET", "/c/{slug}/results/{format}", board, s.resultsFile},
		{"GET", "/c/{slug}/themes", board, s.themesPage},
		{"GET", "/c/{slug}/themes/{id}", board, s.themePage},
		{"POST", "/c/{slug}/themes/{id}/rename", staff, s.themeRenamePost},
		{"POST", "/c/{slug}/themes/{id}/merge", staff, s.themeMergePost},
		{"POST", "/c/{slug}/themes/{id}/split", staff, s.themeSplitPost},
		{"POST", "/c/{slug}/themes/{id}/move", staff, s.themeMovePost},
		{"GET", "/c/{slug}/groups", board, s.groupsPage},

		{"GET", "/outbox", staff, s.outboxPage},
		{"POST", "/outbox/{id}/retry", staff, s.outboxRetry},
		{"GET", "/audit", staff, s.auditPage},

		{"GET", "/people", admin, s.peoplePage},
		{"POST", "/people/export", admin, s.exportPost},
		{"GET", "/people/erase", admin, s.erasePage},
		{"POST", "/people/erase", admin, s.erasePost},

		{"GET", "/users", admin, s.usersPage},
		{"POST", "/users", admin, s.userAdd},
		{"POST", "/users/{id}/disable", admin, s.userDisable},
		{"POST", "/users/{id}/reset", admin, s.userReset},
		{"GET", "/account", board, s.accountPage},
		{"POST", "/account/totp", board, s.totpEnable},
		{"POST", "/account/totp/off", board, s.totpDisable},
	}
}

// csp allows the console's own stylesheet, script and pictures and
// nothing else.
const csp = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Handler serves the route table; every other path is 404.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.Routes() {
		mux.Handle(rt.Method+" "+rt.Pattern, s.guard(rt))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		q := s.newRequest(w, r)
		s.fail(w, r, q, http.StatusNotFound, "Page not found.")
	})
	if s.opt.Prefix == "" {
		return web.SecurityHeaders(csp, mux)
	}
	// Under a prefix (one host's console for several VVGs, /SLUG/…) the
	// routes stay as they are: the prefix is taken off on the way in and
	// put on every redirect on the way out; templates and links add it
	// themselves (base).
	strip := http.StripPrefix(s.opt.Prefix, mux)
	return web.SecurityHeaders(csp, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == s.opt.Prefix {
			http.Redirect(w, r, s.opt.Prefix+"/", http.StatusMovedPermanently)
			return
		}
		if !strings.HasPrefix(r.URL.Path, s.opt.Prefix+"/") {
			http.NotFound(w, r)
			return
		}
		strip.ServeHTTP(&prefixed{ResponseWriter: w, prefix: s.opt.Prefix}, r)
	}))
}

// cookiePath scopes the console's cookies to its prefix, so that the
// consoles of several VVGs on one host name neither see nor overwrite
// each other's sessions.
func (s *Server) cookiePath() string { return s.opt.Prefix + "/" }

// prefixed puts the console's prefix on the redirects its handlers
// write as paths of their own ("/login", "/s/REF"). The little body
// http.Redirect writes names the path without it, so it is dropped (a
// redirect's body is optional, RFC 9110 §15.4).
type prefixed struct {
	http.ResponseWriter
	prefix string
	mute   bool
}

func (p *prefixed) WriteHeader(code int) {
	h := p.ResponseWriter.Header()
	if loc := h.Get("Location"); strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") && !strings.HasPrefix(loc, p.prefix+"/") {
		h.Set("Location", p.prefix+loc)
		h.Del("Content-Type")
		p.mute = true
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *prefixed) Write(b []byte) (int, error) {
	if p.mute {
		return len(b), nil
	}
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (p *prefixed) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// sessionCookie holds the session token.
const sessionCookie = "vvgintake_console"

// guard runs a route behind its checks: a live session for any role,
// the second factor given, the role, and on POST the session's CSRF
// token (the synchroniser-token pattern; the cookie is also SameSite=Lax,
// so a cross-site POST does not even carry it).
func (s *Server) guard(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := s.newRequest(w, r)
		if rt.Role == "" {
			rt.h(w, r, q)
			return
		}
		if !s.loadSession(r, q) {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, q, http.StatusForbidden, "Your session has ended. Log in again.")
			return
		}
		if q.sess.Pending {
			http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
			return
		}
		if !q.can(rt.Role) {
			s.fail(w, r, q, http.StatusForbidden, "Your role does not allow this.")
			return
		}
		if ref := r.PathValue("ref"); ref != "" {
			// A reference in a path came from a link of this console; one
			// the ledger cannot read (another VVG's prefix, on a host
			// serving several) names no page here.
			if _, err := s.db.Submission(r.Context(), ref); errors.Is(err, ledger.ErrInvalid) || errors.Is(err, ledger.ErrNotFound) {
				s.fail(w, r, q, http.StatusNotFound, "Not found.")
				return
			}
		}
		if r.Method == http.MethodPost {
			tok := r.PostFormValue("csrf")
			if tok == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(q.sess.CSRF)) != 1 {
				s.log.Warn("post without a valid csrf token", "path", r.URL.Path, "user", q.user.Email)
				s.fail(w, r, q, http.StatusForbidden, "The form has expired. Go back, reload the page and try again.")
				return
			}
		}
		rt.h(w, r, q)
	})
}

// newRequest reads the language and the client.
func (s *Server) newRequest(w http.ResponseWriter, r *http.Request) *request {
	q := &request{lang: s.opt.Lang, client: web.ClientVia(r, s.opt.ProxyHeader, s.trusted)}
	if l := r.URL.Query().Get("lang"); l == "lt" || l == "en" {
		q.lang = l
		http.SetCookie(w, &http.Cookie{Name: "vvgintake_lang", Value: l, Path: s.cookiePath(), MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	} else if c, err := r.Cookie("vvgintake_lang"); err == nil && (c.Value == "lt" || c.Value == "en") {
		q.lang = c.Value
	}
	return q
}

// loadSession finds the request's session and user and checks the
// timeouts; a session used within the last minute is not written again.
func (s *Server) loadSession(r *http.Request, q *request) bool {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return false
	}
	h := tokenHash(c.Value)
	sess, err := s.db.SessionByHash(r.Context(), h)
	if err != nil {
		return false
	}
	now := s.opt.Now()
	if now.Sub(sess.SeenAt) > s.opt.IdleTimeout || now.Sub(sess.CreatedAt) > s.opt.MaxAge {
		_ = s.db.DeleteSession(r.Context(), h)
		return false
	}
	u, err := s.db.UserByID(r.Context(), sess.UserID)
	if err != nil || u.Disabled {
		return false
	}
	if now.Sub(sess.SeenAt) > time.Minute {
		if err := s.db.TouchSession(r.Context(), h); err != nil {
			s.log.Warn("touch session", "err", err)
		}
	}
	q.sess, q.user = sess, u
	return true
}
