package notify

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// SMTP transport security modes for SMTPOptions.TLS.
const (
	TLSStartTLS = "starttls" // RFC 3207, submission port 587
	TLSImplicit = "implicit" // RFC 8314 §3.3, port 465
	TLSNone     = "none"     // plaintext; loopback test servers only
)

// SMTP authentication modes for SMTPOptions.Auth.
const (
	AuthNone     = "none"
	AuthPassword = "password" // SASL PLAIN (RFC 4616), else LOGIN
	AuthXOAUTH2  = "xoauth2"  // Google/Microsoft bearer-token SASL
)

// defaultTimeout bounds each step of an SMTP session (dial, each command,
// the DATA transfer). RFC 5321 §4.5.3.2 lets servers take minutes; a
// submission server that does is broken, and the outbox will retry.
const defaultTimeout = 30 * time.Second

// SMTPOptions says how to reach the submission server.
type SMTPOptions struct {
	Host string
	Port int // 0: 587 for starttls, 465 for implicit, 25 for none

	TLS           string      // "starttls" (default), "implicit" or "none"
	AllowInsecure bool        // permit TLS "none"; even then only to a loopback host
	TLSConfig     *tls.Config // nil: system roots, ServerName = Host, TLS 1.2+

	Auth        string // "none", "password" or "xoauth2"; "" = "password" if Username is set, else "none"
	Username    string
	Password    string
	TokenSource oauth2.TokenSource // for xoauth2; wrap in oauth2.ReuseTokenSource to cache tokens

	HELO    string        // EHLO name; "" = os.Hostname()
	Timeout time.Duration // per step; 0 = 30 s
}

// Mailer submits messages to one SMTP server. Each Send opens its own
// connection, so a Mailer is safe for concurrent use.
type Mailer struct {
	opt  SMTPOptions
	addr string
}

// NewMailer checks opt and fills in defaults. All problems are reported at
// once, each prefixed with the option it concerns.
func NewMailer(opt SMTPOptions) (*Mailer, error) {
	var errs []error
	opt.Check(func(option, problem string) { errs = append(errs, fmt.Errorf("smtp.%s: %s", option, problem)) })
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	if opt.TLS != TLSNone {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if opt.TLSConfig != nil {
			cfg = opt.TLSConfig.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = opt.Host
		}
		opt.TLSConfig = cfg
	}
	return &Mailer{opt: opt, addr: net.JoinHostPort(opt.Host, fmt.Sprint(opt.Port))}, nil
}

// withDefaults fills the zero fields: the port from the TLS mode, the
// mechanism from whether there is a user name, the HELO name.
func (opt SMTPOptions) withDefaults() SMTPOptions {
	opt.Host = strings.TrimSpace(opt.Host)
	opt.TLS = strings.ToLower(opt.TLS)
	if opt.TLS == "" {
		opt.TLS = TLSStartTLS
	}
	if opt.Port == 0 {
		switch opt.TLS {
		case TLSImplicit:
			opt.Port = 465
		case TLSNone:
			opt.Port = 25
		default:
			opt.Port = 587
		}
	}
	opt.Auth = strings.ToLower(opt.Auth)
	if opt.Auth == "" {
		opt.Auth = AuthNone
		if opt.Username != "" {
			opt.Auth = AuthPassword
		}
	}
	if opt.Timeout == 0 {
		opt.Timeout = defaultTimeout
	}
	if opt.HELO == "" {
		// RFC 5321 §4.1.1.1 wants our FQDN; the hostname is the best
		// guess without configuration.
		if h, err := os.Hostname(); err == nil && h != "" {
			opt.HELO = h
		} else {
			opt.HELO = "localhost"
		}
	}
	return opt
}

// Check reports every problem with the options (defaults applied first),
// each under the option's name as the configuration's [smtp] section
// spells it. NewMailer and the configuration check both run it.
func (opt SMTPOptions) Check(report func(option, problem string)) {
	bad := func(key, format string, args ...any) { report(key, fmt.Sprintf(format, args...)) }
	timeout, helo := opt.Timeout, opt.HELO
	opt = opt.withDefaults()
	if opt.Host == "" {
		bad("host", "must be set")
	}
	switch opt.TLS {
	case TLSStartTLS, TLSImplicit:
	case TLSNone:
		// Plaintext would expose the password and every resident's
		// message on the wire; it exists for Mailpit and the in-process
		// capture server on 127.0.0.1.
		if !opt.AllowInsecure {
			bad("tls", `"none" needs allow_insecure = true`)
		} else if opt.Host != "" && !isLoopback(opt.Host) {
			bad("tls", `"none" is refused for non-loopback host %q`, opt.Host)
		}
	default:
		bad("tls", "must be starttls, implicit or none, not %q", opt.TLS)
	}
	if opt.Port < 1 || opt.Port > 65535 {
		bad("port", "must be 1-65535")
	}
	switch opt.Auth {
	case AuthNone:
	case AuthPassword, AuthXOAUTH2:
		if opt.Username == "" {
			bad("username", "must be set for auth %q", opt.Auth)
		}
		if opt.Auth == AuthPassword && opt.Password == "" {
			bad("password", "must be set for auth %q", opt.Auth)
		}
		if opt.Auth == AuthXOAUTH2 && opt.TokenSource == nil {
			bad("token_source", "must be set for auth %q", opt.Auth)
		}
	default:
		bad("auth", "must be none, password or xoauth2, not %q", opt.Auth)
	}
	if timeout < 0 {
		bad("timeout", "must not be negative")
	}
	if strings.ContainsAny(helo, " \r\n") {
		bad("helo", "must be a host name")
	}
}

// isLoopback reports whether host is "localhost" or a loopback IP literal.
// Names other than localhost are not resolved: DNS could point anywhere.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && ip.IsLoopback()
}
