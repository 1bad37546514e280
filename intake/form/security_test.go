package form

import (
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/logtest"
)

func TestFormSecurityHeaders(t *testing.T) {
	env := newFormTestEnv(t, nil)
	b := env.browser()
	tok := b.open(t, testSlug)
	env.clock.Advance(time.Minute)
	pages := map[string]*httptest.ResponseRecorder{
		"list":    b.get("/"),
		"form":    b.get("/k/" + testSlug),
		"receipt": b.post(t, testSlug, fieldsWith("token", tok), nil),
		"errors":  b.post(t, testSlug, fieldsWith("token", tok, "text", ""), nil),
		"closed":  b.get("/k/senoji"),
		"404":     b.get("/k/juodrastis"),
		"css":     b.get("/" + env.form.cssPath),
	}
	want := map[string]string{
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Frame-Options":         "DENY",
	}
	for name, rec := range pages {
		t.Run(name, func(t *testing.T) {
			for k, v := range want {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s: got %q, want %q", k, got, v)
				}
			}
			cc := rec.Header().Get("Cache-Control")
			if name == "css" {
				if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
					t.Errorf("css: got status %d type %q", rec.Code, rec.Header().Get("Content-Type"))
				}
				return
			}
			if cc != "no-store" {
				t.Errorf("Cache-Control: got %q, want no-store", cc)
			}
			body := withoutCounter(rec.Body.String())
			if strings.Contains(body, "<script") || strings.Contains(body, " style=") || strings.Contains(body, "javascript:") {
				t.Errorf("page has inline script or style, which the CSP forbids")
			}
		})
	}
}

// counterTag is the one script a page may load: the form's own character
// count, from its own static files.
var counterTag = regexp.MustCompile(`<script src="(\.\./)*static/counter\.js\?v=[0-9a-f]+" defer></script>`)

// withoutCounter drops the character count's script tag, so that any
// other script left in a page stands out.
func withoutCounter(body string) string { return counterTag.ReplaceAllString(body, "") }

func TestFormCookie(t *testing.T) {
	tests := []struct {
		name       string
		tls        bool
		proxy      string // TrustedProxyHeader
		header     map[string]string
		wantSecure bool
	}{
		{name: "plain http", wantSecure: false},
		{name: "tls", tls: true, wantSecure: true},
		{name: "behind a TLS proxy", proxy: "X-Forwarded-For",
			header: map[string]string{"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"}, wantSecure: true},
		{name: "proto header without a trusted proxy", header: map[string]string{"X-Forwarded-Proto": "https"}, wantSecure: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFormTestEnv(t, func(o *Options) { o.TrustedProxyHeader = tc.proxy })
			req := httptest.NewRequest(http.MethodGet, "/k/"+testSlug, nil)
			req.RemoteAddr = "127.0.0.1:5000"
			if tc.tls {
				req.TLS = &tls.ConnectionState{}
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			env.h.ServeHTTP(rec, req)
			raw := rec.Header().Get("Set-Cookie")
			for _, want := range []string{cookieName + "=", "HttpOnly", "SameSite=Strict", "Path=/"} {
				if !strings.Contains(raw, want) {
					t.Errorf("Set-Cookie %q lacks %q", raw, want)
				}
			}
			if got := strings.Contains(raw, "Secure"); got != tc.wantSecure {
				t.Errorf("Set-Cookie %q: got Secure %v, want %v", raw, got, tc.wantSecure)
			}
		})
	}
}

// TestFormEscaping: what a resident types is shown back as text, never as
// markup, on the receipt and on the re-shown form.
func TestFormEscaping(t *testing.T) {
	const evil = `<script>alert("x")</script>`
	tests := []struct {
		name   string
		fields []string
		status int
	}{
		{"receipt", []string{"text", evil, "name", evil, "email", "ona@example.lt", "consent", "yes"}, http.StatusOK},
		{"error page", []string{"text", evil, "name", evil}, http.StatusUnprocessableEntity},
		{"attribute breakout", []string{"text", evil, "name", `"><script>alert(1)</script>`, "email", `x"@y.lt`}, http.StatusUnprocessableEntity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFormTestEnv(t, nil)
			rec := env.browser().submit(t, testSlug, fieldsWith(tc.fields...), []testFile{{name: "<img src=x onerror=alert(1)>.pdf", data: pdfFile()}})
			if rec.Code != tc.status {
				t.Fatalf("got status %d, want %d", rec.Code, tc.status)
			}
			body := withoutCounter(rec.Body.String())
			if strings.Contains(body, "<script") || strings.Contains(body, "<img") {
				t.Errorf("page reflects markup unescaped:\n%s", body)
			}
			mustContain(t, body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
		})
	}
}

// TestFormLogs: refusals and receipts are logged with a reason, and
// nothing the resident wrote reaches the log at info level. The caller
// names the component (the daemon: component=form), so the form does not
// name it a second time.
func TestFormLogs(t *testing.T) {
	var logs logtest.Buffer
	env := newFormTestEnv(t, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	b := env.browser()
	secret := "Slaptas pasiūlymas apie kaimyną"
	b.submit(t, testSlug, fieldsWith("text", secret, "email", "ona@example.lt"), nil) // consent missing
	b.submit(t, testSlug, fieldsWith("text", secret, "website", "spam"), nil)
	b.submit(t, testSlug, fieldsWith("text", secret, "name", "Ona Petraitė", "email", "ona@example.lt", "consent", "yes"), nil)
	out := logs.String()
	if strings.Contains(out, "component=") {
		t.Errorf("the form names its component itself:\n%s", out)
	}
	mustContain(t, out, "reason=invalid_fields", "fields=consent", "reason=honeypot",
		`msg="suggestion received"`, "ref=VVG-2026-0001")
	for _, leak := range []string{"Slaptas", "ona@example.lt", "Petraitė"} {
		if strings.Contains(out, leak) {
			t.Errorf("log holds %q:\n%s", leak, out)
		}
	}
}
