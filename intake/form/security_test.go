package form

import (
	"bytes"
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
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
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
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
			body := rec.Body.String()
			if strings.Contains(body, "<script") || strings.Contains(body, " style=") || strings.Contains(body, "javascript:") {
				t.Errorf("page has script or inline style, which the CSP forbids")
			}
		})
	}
}

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
			body := rec.Body.String()
			if strings.Contains(body, "<script") || strings.Contains(body, "<img") {
				t.Errorf("page reflects markup unescaped:\n%s", body)
			}
			mustContain(t, body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
		})
	}
}

func TestFormPeer(t *testing.T) {
	tests := []struct {
		name, header, remote string
		values               []string
		want                 string
	}{
		{name: "no proxy header configured", remote: "203.0.113.9:1", values: []string{"198.51.100.1"}, want: "203.0.113.9"},
		{name: "right-most untrusted hop", header: "X-Forwarded-For", remote: "127.0.0.1:1",
			values: []string{"1.2.3.4, 198.51.100.1"}, want: "198.51.100.1"},
		{name: "skips our own proxies", header: "X-Forwarded-For", remote: "10.0.0.2:1",
			values: []string{"6.6.6.6, 198.51.100.1, 10.0.0.1", "192.168.1.1"}, want: "198.51.100.1"},
		{name: "header ignored from a public peer", header: "X-Forwarded-For", remote: "203.0.113.9:1",
			values: []string{"198.51.100.1"}, want: "203.0.113.9"},
		{name: "all hops internal", header: "X-Forwarded-For", remote: "127.0.0.1:1",
			values: []string{"10.1.1.1, 10.0.0.1"}, want: "10.1.1.1"},
		{name: "garbage stops the walk", header: "X-Forwarded-For", remote: "127.0.0.1:1",
			values: []string{"198.51.100.1, nonsense, 10.0.0.1"}, want: "10.0.0.1"},
		{name: "no header sent", header: "X-Forwarded-For", remote: "127.0.0.1:1", want: "127.0.0.1"},
		{name: "ipv6 with port", header: "X-Forwarded-For", remote: "[::1]:1", values: []string{"[2001:db8::1]:443"}, want: "2001:db8::1"},
		{name: "rfc 7239", header: "Forwarded", remote: "127.0.0.1:1",
			values: []string{`for=192.0.2.60;proto=https, for="[2001:db8:cafe::17]:4711"`}, want: "2001:db8:cafe::17"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &Server{opt: Options{TrustedProxyHeader: tc.header}}
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tc.remote
			name := tc.header
			if name == "" {
				name = "X-Forwarded-For"
			}
			for _, v := range tc.values {
				req.Header.Add(name, v)
			}
			if got := f.peer(req).IP; got != netip.MustParseAddr(tc.want) {
				t.Errorf("got %v, want %s", got, tc.want)
			}
		})
	}
}

func TestFormRateKey(t *testing.T) {
	tests := []struct{ ip, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
	}
	for _, tc := range tests {
		t.Run(tc.ip, func(t *testing.T) {
			if got := (peerInfo{IP: netip.MustParseAddr(tc.ip)}).rateKey(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// syncBuffer is a log sink safe for the handler's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestFormLogs: refusals and receipts are logged with component=form and
// a reason, and nothing the resident wrote reaches the log at info level.
func TestFormLogs(t *testing.T) {
	var logs syncBuffer
	env := newFormTestEnv(t, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	b := env.browser()
	secret := "Slaptas pasiūlymas apie kaimyną"
	b.submit(t, testSlug, fieldsWith("text", secret, "email", "ona@example.lt"), nil) // consent missing
	b.submit(t, testSlug, fieldsWith("text", secret, "website", "spam"), nil)
	b.submit(t, testSlug, fieldsWith("text", secret, "name", "Ona Petraitė", "email", "ona@example.lt", "consent", "yes"), nil)
	out := logs.String()
	mustContain(t, out, "component=form", "reason=invalid_fields", "fields=consent", "reason=honeypot",
		`msg="suggestion received"`, "ref=VVG-2026-0001")
	for _, leak := range []string{"Slaptas", "ona@example.lt", "Petraitė"} {
		if strings.Contains(out, leak) {
			t.Errorf("log holds %q:\n%s", leak, out)
		}
	}
}
