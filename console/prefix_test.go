package console

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// linkRE finds the paths a page links, posts or loads from.
var linkRE = regexp.MustCompile(`(?:href|action|src)="(/[^"]*)"`)

// TestPrefix: a console served under /aleksotas (one host's console for
// several VVGs) keeps every link, form, static file, redirect and cookie
// under its prefix, on every page of the route table; a path outside it
// is 404.
func TestPrefix(t *testing.T) {
	env := newTestEnv(t, nil)
	ms, _, _ := testMeasures(t)
	const prefix = "/aleksotas"
	srv, err := New(Options{OrgName: "Test VVG", Measures: ms, Prefix: prefix}, Deps{DB: env.db, Pipeline: env.pipe})
	if err != nil {
		t.Fatal(err)
	}
	env.http = httptest.NewServer(srv.Handler())
	t.Cleanup(env.http.Close)

	c := env.client()
	resp, err := c.Get(env.http.URL + prefix + "/submissions")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, prefix+"/login?next=") {
		t.Errorf("GET %s/submissions logged out: %d to %q, want 303 to %s/login?next=…", prefix, resp.StatusCode, loc, prefix)
	}
	c.get(prefix + "/login")
	code, body, resp := c.post(prefix+"/login", url.Values{"email": {"admin@vvg.test"}, "password": {testPassword}}, true)
	if code != http.StatusSeeOther || resp.Header.Get("Location") != prefix+"/" {
		t.Fatalf("login under %s: %d to %q, want 303 to %s/\n%s", prefix, code, resp.Header.Get("Location"), prefix, body)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie && ck.Path != prefix+"/" {
			t.Errorf("session cookie path %q, want %q", ck.Path, prefix+"/")
		}
	}
	for _, rt := range srv.Routes() {
		if rt.Method != http.MethodGet || strings.HasPrefix(rt.Pattern, "/static/") {
			continue
		}
		p := prefix + env.fill(rt.Pattern)
		t.Run(p, func(t *testing.T) {
			code, body := c.get(p)
			if code >= 400 && code != http.StatusNotFound {
				t.Fatalf("GET %s: %d", p, code)
			}
			for _, m := range linkRE.FindAllStringSubmatch(body, -1) {
				if !strings.HasPrefix(m[1], prefix+"/") {
					t.Errorf("GET %s links %q, outside %s/", p, m[1], prefix)
				}
			}
		})
	}
	if code, _ := c.get("/submissions"); code != http.StatusNotFound {
		t.Errorf("GET /submissions outside the prefix: %d, want 404", code)
	}
	if code, _ := c.get("/aleksotasx/submissions"); code != http.StatusNotFound {
		t.Errorf("GET /aleksotasx/submissions: %d, want 404", code)
	}
}
