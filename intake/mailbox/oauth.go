package mailbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"golang.org/x/oauth2"
)

// tokenTimeout bounds one request to the token endpoint.
const tokenTimeout = 30 * time.Second

// OAuthConfig describes how to turn a long-lived refresh token into access
// tokens (RFC 6749 §6), e.g. Google's https://oauth2.googleapis.com/token.
type OAuthConfig struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	RefreshToken string
	Scopes       []string // e.g. https://mail.google.com/
	// HTTPClient talks to the token endpoint; default: 30 s timeout.
	HTTPClient *http.Client
	// Store keeps the refresh token the endpoint rotates to (RFC 6749
	// §6: the old one may be revoked at once), so a restart does not go
	// back to the configured one. nil keeps it in memory only.
	Store TokenStore
}

// TokenStore keeps refresh tokens across restarts, under a key that
// names the endpoint, the client and the configured token (StoreKey).
type TokenStore interface {
	// LoadRefreshToken returns the token stored under key, "" for none.
	LoadRefreshToken(ctx context.Context, key string) (string, error)
	// SaveRefreshToken stores token under key, durably.
	SaveRefreshToken(ctx context.Context, key, token string) error
}

// StoreKey is the key of the configuration's line of refresh tokens: a
// digest of the token endpoint, the client id and the configured refresh
// token. Configuring a new token starts a new line; the secrets are not
// in the key.
func (c OAuthConfig) StoreKey() string {
	h := sha256.Sum256([]byte(c.TokenURL + "\x00" + c.ClientID + "\x00" + c.RefreshToken))
	return "oauth:" + hex.EncodeToString(h[:])
}

// Check reports what is wrong with the configuration, under the option
// names of the configuration file. The token endpoint must be https: the
// client secret and the refresh token travel in the request, and the
// access token in the answer. Only a loopback endpoint (a test's) may be
// plain http.
func (c OAuthConfig) Check(report func(option, problem string)) {
	u, err := url.Parse(c.TokenURL)
	switch {
	case c.TokenURL == "":
		report("oauth_token_url", "must be set")
	case err != nil || u.Host == "":
		report("oauth_token_url", fmt.Sprintf("%q is not a URL", c.TokenURL))
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopbackHost(u.Hostname()):
	default:
		report("oauth_token_url", fmt.Sprintf("must be https (the client secret and refresh token travel in it), got %q", c.TokenURL))
	}
}

// TokenSource returns a source of access tokens for Options.TokenSource.
// It caches a token until shortly before it expires, follows refresh-token
// rotation, and lets the poller force a refresh when the IMAP server rejects
// a token it still considers valid (revoked, or the clock is off). ctx must
// outlive the source; it is used for every refresh.
func (c OAuthConfig) TokenSource(ctx context.Context) oauth2.TokenSource {
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: tokenTimeout}
	}
	s := &oauthTokenSource{
		ctx: context.WithValue(ctx, oauth2.HTTPClient, hc),
		cfg: &oauth2.Config{
			ClientID:     c.ClientID,
			ClientSecret: c.ClientSecret,
			Endpoint:     oauth2.Endpoint{TokenURL: c.TokenURL},
			Scopes:       c.Scopes,
		},
		refresh: c.RefreshToken,
		store:   c.Store,
		key:     c.StoreKey(),
	}
	if s.store != nil {
		// The token rotated to last time, if any; a failure to read it
		// leaves the configured one, which may still work.
		if t, err := s.store.LoadRefreshToken(ctx, s.key); err == nil && t != "" {
			s.refresh = t
		}
	}
	s.invalidate()
	return s
}

// oauthTokenSource is a refresh-token source that can be told to drop its
// cached access token.
type oauthTokenSource struct {
	ctx context.Context
	cfg *oauth2.Config

	store TokenStore
	key   string

	mu      sync.Mutex
	refresh string
	src     oauth2.TokenSource
	unsaved bool // refresh was rotated to but not stored yet
}

