package config

import (
	"fmt"
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

// secretWarnings says which secrets other users of the machine can read:
// a *_file readable by everyone, or secrets written in a configuration
// file readable by everyone. They are warnings, not errors: the service
// still starts, and the operator is told to chmod 600.
func (c *Config) secretWarnings() []string {
	var out []string
	worldReadable := func(path string) bool {
		st, err := os.Stat(path)
		return err == nil && st.Mode().Perm()&0o004 != 0
	}
	for _, sec := range []struct {
		name string
		cr   Credentials
	}{{"imap", c.IMAP.Credentials}, {"smtp", c.SMTP.Credentials}} {
		for _, f := range []struct{ key, file string }{{"password_file", sec.cr.PasswordFile},
			{"oauth_client_secret_file", sec.cr.OAuthSecretFile}, {"oauth_refresh_token_file", sec.cr.OAuthRefreshFile}} {
			if f.file != "" && worldReadable(c.Resolve(f.file)) {
				out = append(out, fmt.Sprintf("%s.%s: %s is readable by every user of this machine (chmod 600 it)",
					sec.name, f.key, c.Resolve(f.file)))
			}
		}
		if c.path == "" || !worldReadable(c.path) {
			continue
		}
		for _, key := range []string{"password", "oauth_client_secret", "oauth_refresh_token"} {
			if _, inFile := c.lines[sec.name+"."+key]; inFile {
				out = append(out, fmt.Sprintf("%s.%s: the configuration file %s holds this secret and is readable by every "+
					"user of this machine (chmod 600 it, or move the secret to %s_file or VVGINTAKE_%s_%s)",
					sec.name, key, c.path, key, strings.ToUpper(sec.name), strings.ToUpper(key)))
			}
		}
	}
	return out
}

// Warnings lists what is allowed but unwise in the configuration (secrets
// other users can read). Commands log them at start.
func (c *Config) Warnings() []string { return c.warnings }
