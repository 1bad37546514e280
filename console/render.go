package console

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/web"

	"github.com/vvgintake/vvgintake/internal/excerpt"
)

//go:embed templates
var assets embed.FS

// page is what every template gets.
type page struct {
	Title   string
	Lang    string
	Nav     string
	User    *ledger.User
	CSRF    string
	Flash   string
	Error   string
	LangURL string // this page in the other language
	Staff   bool   // may change things
	Admin   bool
	Emails  bool              // may see e-mail addresses (not the board)
	Static  map[string]string // file → versioned URL
	Data    any
}

// loadAssets indexes the static files and the pages. A page is parsed
// with the layout, per language, when first shown (page): one host may
// serve sixty VVGs' consoles, most of them idle, and every page parsed
// costs about 3 MB a console.
func (s *Server) loadAssets() error {
	static, err := web.LoadStatic(assets, "templates/static")
	if err != nil {
		return err
	}
	s.static = static
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return err
	}
	s.pageNames = map[string]bool{}
	for _, n := range names {
		if name := strings.TrimSuffix(path.Base(n), ".html"); name != "layout" {
			s.pageNames[name] = true
		}
	}
	s.pages = map[string]*template.Template{}
	return nil
}

// page returns the page name in lang, parsing it on first use.
func (s *Server) page(lang, name string) (*template.Template, error) {
	s.pagesMu.Lock()
	defer s.pagesMu.Unlock()
	s.pagesUsed = s.opt.Now()
	key := lang + "/" + name
	if t := s.pages[key]; t != nil {
		return t, nil
	}
	if !s.pageNames[name] || (lang != "lt" && lang != "en") {
		return nil, fmt.Errorf("no page %s in %s", name, lang)
	}
	t, err := template.New("layout").Funcs(s.funcs(lang)).ParseFS(assets, "templates/layout.html", "templates/"+name+".html")
	if err != nil {
		return nil, fmt.Errorf("parse template %s: %w", name, err)
	}
	s.pages[key] = t
	return t, nil
}

// dropIdlePages forgets the parsed pages when none was shown for an
// hour (the next is parsed again, in milliseconds).
func (s *Server) dropIdlePages(now time.Time) {
	s.pagesMu.Lock()
	defer s.pagesMu.Unlock()
	if len(s.pages) > 0 && now.Sub(s.pagesUsed) >= time.Hour {
		s.pages = map[string]*template.Template{}
	}
}

// funcs are the template helpers in one language.
func (s *Server) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"T": func(key string, args ...any) string { return tr(lang, key, args...) },
		// base is the path the console is served under (Options.Prefix):
		// every link in a template starts with it.
		"base": func() string { return s.opt.Prefix },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "–"
			}
			return t.In(s.opt.Loc).Format("2006-01-02")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return "–"
			}
			return t.In(s.opt.Loc).Format("2006-01-02 15:04")
		},
		"day": func(t time.Time) string { return t.Format("2006-01-02") }, // a date the ledger keeps as a calendar day
		// measure names a measure as the consultation's strategy does;
		// measures lists that strategy's measures.
		"measure":  func(strategy, code string) string { return s.measureTitle(strategy, code, lang) },
		"measures": s.measuresOf,
		"strategy": func(name string) string { return s.strategyTitle(name, lang) },
		"pct":      func(f float64) string { return fmt.Sprintf("%.0f %%", f*100) },
		"decision": func(d string) string {
			return tr(lang, map[string]string{"accepted": "taken into account", "partly": "partly taken into account",
				"rejected": "not taken into account", "": "–"}[d])
		},
		"status":  func(st string) string { return tr(lang, "status:"+st) },
		"counts":  func(c ledger.ErasureCounts) string { return countsText(lang, c) },
		"kind":    func(k string) string { return tr(lang, "kind:"+k) },
		"sub":     func(a, b int) int { return a - b },
		"excerpt": func(s string, n int) string { return excerpt.Line(s, n) },
		"add":     func(a, b int) int { return a + b },
		"list":    func(a ...string) []string { return a },
		"confirmation": func(action, csrf, to, question, yes, id, cancel string) confirmation {
			return confirmation{action, csrf, to, question, yes, id, cancel}
		},
		"join": strings.Join,
		"query": func(base url.Values, kv ...string) string {
			v := url.Values{}
			for k, vs := range base {
				v[k] = vs
			}
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i+1] == "" {
					v.Del(kv[i])
				} else {
					v.Set(kv[i], kv[i+1])
				}
			}
			return v.Encode()
		},
	}
}