// Token returns a valid access token, refreshing it when needed. A
// rotated refresh token is stored before the access token is handed out;
// if storing fails the access token still serves, and the next call
// tries again.
func (s *oauthTokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, err := s.src.Token()
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken != "" && tok.RefreshToken != s.refresh {
		s.refresh = tok.RefreshToken // the server rotated it (RFC 6749 §6)
		s.unsaved = true
	}
	if s.unsaved && s.store != nil {
		if err := s.store.SaveRefreshToken(s.ctx, s.key, s.refresh); err == nil {
			s.unsaved = false
		}
	}
	return tok, nil
}

// invalidate forgets the cached access token; the next Token refreshes.
func (s *oauthTokenSource) invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.src = s.cfg.TokenSource(s.ctx, &oauth2.Token{RefreshToken: s.refresh})
}

// tokenInvalidator is implemented by token sources that can drop a token
// the IMAP server refused.
type tokenInvalidator interface{ invalidate() }

// accessToken fetches a token; a 4xx from the token endpoint (invalid_grant:
// revoked or expired refresh token, wrong client) is an ErrAuth, except
// 408 and 429, which only say "not now".
func accessToken(ts oauth2.TokenSource) (string, error) {
	tok, err := ts.Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil {
			switch code := re.Response.StatusCode; {
			case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests:
			case code >= 400 && code < 500:
				return "", fmt.Errorf("%w: token endpoint: %w", ErrAuth, err)
			}
		}
		return "", fmt.Errorf("get access token: %w", err)
	}
	if tok.AccessToken == "" {
		return "", fmt.Errorf("%w: token endpoint returned no access token", ErrAuth)
	}
	return tok.AccessToken, nil
}

// accessTokenCtx is accessToken that gives up when ctx ends: a token
// source has no context of its own and a refresh may take tokenTimeout.
func accessTokenCtx(ctx context.Context, ts oauth2.TokenSource) (string, error) {
	type result struct {
		tok string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		tok, err := accessToken(ts)
		ch <- result{tok, err}
	}()
	select {
	case r := <-ch:
		return r.tok, r.err
	case <-ctx.Done():
		return "", fmt.Errorf("get access token: %w", ctx.Err())
	}
}

// xoauth2Client implements Google's XOAUTH2 SASL mechanism, which go-sasl
// does not ship (go-sasl#25): the initial response is
// "user=" user ^A "auth=Bearer " token ^A ^A.
type xoauth2Client struct {
	user, token string
	failure     string // the server's JSON error, if it sent one
}

// Start sends the whole credential as the initial response.
func (c *xoauth2Client) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

// Next answers the server's error challenge with an empty response, after
// which the server sends the tagged NO (Google's XOAUTH2 protocol).
func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	c.failure = string(challenge)
	return []byte{}, nil
}

// oauthBearerClient is go-sasl's OAUTHBEARER client with the error path of
// RFC 7628 §3.2.3: on the server's JSON error challenge it answers the dummy
// %x01 so the server can finish with a tagged NO. go-sasl returns an error
// there instead, which leaves AUTHENTICATE unanswered on the wire.
type oauthBearerClient struct {
	sasl.Client
	failure string
}

// newOAuthBearerClient builds the RFC 7628 client for user at host:port.
func newOAuthBearerClient(user, token, host, port string) *oauthBearerClient {
	p, _ := strconv.Atoi(port)
	return &oauthBearerClient{Client: sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{
		Username: user, Token: token, Host: host, Port: p,
	})}
}

// Next records the error challenge and answers %x01.
func (c *oauthBearerClient) Next(challenge []byte) ([]byte, error) {
	var e sasl.OAuthBearerError
	if json.Unmarshal(challenge, &e) == nil && e.Status != "" {
		c.failure = "status " + e.Status
	} else {
		c.failure = string(challenge)
	}
	return []byte{0x01}, nil
}
