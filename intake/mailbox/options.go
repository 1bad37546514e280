package mailbox

import (
	"cmp"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Option values for Options.TLS, .Auth and .AfterIngest.
const (
	TLSImplicit = "implicit" // TLS from the first byte, port 993 (RFC 8314)
	TLSStartTLS = "starttls" // plaintext greeting, then STARTTLS (RFC 3501 §6.2.1)
	TLSNone     = "none"     // plaintext; only to a loopback host with AllowInsecure

	AuthPassword    = "password"    // LOGIN, or AUTHENTICATE PLAIN under LOGINDISABLED
	AuthOAuthBearer = "oauthbearer" // RFC 7628
	AuthXOAuth2     = "xoauth2"     // Google's and Microsoft's pre-RFC 7628 mechanism

	AfterNone    = "none"    // leave the message as it is
	AfterKeyword = "keyword" // add Options.Keyword to it
	AfterMove    = "move"    // UID MOVE it to Options.MoveTo
)

// Defaults applied by NewPoller to zero fields.
const (
	// DefaultAfterIngest marks what was taken in, so staff see it in their
	// mail program and nothing is lost if the ledger is restored from an
	// older backup (the keyword says what was recorded).
	DefaultAfterIngest = AfterKeyword
	DefaultKeyword     = "$VVGIngested"
	DefaultMoveTo      = "Processed"
	// DefaultGmailLabel is the Gmail label ingested mail gets, so staff
	// see in Gmail's web and phone apps what was taken in: those apps show
	// labels, not IMAP keywords.
	DefaultGmailLabel      = "vvgintake/įrašyta"
	DefaultPollInterval    = time.Minute
	DefaultFullSync        = 10 * time.Minute
	DefaultCommandTimeout  = 60 * time.Second
	DefaultMaxMessageBytes = 64 << 20 // Gmail accepts 25 MB of attachments, ~34 MB once base64-encoded
)

// Options configures one mailbox account.
type Options struct {
	Addr string // host:port
	// TLS is "implicit" (993), "starttls" or "none" (plaintext: refused
	// unless AllowInsecure and the host is loopback). Default "implicit".
	TLS           string
	AllowInsecure bool
	TLSConfig     *tls.Config // optional (tests use a self-signed CA)

	Username, Password string
	// Auth is "password" (default), "oauthbearer" or "xoauth2".
	Auth string
	// TokenSource gives access tokens for the oauth mechanisms; see
	// OAuthConfig.TokenSource.
	TokenSource oauth2.TokenSource

	Folders []string // default ["INBOX"]
	// AfterIngest is what happens to a message once the Sink committed it:
	// "none", "keyword" (default) or "move".
	AfterIngest string
	Keyword     string // default "$VVGIngested"
	MoveTo      string // default "Processed" (created if missing)
	// GmailLabel is added, with the keyword, when the server is Gmail
	// (X-GM-EXT-1); "-" adds none. Default DefaultGmailLabel.
	GmailLabel string

	PollInterval time.Duration // used without IDLE, default 1m
	FullSync     time.Duration // periodic full sync even with IDLE, default 10m
	// CommandTimeout bounds every wait for the server, default 60s:
	// go-imap has no read timeout until a response starts (go-imap#762).
	CommandTimeout time.Duration
	// MaxMessageBytes caps Delivery.Raw; a larger message is delivered
	// truncated, never skipped. Default 64 MiB.
	MaxMessageBytes int64

	Logger *slog.Logger
	Now    func() time.Time
}

// withDefaults returns a copy of opt with zero fields filled in.
func (opt Options) withDefaults() Options {
	opt.TLS = cmp.Or(opt.TLS, TLSImplicit)
	opt.Auth = cmp.Or(opt.Auth, AuthPassword)
	if len(opt.Folders) == 0 {
		opt.Folders = []string{"INBOX"}
	} else {
		opt.Folders = append([]string(nil), opt.Folders...)
	}
	opt.AfterIngest = cmp.Or(opt.AfterIngest, DefaultAfterIngest)
	opt.Keyword = cmp.Or(opt.Keyword, DefaultKeyword)
	opt.MoveTo = cmp.Or(opt.MoveTo, DefaultMoveTo)
	opt.GmailLabel = cmp.Or(opt.GmailLabel, DefaultGmailLabel)
	opt.PollInterval = cmp.Or(opt.PollInterval, DefaultPollInterval)
	opt.FullSync = cmp.Or(opt.FullSync, DefaultFullSync)
	opt.CommandTimeout = cmp.Or(opt.CommandTimeout, DefaultCommandTimeout)
	opt.MaxMessageBytes = cmp.Or(opt.MaxMessageBytes, DefaultMaxMessageBytes)
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return opt
}

// Account names the mailbox as the Sink and the health records know it:
// "user@host:port".
func (opt Options) Account() string { return opt.Username + "@" + opt.Addr }

// validate reports every problem at once, each prefixed with its option.
func (opt *Options) validate() error {
	var errs []error
	opt.Check(func(option, problem string) { errs = append(errs, fmt.Errorf("%s: %s", option, problem)) })
	return errors.Join(errs...)
}

// Check reports every problem with the options (defaults applied first),
// each under the option's name as the configuration's [imap] section
// spells it. NewPoller and the configuration check both run it, so they
// cannot disagree.
func (opt Options) Check(report func(option, problem string)) {
	opt = opt.withDefaults()
	bad := func(field, format string, args ...any) { report(field, fmt.Sprintf(format, args...)) }

	host, port, err := net.SplitHostPort(opt.Addr)
	if err != nil || host == "" {
		bad("addr", "must be host:port, got %q", opt.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		bad("addr", "port must be 1-65535, got %q", port)
	}

	switch opt.TLS {
	case TLSImplicit, TLSStartTLS:
	case TLSNone:
		// Without TLS the password and every resident's mail cross the
		// network in clear; only a loopback test server may have that.
		if !opt.AllowInsecure {
			bad("tls", `"none" needs allow_insecure`)
		}
		if host != "" && !isLoopbackHost(host) {
			bad("tls", `"none" is refused for non-loopback host %q`, host)
		}
	default:
		bad("tls", `must be "implicit", "starttls" or "none", got %q`, opt.TLS)
	}

	if opt.Username == "" {
		bad("username", "must be set")
	}
	switch opt.Auth {
	case AuthPassword:
		if opt.Password == "" {
			bad("password", "must be set for auth \"password\"")
		}
	case AuthOAuthBearer, AuthXOAuth2:
		if opt.TokenSource == nil {
			bad("token_source", "must be set for auth %q", opt.Auth)
		}
	default:
		bad("auth", `must be "password", "oauthbearer" or "xoauth2", got %q`, opt.Auth)
	}

	seen := make(map[string]bool)
	for _, f := range opt.Folders {
		switch {
		case strings.TrimSpace(f) == "":
			bad("folders", "empty folder name")
		case seen[f]:
			bad("folders", "%q listed twice", f)
		}
		seen[f] = true
	}

	switch opt.AfterIngest {
	case AfterNone:
	case AfterKeyword, AfterMove:
		if err := checkKeyword(opt.Keyword); err != nil {
			bad("keyword", "%v", err)
		}
		if opt.AfterIngest == AfterMove && strings.ContainsAny(opt.MoveTo, "*%") {
			// LIST wildcards (RFC 3501 §6.3.8): the existence check would lie.
			bad("move_to", "%q contains a LIST wildcard (* or %%)", opt.MoveTo)
		}
		if opt.AfterIngest == AfterMove && seen[opt.MoveTo] {
			// Moving into a watched folder would feed every message back in.
			bad("move_to", "%q is also in folders", opt.MoveTo)
		}
	default:
		bad("after_ingest", `must be "none", "keyword" or "move", got %q`, opt.AfterIngest)
	}
	if opt.GmailLabel != "-" {
		if strings.ContainsAny(opt.GmailLabel, "*%") {
			bad("gmail_label", "%q contains a LIST wildcard (* or %%)", opt.GmailLabel)
		}
		if seen[opt.GmailLabel] {
			// In Gmail a label is a folder: one that is watched would
			// feed every labelled message back in.
			bad("gmail_label", "%q is also in folders", opt.GmailLabel)
		}
	}

	for _, d := range []struct {
		field string
		v     time.Duration
	}{{"poll_interval", opt.PollInterval}, {"full_sync", opt.FullSync}, {"command_timeout", opt.CommandTimeout}} {
		if d.v < 0 {
			bad(d.field, "must be positive, got %v", d.v)
		}
	}
	if opt.MaxMessageBytes < 0 {
		bad("max_message_bytes", "must be positive, got %d", opt.MaxMessageBytes)
	}
}

// checkKeyword accepts an IMAP flag-keyword (RFC 3501 §9: an atom). System
// flags are refused: staff read the mailbox in Gmail, so \Seen and friends
// are theirs, never ours.
func checkKeyword(kw string) error {
	if kw == "" {
		return errors.New("must be set")
	}
	if strings.HasPrefix(kw, `\`) {
		return fmt.Errorf("%q is a system flag; use a keyword such as %q", kw, DefaultKeyword)
	}
	for _, r := range kw {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`(){%*"\]`, r) {
			return fmt.Errorf("%q is not an IMAP atom (no spaces, controls, non-ASCII or (){%%*\"\\])", kw)
		}
	}
	return nil
}

// isLoopbackHost reports whether host is a loopback literal or "localhost".
// Other names are refused even if they resolve to 127.0.0.1 today: DNS may
// say otherwise tomorrow.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
