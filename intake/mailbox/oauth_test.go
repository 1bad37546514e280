package mailbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// tokenEndpoint is a local RFC 6749 token endpoint for the refresh grant.
type tokenEndpoint struct {
	mu        sync.Mutex
	status    int  // answer this instead of a token when not 0
	expiresIn int  // seconds; oauth2 treats < 10 s as already expired
	rotate    bool // issue a new refresh token each time
	issued    []string
	refreshes []string // refresh tokens presented
	revoked   map[string]bool
}

func (e *tokenEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := r.ParseForm(); err != nil || r.Form.Get("grant_type") != "refresh_token" {
		http.Error(w, `{"error":"unsupported_grant_type"}`, http.StatusBadRequest)
		return
	}
	e.refreshes = append(e.refreshes, r.Form.Get("refresh_token"))
	w.Header().Set("Content-Type", "application/json")
	if e.status != 0 {
		w.WriteHeader(e.status)
		fmt.Fprint(w, `{"error":"invalid_grant","error_description":"Token has been expired or revoked."}`)
		return
	}
	tok := fmt.Sprintf("at-%d", len(e.issued)+1)
	e.issued = append(e.issued, tok)
	resp := map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": e.expiresIn}
	if e.rotate {
		resp["refresh_token"] = fmt.Sprintf("rt-%d", len(e.issued))
	}
	json.NewEncoder(w).Encode(resp)
}

// valid reports whether tok is the newest unrevoked access token.
func (e *tokenEndpoint) valid(_, tok string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.issued) > 0 && tok == e.issued[len(e.issued)-1] && !e.revoked[tok]
}

func TestPollerOAuth(t *testing.T) {
	for _, mech := range []string{AuthOAuthBearer, AuthXOAuth2} {
		t.Run(mech, func(t *testing.T) {
			setup := func(t *testing.T, e *tokenEndpoint) (*Poller, *imapSink, *intaketest.Server, *imapLogs) {
				ts := httptest.NewServer(e)
				t.Cleanup(ts.Close)
				s := intaketest.StartMemoryWith(t, intaketest.MemoryOptions{Token: e.valid})
				s.Append(t, "INBOX", intaketest.Message("oauth", 1), imapTestDate)
				logs := newIMAPLogs(t)
				sink := newIMAPSink()
				opt := pollerOpts(t, s, logs)
				opt.Password, opt.Auth = "", mech
				opt.TokenSource = OAuthConfig{TokenURL: ts.URL, ClientID: "vvg", ClientSecret: "s", RefreshToken: "rt-0"}.TokenSource(context.Background())
				return newTestPoller(t, opt, sink), sink, s, logs
			}
			ctx := context.Background()

			t.Run("fresh token for each login", func(t *testing.T) {
				e := &tokenEndpoint{expiresIn: 1, rotate: true}
				p, sink, s, _ := setup(t, e)
				before := s.AuthAttempts() // the harness's own APPEND login
				for i := 0; i < 2; i++ {
					if err := p.SyncOnce(ctx); err != nil {
						t.Fatalf("SyncOnce %d: %v", i, err)
					}
				}
				if logins := s.AuthAttempts() - before; sink.count() != 1 || logins != 2 {
					t.Errorf("recorded %d, %d logins; want 1 message, 2 logins", sink.count(), logins)
				}
				if want := []string{"rt-0", "rt-1"}; !slices.Equal(e.refreshes, want) {
					t.Errorf("refresh tokens presented %v, want %v (rotation followed)", e.refreshes, want)
				}
			})

			t.Run("token refused by the server is refreshed", func(t *testing.T) {
				e := &tokenEndpoint{expiresIn: 3600, revoked: map[string]bool{"at-1": true}}
				p, sink, _, _ := setup(t, e)
				if err := p.SyncOnce(ctx); !errors.Is(err, ErrAuth) {
					t.Fatalf("SyncOnce with a revoked token = %v, want ErrAuth", err)
				}
				if !p.Health().AuthFailing {
					t.Errorf("AuthFailing = false after a refused token")
				}
				if err := p.SyncOnce(ctx); err != nil {
					t.Fatalf("SyncOnce after refresh: %v", err)
				}
				if len(e.issued) != 2 || sink.count() != 1 || p.Health().AuthFailing {
					t.Errorf("issued %v, recorded %d, health %+v; want a second token, 1 message, AuthFailing cleared", e.issued, sink.count(), p.Health())
				}
			})

			t.Run("token endpoint refuses the grant", func(t *testing.T) {
				e := &tokenEndpoint{status: http.StatusBadRequest}
				p, _, s, logs := setup(t, e)
				before := s.AuthAttempts()
				err := p.SyncOnce(ctx)
				if !errors.Is(err, ErrAuth) {
					t.Fatalf("SyncOnce() = %v, want ErrAuth", err)
				}
				if !p.Health().AuthFailing || logs.count(slog.LevelError) == 0 {
					t.Errorf("health %+v, %d errors logged; want AuthFailing and an error", p.Health(), logs.count(slog.LevelError))
				}
				if n := s.AuthAttempts() - before; n != 0 {
					t.Errorf("%d login attempts without a token, want 0", n)
				}
			})
		})
	}
}

