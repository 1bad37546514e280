package mailbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
	}
	s.invalidate()
	return s
}

// oauthTokenSource is a refresh-token source that can be told to drop its
// cached access token.
type oauthTokenSource struct {
	ctx context.Context
	cfg *oauth2.Config

	mu      sync.Mutex
	refresh string
	src     oauth2.TokenSource
}

// Token returns a valid access token, refreshing it when needed.
func (s *oauthTokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, err := s.src.Token()
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken != "" {
		s.refresh = tok.RefreshToken // the server rotated it (RFC 6749 §6)
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