// confirmation is the data of the template "confirm": the form that asks
// once more before closing a consultation early or publishing results.
type confirmation struct {
	Action, CSRF string
	To           string // the "to" field, when the act takes one
	Question     string
	Yes, ID      string // the button's label and id
	Cancel       string // where "Cancel" goes
}

// measuresOf are the measures of a strategy ("" the default); none for a
// strategy no longer configured.
func (s *Server) measuresOf(strategy string) []Measure {
	if strategy == "" {
		return s.opt.Measures
	}
	for _, st := range s.opt.Strategies {
		if st.Name == strategy {
			return st.Measures
		}
	}
	return nil
}

// strategyTitle names a strategy in lang: its title, else its name; ""
// for the default.
func (s *Server) strategyTitle(name, lang string) string {
	for _, st := range s.opt.Strategies {
		if st.Name == name {
			if lang == "en" && st.TitleEN != "" {
				return st.TitleEN
			}
			return cmp.Or(st.Title, st.Name)
		}
	}
	return name
}

// measureTitle names a measure of strategy in lang ("" for an unknown
// code).
func (s *Server) measureTitle(strategy, code, lang string) string {
	for _, m := range s.measuresOf(strategy) {
		if m.Code == code {
			if lang == "en" && m.TitleEN != "" {
				return m.TitleEN
			}
			return m.Title
		}
	}
	return ""
}

// render writes a page, into a buffer first so a template error becomes
// a plain 500, never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, q *request, status int, name, title string, data any) {
	p := &page{Title: tr(q.lang, title), Lang: q.lang, User: q.user, Data: data, Static: map[string]string{}, Nav: name}
	if q.sess != nil && !q.sess.Pending {
		p.CSRF = q.sess.CSRF
	}
	if q.user != nil {
		p.Staff, p.Admin, p.Emails = q.can(ledger.RoleStaff), q.can(ledger.RoleAdmin), q.can(ledger.RoleStaff)
	}
	if f := r.URL.Query().Get("ok"); f != "" {
		p.Flash = tr(q.lang, "ok:"+f)
	}
	other := "en"
	if q.lang == "en" {
		other = "lt"
	}
	u := *r.URL
	v := u.Query()
	v.Set("lang", other)
	v.Del("ok")
	u.RawQuery = v.Encode()
	p.LangURL = s.opt.Prefix + u.RequestURI()
	for _, n := range s.static.Names() {
		p.Static[n], _ = s.static.URL(s.opt.Prefix+"/static/", n)
	}
	t, err := s.page(q.lang, name)
	if err != nil {
		s.log.Error("no such page", "page", name, "err", err)
		http.Error(w, "Vidinė klaida. Internal error.", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render page", "page", name, "err", err)
		http.Error(w, "Vidinė klaida. Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	web.NoStore(w)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows an error page with a message (an English key of texts.go).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, q *request, status int, msg string) {
	s.render(w, r, q, status, "error", "Error", tr(q.lang, msg))
}

// serveStatic serves an embedded file; there is no directory listing.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request, q *request) {
	if !s.static.Serve(w, r, r.PathValue("file")) {
		s.fail(w, r, q, http.StatusNotFound, "Page not found.")
	}
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// show ends a page's handler: the refusal when reading what the page shows
// failed (err), else the page. It keeps the read-then-render handlers to
// their one line of reading.
func (s *Server) show(w http.ResponseWriter, r *http.Request, q *request, err error, name, title string, data any) {
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusOK, name, title, data)
}

// done ends a form's handler: the refusal when the change failed (err),
// else back to the page it was made on, with flash ok.
func (s *Server) done(w http.ResponseWriter, r *http.Request, q *request, err error, to, ok string) {
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	back(w, r, to, ok)
}

// back redirects after a POST (303, so a reload does not post again).
func back(w http.ResponseWriter, r *http.Request, to, ok string) {
	if ok != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "ok=" + url.QueryEscape(ok)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
