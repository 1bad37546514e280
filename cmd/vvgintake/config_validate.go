package main

import (
	"fmt"
	"net"
	"net/mail"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/notify"
)

// problem is one validation finding, named by its key.
type problem struct{ key, msg string }

type problems []problem

func (ps *problems) add(key, format string, args ...any) {
	*ps = append(*ps, problem{key, fmt.Sprintf(format, args...)})
}

var (
	slugRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	prefixRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,9}$`)
)

// validate checks every setting and returns all problems at once. Secrets
// are not required here: commands that connect check them (requireSecrets),
// so that `classify` or `check-config` work on a machine without them.
func (c *Config) validate() problems {
	var ps problems
	o := &c.Organisation
	if strings.TrimSpace(o.Name) == "" {
		ps.add("organisation.name", "must be set (the VVG's name, shown in every mail)")
	}
	if o.ShortName == "" {
		o.ShortName = o.Name
	}
	if o.FromName == "" {
		o.FromName = o.ShortName
	}
	if o.Mailbox != "" {
		if err := checkAddr(o.Mailbox); err != nil {
			ps.add("organisation.mailbox", "%v", err)
		}
	} else if c.IMAP.Enabled || c.SMTP.Enabled {
		ps.add("organisation.mailbox", "must be set when imap or smtp is enabled")
	}
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil {
		ps.add("organisation.timezone", "unknown time zone %q", o.Timezone)
		loc, _ = time.LoadLocation("Europe/Vilnius")
	}
	if loc == nil {
		loc = time.UTC
	}
	c.loc = loc
	if o.Language != "lt" && o.Language != "en" {
		ps.add("organisation.language", "want \"lt\" or \"en\", got %q", o.Language)
	}
	if !prefixRE.MatchString(o.RefPrefix) {
		ps.add("organisation.ref_prefix", "want 1-10 upper-case letters or digits starting with a letter, got %q", o.RefPrefix)
	}
	if o.MessageIDDomain == "" {
		if _, dom, ok := strings.Cut(o.Mailbox, "@"); ok {
			o.MessageIDDomain = dom
		} else {
			o.MessageIDDomain = "vvgintake.invalid"
		}
	}
	if c.Ledger.Path == "" {
		ps.add("ledger.path", "must be set")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		ps.add("log.level", "want debug, info, warn or error, got %q", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		ps.add("log.format", "want text or json, got %q", c.Log.Format)
	}
	if t := c.Classify.ReviewThreshold; t < 0 || t > 1 {
		ps.add("classify.review_threshold", "want a number from 0 to 1, got %v", t)
	}
	for i, p := range c.Classify.Examples {
		if _, err := os.Stat(c.resolve(p)); err != nil {
			ps.add(fmt.Sprintf("classify.examples[%d]", i), "%v", err)
		}
	}
	c.validateMeasures(&ps)
	c.validateConsultations(&ps)
	c.validateIMAP(&ps)
	c.validateSMTP(&ps)
	c.validateNotify(&ps)
	if d := c.Response.WorkingDays; d < 1 || d > 250 {
		ps.add("response.working_days", "want 1-250, got %d", d)
	}
	if c.Response.LateWindowDays < 0 {
		ps.add("response.late_window_days", "must not be negative")
	}
	positive := map[string]int{"limits.max_message_mb": c.Limits.MaxMessageMB,
		"limits.max_attachment_mb": c.Limits.MaxAttachmentMB, "limits.max_attachments": c.Limits.MaxAttachments}
	for k, v := range positive {
		if v < 1 {
			ps.add(k, "must be at least 1, got %d", v)
		}
	}
	c.validateForm(&ps)
	if c.Status.SyncAlertAfter.D() <= 0 {
		ps.add("status.sync_alert_after", "must be positive")
	}
	return ps
}

func (c *Config) validateMeasures(ps *problems) {
	if len(c.Measures) == 0 {
		ps.add("measures", "at least one [[measures]] entry is needed")
	}
	seen := map[string]bool{}
	for i, m := range c.Measures {
		key := fmt.Sprintf("measures[%d]", i)
		switch {
		case strings.TrimSpace(m.Code) == "":
			ps.add(key+".code", "must be set")
		case seen[m.Code]:
			ps.add(key+".code", "%q is used twice", m.Code)
		}
		seen[m.Code] = true
		if strings.TrimSpace(m.Title) == "" {
			ps.add(key+".title", "must be set")
		}
	}
	// Suggestions about nothing in the strategy need somewhere to go.
	if len(c.Measures) > 0 && !seen["other"] {
		c.Measures = append(c.Measures, MeasureConfig{Code: "other", Title: "Kita (ne strategijos priemonė)",
			TitleEN: "Other (not a strategy measure)"})
	}
}

func (c *Config) validateConsultations(ps *problems) {
	seen := map[string]bool{}
	for i, k := range c.Consultations {
		key := fmt.Sprintf("consultations[%d]", i)
		if !slugRE.MatchString(k.Slug) {
			ps.add(key+".slug", "want lower-case letters, digits and '-', got %q", k.Slug)
		} else if seen[k.Slug] {
			ps.add(key+".slug", "%q is used twice", k.Slug)
		}
		seen[k.Slug] = true
		if strings.TrimSpace(k.Title) == "" {
			ps.add(key+".title", "must be set")
		}
		if k.OpensAt.IsZero() {
			ps.add(key+".opens_at", "must be set")
		}
		if k.ClosesAt.IsZero() {
			ps.add(key+".closes_at", "must be set")
		}
		if !k.OpensAt.IsZero() && !k.ClosesAt.IsZero() && c.loc != nil &&
			!k.ClosesAt.Time(c.loc, true).After(k.OpensAt.Time(c.loc, false)) {
			ps.add(key+".closes_at", "must be after opens_at")
		}
	}
}

func checkPort(ps *problems, key string, port int) {
	if port < 1 || port > 65535 {
		ps.add(key, "must be 1-65535, got %d", port)
	}
}

// checkTLS allows plaintext only to loopback and only when asked for:
// passwords and residents' mail must not cross a network in clear.
func checkTLS(ps *problems, sec, mode, host string, allow bool, modes ...string) {
	ok := false
	for _, m := range modes {
		ok = ok || m == mode
	}
	if !ok {
		ps.add(sec+".tls", "want %s, got %q", strings.Join(modes, ", "), mode)
		return
	}
	if mode == "none" && !(allow && isLoopback(host)) {
		ps.add(sec+".tls", "\"none\" (plaintext) is allowed only to a loopback host with %s.allow_insecure = true", sec)
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c *Config) validateIMAP(ps *problems) {
	m := &c.IMAP
	if !m.Enabled {
		return
	}
	if m.Host == "" {
		ps.add("imap.host", "must be set when imap.enabled = true")
	}
	checkPort(ps, "imap.port", m.Port)
	checkTLS(ps, "imap", m.TLS, m.Host, m.AllowInsecure, "implicit", "starttls", "none")
	switch m.Auth {
	case "password", "oauthbearer", "xoauth2":
	default:
		ps.add("imap.auth", "want password, oauthbearer or xoauth2, got %q", m.Auth)
	}
	if m.Username == "" {
		ps.add("imap.username", "must be set when imap.enabled = true")
	}
	if len(m.Folders) == 0 {
		ps.add("imap.folders", "list at least one folder, e.g. [\"INBOX\"]")
	}
	switch m.AfterIngest {
	case "none", "keyword":
	case "move":
		if m.MoveTo == "" {
			ps.add("imap.move_to", "must be set when imap.after_ingest = \"move\"")
		}
	default:
		ps.add("imap.after_ingest", "want none, keyword or move, got %q", m.AfterIngest)
	}
	for k, d := range map[string]Duration{"imap.poll_interval": m.PollInterval,
		"imap.full_sync_interval": m.FullSyncInterval, "imap.command_timeout": m.CommandTimeout} {
		if d.D() <= 0 {
			ps.add(k, "must be positive")
		}
	}
}

func (c *Config) validateSMTP(ps *problems) {
	s := &c.SMTP
	if !s.Enabled {
		return
	}
	if s.Host == "" {
		ps.add("smtp.host", "must be set when smtp.enabled = true")
	}
	checkPort(ps, "smtp.port", s.Port)
	checkTLS(ps, "smtp", s.TLS, s.Host, s.AllowInsecure, "starttls", "implicit", "none")
	switch s.Auth {
	case "none", "password", "xoauth2":
	default:
		ps.add("smtp.auth", "want none, password or xoauth2, got %q", s.Auth)
	}
	if s.Auth != "none" && s.Username == "" {
		ps.add("smtp.username", "must be set when smtp.auth is not \"none\"")
	}
	if s.Timeout.D() <= 0 {
		ps.add("smtp.timeout", "must be positive")
	}
}

// requireSecrets checks the secrets the enabled connections need; called
// by the commands that connect.
func (c *Config) requireSecrets() error {
	var ps []string
	need := func(ok bool, key, env string) {
		if !ok {
			ps = append(ps, fmt.Sprintf("%s: not set (put it in %s, or in the file named by %s_file)", key, env, key))
		}
	}
	check := func(section string, cr Credentials) {
		env := "VVGINTAKE_" + strings.ToUpper(section) + "_"
		switch cr.Auth {
		case "none":
		case "password":
			need(cr.Password != "", section+".password", env+"PASSWORD")
		default:
			need(cr.OAuthRefreshToken != "", section+".oauth_refresh_token", env+"OAUTH_REFRESH_TOKEN")
			need(cr.OAuthTokenURL != "", section+".oauth_token_url", env+"OAUTH_TOKEN_URL")
		}
	}
	if c.IMAP.Enabled {
		check("imap", c.IMAP.Credentials)
	}
	if c.SMTP.Enabled {
		check("smtp", c.SMTP.Credentials)
	}
	if len(ps) > 0 {
		return &ConfigError{Path: c.path, Problems: ps}
	}
	return nil
}

func (c *Config) validateNotify(ps *problems) {
	n := &c.Notify
	switch n.AckLanguage {
	case "auto", "lt", "en":
	default:
		ps.add("notify.ack_language", "want auto, lt or en, got %q", n.AckLanguage)
	}
	if n.MaxAcksPerSenderPerDay < 0 {
		ps.add("notify.max_acks_per_sender_per_day", "must not be negative")
	}
	for name, list := range map[string][]string{"notify.board": n.Board, "notify.staff": n.Staff} {
		for i, a := range list {
			if err := checkAddr(a); err != nil {
				ps.add(fmt.Sprintf("%s[%d]", name, i), "%v", err)
			}
		}
	}
	if n.DigestSchedule != "" {
		if _, err := notify.ParseSchedule(n.DigestSchedule); err != nil {
			ps.add("notify.digest_schedule", "%v", err)
		}
	}
	if n.ReminderWorkingDays < 0 {
		ps.add("notify.reminder_working_days", "must not be negative")
	}
	if n.TemplatesDir != "" {
		if st, err := os.Stat(c.resolve(n.TemplatesDir)); err != nil || !st.IsDir() {
			ps.add("notify.templates_dir", "%q is not a directory", n.TemplatesDir)
		}
	}
	if n.RetryFor.D() <= 0 {
		ps.add("notify.retry_for", "must be positive")
	}
}

func (c *Config) validateForm(ps *problems) {
	f := &c.Form
	if !f.Enabled {
		return
	}
	if _, _, err := net.SplitHostPort(f.Listen); err != nil {
		ps.add("form.listen", "want host:port, got %q", f.Listen)
	}
	for k, v := range map[string]int{"form.rate_limit_per_hour": f.RatePerHour, "form.max_upload_mb": f.MaxUploadMB} {
		if v < 1 {
			ps.add(k, "must be at least 1, got %d", v)
		}
	}
	if f.MaxFiles < 0 {
		ps.add("form.max_files", "must not be negative")
	}
	if f.MinFillSeconds < 0 {
		ps.add("form.min_fill_seconds", "must not be negative")
	}
}

func checkAddr(a string) error {
	p, err := mail.ParseAddress(a)
	if err != nil || p.Name != "" || !strings.Contains(p.Address, "@") {
		return fmt.Errorf("%q is not an e-mail address", a)
	}
	return nil
}
