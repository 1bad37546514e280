package console

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
)

// testPassword is every test account's password.
const testPassword = "labai-slaptas-1"

// testEnv is a console over a fresh ledger with one open consultation,
// a few suggestions, a message and an account per role.
type testEnv struct {
	t     testing.TB
	db    *ledger.DB
	pipe  *intake.Pipeline
	srv   *Server
	http  *httptest.Server
	cons  *ledger.Consultation
	refs  []string
	msgID int64
	users map[string]*ledger.User // by role
	now   time.Time
}

// testMeasures are the Aleksotas measures by code.
func testMeasures(t testing.TB) ([]Measure, []classify.Measure, []classify.Example) {
	ex, err := classify.ShippedExamples("aleksotas")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, e := range ex {
		if !slices.Contains(codes, e.Label) {
			codes = append(codes, e.Label)
		}
	}
	slices.Sort(codes)
	var ms []Measure
	var cms []classify.Measure
	for _, c := range codes {
		ms = append(ms, Measure{Code: c, Title: "Priemonė " + c, TitleEN: "Measure " + c})
		cms = append(cms, classify.Measure{Code: c, Title: "Priemonė " + c})
	}
	return ms, cms, ex
}

// shipped is the classifier trained on the shipped examples once per test
// binary: seconds under -race, which every test would pay again.
var shipped struct {
	once sync.Once
	clf  *classify.Classifier
	err  error
}

// shippedClassifier returns a clone of shipped, so that what one test
// learns stays in it.
func shippedClassifier(t testing.TB, cms []classify.Measure, ex []classify.Example) *classify.Classifier {
	t.Helper()
	shipped.once.Do(func() { shipped.clf, shipped.err = classify.New(cms, ex, classify.Options{}) })
	if shipped.err != nil {
		t.Fatal(shipped.err)
	}
	return shipped.clf.Clone()
}

func newTestEnv(t testing.TB, clf *classify.Classifier) *testEnv {
	t.Helper()
	ctx := context.Background()
	env := &testEnv{t: t, users: map[string]*ledger.User{}, now: time.Now()}
	db, err := ledger.Open(ctx, filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{MessageIDDomain: "vvg.test",
		Search: classify.SearchWords})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	env.db = db
	ms, cms, ex := testMeasures(t)
	if clf == nil {
		clf = shippedClassifier(t, cms, ex)
	}
	env.pipe = intake.New(db, intake.OneStrategy(clf), intake.Options{Mailbox: "vvg@vvg.test", Acknowledge: true})
	c := &ledger.Consultation{Slug: "strategija", Title: "Strategijos keitimas",
		OpensAt: env.now.AddDate(0, 0, -10), ClosesAt: env.now.AddDate(0, 0, 10)}
	if err := db.CreateConsultation(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	if c, err = db.SetConsultationStatus(ctx, c.Slug, ledger.StatusOpen, "test"); err != nil {
		t.Fatal(err)
	}
	env.cons = c
	for _, text := range []string{
		"Siūlome daugiau savanorių talkų Aleksoto parke ir savanorystės mokymų jaunimui.",
		"Reikia kompiuterinio raštingumo kursų senjorams bibliotekoje.",
		"Please add more bike lanes.",
	} {
		s, err := env.pipe.AddStaff(ctx, intake.StaffEntry{Consultation: c, Name: "Ona Petraitienė", Email: "ona@example.lt",
			Text: text, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		env.refs = append(env.refs, s.Ref)
	}
	raw := fmt.Sprintf("From: Jonas <jonas@example.lt>\r\nTo: vvg@vvg.test\r\nSubject: Sveiki\r\nDate: %s\r\n"+
		"Message-ID: <m1@example.lt>\r\nAuto-Submitted: auto-replied\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"Esu atostogose.\r\n", env.now.Add(-time.Hour).Format(time.RFC1123Z))
	res, _, err := env.pipe.Ingest(ctx, []byte(raw), &intake.Origin{Source: intake.SourceImport, File: "m1.eml"})
	if err != nil {
		t.Fatal(err)
	}
	env.msgID = res.MessageRow
	srv, err := New(Options{OrgName: "Test VVG", Measures: ms}, Deps{DB: db, Pipeline: env.pipe})
	if err != nil {
		t.Fatal(err)
	}
	env.srv = srv
	env.http = httptest.NewServer(srv.Handler())
	t.Cleanup(env.http.Close)
	for _, role := range []string{ledger.RoleAdmin, ledger.RoleStaff, ledger.RoleBoard} {
		u, _, err := AddUser(ctx, db, env.http.URL, role+"@vvg.test", role, "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := SetPasswordNow(ctx, db, u.ID, testPassword, "test"); err != nil {
			t.Fatal(err)
		}
		env.users[role] = u
	}
	return env
}

// client is a browser: a cookie jar that does not follow redirects.
type client struct {
	*http.Client
	env  *testEnv
	csrf string
}

func (env *testEnv) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{env: env, Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get fetches path and returns the status and body, remembering the
// page's CSRF token.
func (c *client) get(path string) (int, string) {
	c.env.t.Helper()
	resp, err := c.Get(c.env.http.URL + path)
	if err != nil {
		c.env.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, string(b)
}

// post sends a form; the CSRF token goes with it when withCSRF.
func (c *client) post(path string, form url.Values, withCSRF bool) (int, string, *http.Response) {
	c.env.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if withCSRF {
		form.Set("csrf", c.csrf)
	}
	resp, err := c.PostForm(c.env.http.URL+path, form)
	if err != nil {
		c.env.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

// login logs in as email and fails the test unless it works.
func (c *client) login(email string) {
	c.env.t.Helper()
	if code, body := c.tryLogin(email, testPassword); code != http.StatusSeeOther {
		c.env.t.Fatalf("login %s: got %d, want 303\n%s", email, code, body)
	}
	c.get("/")
}

func (c *client) tryLogin(email, pw string) (int, string) {
	c.env.t.Helper()
	c.get("/login")
	code, body, _ := c.post("/login", url.Values{"email": {email}, "password": {pw}}, true)
	return code, body
}

// sessionCookie returns the client's session cookie value.
func (c *client) session() string {
	u, _ := url.Parse(c.env.http.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	return ""
}

// fill puts real values into a route pattern.
func (env *testEnv) fill(pattern string) string {
	outbox, _ := env.db.ListOutbox(context.Background(), "", 1)
	oid := "1"
	if len(outbox) > 0 {
		oid = fmt.Sprint(outbox[0].ID)
	}
	r := strings.NewReplacer("{ref}", env.refs[0], "{n}", "1", "{slug}", env.cons.Slug, "{file}", "console.css", "{format}", "pdf",
		"{$}", "")
	p := r.Replace(pattern)
	switch {
	case strings.HasPrefix(pattern, "/m/"):
		p = strings.Replace(p, "{id}", fmt.Sprint(env.msgID), 1)
	case strings.Contains(pattern, "/themes/{id}"):
		g, err := env.db.Grouping(context.Background(), env.refs[0])
		if err != nil || g.Theme == 0 {
			env.t.Fatalf("%s: %s is in no theme (%v)", pattern, env.refs[0], err)
		}
		p = strings.Replace(p, "{id}", fmt.Sprint(g.Theme), 1)
	case strings.HasPrefix(pattern, "/users/"):
		p = strings.Replace(p, "{id}", fmt.Sprint(env.users[ledger.RoleStaff].ID), 1)
	default:
		p = strings.Replace(p, "{id}", oid, 1)
	}
	if pattern == "/submissions/export" {
		p += "?format=xlsx"
	}
	return p
}
