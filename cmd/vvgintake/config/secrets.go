package config

import (
	"os"
	"strings"
)

// readSecrets fills secrets from *_file keys; a file wins over an empty
// value, and an environment variable (applied earlier) wins over both.
func (c *Config) readSecrets() []string {
	var ps problems
	c.IMAP.readSecrets("imap", c, &ps)
	c.SMTP.readSecrets("smtp", c, &ps)
	return ps.lined(c.lines)
}

func (cr *Credentials) readSecrets(section string, c *Config, ps *problems) {
	read := func(key, file string, dst *string) {
		if file == "" || *dst != "" {
			return
		}
		b, err := os.ReadFile(c.Resolve(file))
		if err != nil {
			ps.add(section+"."+key, "%s", c.pathProblem(file, err))
			return
		}
		*dst = strings.TrimSpace(string(b))
	}
	read("password_file", cr.PasswordFile, &cr.Password)
	read("oauth_client_secret_file", cr.OAuthSecretFile, &cr.OAuthClientSecret)
	read("oauth_refresh_token_file", cr.OAuthRefreshFile, &cr.OAuthRefreshToken)
}

// checkSecrets reports the secrets the enabled connections need, and
// where to put each.
func (c *Config) checkSecrets(ps *problems) {
	check := func(section string, cr Credentials) {
		env := "VVGINTAKE_" + strings.ToUpper(section) + "_"
		need := func(ok bool, key string) {
			if !ok {
				ps.add(section+"."+key, "not set (put it in %s%s, or in the file named by %s.%s_file)",
					env, strings.ToUpper(key), section, key)
			}
		}
		switch cr.Auth {
		case "none":
		case "password":
			need(cr.Password != "", "password")
		default:
			need(cr.OAuthRefreshToken != "", "oauth_refresh_token")
			if cr.OAuthTokenURL == "" {
				ps.add(section+".oauth_token_url", "must be set for auth %q", cr.Auth)
			}
		}
	}
	if c.IMAP.Enabled {
		check("imap", c.IMAP.Credentials)
	}
	if c.SMTP.Enabled {
		check("smtp", c.SMTP.Credentials)
	}
}