func TestSASLClients(t *testing.T) {
	x := &xoauth2Client{user: "vvg@example.lt", token: "ya29.tok"}
	mech, ir, err := x.Start()
	if want := "user=vvg@example.lt\x01auth=Bearer ya29.tok\x01\x01"; err != nil || mech != "XOAUTH2" || string(ir) != want {
		t.Errorf("XOAUTH2 Start() = %q, %q, %v; want XOAUTH2, %q", mech, ir, err, want)
	}
	if resp, err := x.Next([]byte(`{"status":"401"}`)); err != nil || len(resp) != 0 {
		t.Errorf("XOAUTH2 Next(error) = %q, %v; want an empty response", resp, err)
	}

	b := newOAuthBearerClient("vvg@example.lt", "tok", "imap.gmail.com", "993")
	mech, ir, err = b.Start()
	if want := "n,a=vvg@example.lt,\x01host=imap.gmail.com\x01port=993\x01auth=Bearer tok\x01\x01"; err != nil || mech != "OAUTHBEARER" || string(ir) != want {
		t.Errorf("OAUTHBEARER Start() = %q, %q, %v; want %q", mech, ir, err, want)
	}
	resp, err := b.Next([]byte(`{"status":"invalid_token","schemes":"bearer"}`))
	if err != nil || string(resp) != "\x01" || b.failure != "status invalid_token" {
		t.Errorf("OAUTHBEARER Next(error) = %q, %v (failure %q); want %%x01 (RFC 7628 §3.2.3)", resp, err, b.failure)
	}
}

func TestAccessTokenErrors(t *testing.T) {
	tests := []struct {
		status   int
		wantAuth bool
	}{
		{http.StatusBadRequest, true}, // invalid_grant: revoked refresh token
		{http.StatusUnauthorized, true},
		{http.StatusTooManyRequests, false},
		{http.StatusInternalServerError, false},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			ts := httptest.NewServer(&tokenEndpoint{status: tt.status})
			defer ts.Close()
			src := OAuthConfig{TokenURL: ts.URL, RefreshToken: "rt"}.TokenSource(context.Background())
			_, err := accessTokenCtx(context.Background(), src)
			if err == nil {
				t.Fatal("accessToken() = nil error, want one")
			}
			if got := errors.Is(err, ErrAuth); got != tt.wantAuth {
				t.Errorf("errors.Is(%v, ErrAuth) = %v, want %v", err, got, tt.wantAuth)
			}
		})
	}
}

// memTokenStore is a TokenStore in memory that survives "restarts" (new
// token sources) within a test.
type memTokenStore struct {
	mu     sync.Mutex
	tokens map[string]string
}

func (m *memTokenStore) LoadRefreshToken(_ context.Context, key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tokens[key], nil
}

func (m *memTokenStore) SaveRefreshToken(_ context.Context, key, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[key] = token
	return nil
}

// TestOAuthRotationSurvivesRestart: a rotated refresh token is stored,
// and the token source of the next start presents it rather than the
// configured one, which the endpoint revoked when it rotated (it was kept
// in memory only before: after a restart the login failed).
func TestOAuthRotationSurvivesRestart(t *testing.T) {
	e := &tokenEndpoint{expiresIn: 3600, rotate: true}
	ts := httptest.NewServer(e)
	t.Cleanup(ts.Close)
	store := &memTokenStore{tokens: map[string]string{}}
	cfg := OAuthConfig{TokenURL: ts.URL, ClientID: "vvg", ClientSecret: "s", RefreshToken: "rt-0", Store: store}
	if _, err := cfg.TokenSource(context.Background()).Token(); err != nil {
		t.Fatal(err)
	}
	if got := store.tokens[cfg.StoreKey()]; got != "rt-1" {
		t.Fatalf("stored refresh token %q, want the rotated rt-1", got)
	}
	// A restart: a new source from the same configuration.
	if _, err := cfg.TokenSource(context.Background()).Token(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"rt-0", "rt-1"}; !slices.Equal(e.refreshes, want) {
		t.Errorf("refresh tokens presented %v, want %v (the stored one after the restart)", e.refreshes, want)
	}
	// Staff configure a new token: it starts a new line.
	cfg.RefreshToken = "rt-new"
	if _, err := cfg.TokenSource(context.Background()).Token(); err != nil {
		t.Fatal(err)
	}
	if last := e.refreshes[len(e.refreshes)-1]; last != "rt-new" {
		t.Errorf("after configuring a new token, presented %q, want rt-new", last)
	}
}

func TestOAuthConfigCheck(t *testing.T) {
	tests := []struct {
		url  string
		want string // "" for no problem
	}{
		{"https://oauth2.googleapis.com/token", ""},
		{"http://127.0.0.1:8080/token", ""},
		{"http://localhost/token", ""},
		{"http://oauth2.googleapis.com/token", "must be https"},
		{"ftp://example.com/token", "must be https"},
		{"", "must be set"},
		{"not a url", "not a URL"},
	}
	for _, tt := range tests {
		var got string
		OAuthConfig{TokenURL: tt.url}.Check(func(_, problem string) { got = problem })
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("Check(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}
