package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"
)

// problem is one validation finding, named by its key.
type problem struct{ key, msg string }

type problems []problem

// add records a problem with key. A key gets one problem, the first: the
// configuration's own checks run before a part's Check and say it in the
// configuration's words, and a part then does not repeat it.
func (ps *problems) add(key, format string, args ...any) {
	for _, p := range *ps {
		if p.key == key {
			return
		}
	}
	*ps = append(*ps, problem{key, fmt.Sprintf(format, args...)})
}

// names checks the entries of a list that others refer to by name (the
// strategies by name, the consultations by slug, a strategy's measures by
// code): no name twice, and a title on each.
type names struct {
	ps       *problems
	field    string          // the name's key in an entry: "name", "slug", "code"
	twice    string          // the problem of a name an earlier entry has, after the name
	untitled string          // the problem of an entry without a title
	seen     map[string]bool // the names so far
}

// check checks the entry at key. The caller checks the name's form first:
// a malformed name is the one problem ps keeps for it.
func (n *names) check(key, name, title string) {
	if n.seen == nil {
		n.seen = map[string]bool{}
	}
	if n.seen[name] {
		n.ps.add(key+"."+n.field, "%q %s", name, n.twice)
	}
	n.seen[name] = true
	if strings.TrimSpace(title) == "" {
		n.ps.add(key+".title", "%s", n.untitled)
	}
}

// lined writes each problem as "line N: key: message" (the line of the
// key, or of its section, when the file sets it).
func (ps problems) lined(lines map[string]int) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		// A key the file does not set is shown at what holds it: an item
		// of a list at the list, a missing key at its table
		// ("strategies[1].measures[0].code" at that measure's header).
		line := lines[p.key]
		for k := p.key; line == 0; {
			i := strings.LastIndexAny(k, ".[")
			if i <= 0 {
				break
			}
			k = k[:i]
			line = lines[k]
		}
		if line > 0 {
			out = append(out, fmt.Sprintf("line %d: %s: %s", line, p.key, p.msg))
		} else {
			out = append(out, fmt.Sprintf("%s: %s", p.key, p.msg))
		}
	}
	return out
}

var (
	slugRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	prefixRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,9}$`)
)

// complete fills the values that default to others: the short name and
// the sender's name to the name, the Message-ID domain to the mailbox's,
// the "other" measure of every strategy, the time zone. It runs before validate, which
// only reports.
func (c *Config) complete() {
	o := &c.Organisation
	if o.ShortName == "" {
		o.ShortName = o.Name
	}
	if o.FromName == "" {
		o.FromName = o.ShortName
	}
	if o.MessageIDDomain == "" {
		if _, dom, ok := strings.Cut(o.Mailbox, "@"); ok {
			o.MessageIDDomain = dom
		} else {
			o.MessageIDDomain = "vvgintake.invalid"
		}
	}
	if c.IMAP.AuthServID == "" && strings.EqualFold(c.IMAP.Host, "imap.gmail.com") {
		// Gmail's MX signs its Authentication-Results so.
		c.IMAP.AuthServID = "mx.google.com"
	}
	c.loc = time.UTC
	if loc, err := time.LoadLocation(o.Timezone); err == nil {
		c.loc = loc
	}
	c.Measures = completeMeasures(c.Measures)
	for i := range c.Strategies {
		c.Strategies[i].Measures = completeMeasures(c.Strategies[i].Measures)
	}
}

// validate checks every setting and returns all problems at once. The
// options of each enabled part are checked by that part's own Check, on
// the very values the daemon will run with (options.go), so no part can
// refuse at start what this passed. Secrets are not required here:
// CheckRun does that, so that `classify` or `status` work on a machine
// without them.
func (c *Config) validate() problems {
	var ps problems
	o := &c.Organisation
	if strings.TrimSpace(o.Name) == "" {
		ps.add("organisation.name", "must be set (the VVG's name, shown in every mail)")
	}
	if o.Mailbox != "" {
		if err := CheckAddress(o.Mailbox); err != nil {
			ps.add("organisation.mailbox", "%v", err)
		}
	} else if c.IMAP.Enabled || c.SMTP.Enabled {
		ps.add("organisation.mailbox", "must be set when imap or smtp is enabled")
	}
	if _, err := time.LoadLocation(o.Timezone); err != nil {
		ps.add("organisation.timezone", "unknown time zone %q", o.Timezone)
	}
	if o.Language != "lt" && o.Language != "en" {
		ps.add("organisation.language", "want \"lt\" or \"en\", got %q", o.Language)
	}
	if !prefixRE.MatchString(o.RefPrefix) {
		ps.add("organisation.ref_prefix", "want 1-10 upper-case letters or digits starting with a letter, got %q", o.RefPrefix)
	}
	if c.Ledger.Path == "" {
		ps.add("ledger.path", "must be set")
	}
	if ck := ledger.Checkpointing(c.Ledger.Checkpoint); ck == "" || !ck.Valid() {
		ps.add("ledger.checkpoint", "want %q or %q, got %q", ledger.CheckpointLedger, ledger.CheckpointLitestream, c.Ledger.Checkpoint)
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
	c.validateStrategies(&ps)
	c.validateConsultations(&ps)
	if c.IMAP.Enabled {
		c.validateIMAP(&ps)
	}
	if c.SMTP.Enabled {
		c.validateSMTP(&ps)
	}
	c.validateNotify(&ps)
	c.validateResults(&ps)
	if d := c.Response.WorkingDays; d < 1 || d > 250 {
		ps.add("response.working_days", "want 1-250, got %d", d)
	}
	if c.Response.LateWindowDays < 0 {
		ps.add("response.late_window_days", "must not be negative")
	}
	positive := map[string]int{"limits.max_message_mb": c.Limits.MaxMessageMB,
		"limits.max_attachment_mb": c.Limits.MaxAttachmentMB, "limits.max_attachments": c.Limits.MaxAttachments}
	for _, k := range slices.Sorted(maps.Keys(positive)) {
		if v := positive[k]; v < 1 {
			ps.add(k, "must be at least 1, got %d", v)
		}
	}
	if c.Form.Enabled {
		c.validateForm(&ps)
	}
	if c.Console.Enabled {
		c.validateConsole(&ps)
	}
	if c.Status.SyncAlertAfter.D() <= 0 {
		ps.add("status.sync_alert_after", "must be positive")
	}
	if c.Status.AlertAfter.D() <= 0 {
		ps.add("status.alert_after", "must be positive")
	}
	if c.Status.FailedAlertFor.D() <= 0 {
		ps.add("status.failed_alert_for", "must be positive")
	}
	if c.Status.MinFreeMB < 1 {
		ps.add("status.min_free_mb", "must be at least 1, got %d", c.Status.MinFreeMB)
	}
	c.validateRetention(&ps)
	return ps
}

// maxRetentionMonths bounds the retention periods: a hundred years is no
// rule.
const maxRetentionMonths = 1200

func (c *Config) validateRetention(ps *problems) {
	r := c.Retention
	for _, k := range []struct {
		key string
		v   int
	}{{"retention.raw_mail_months", r.RawMailMonths}, {"retention.personal_data_months", r.PersonalDataMonths},
		{"retention.case_months", r.CaseMonths}} {
		if k.v < 0 || k.v > maxRetentionMonths {
			ps.add(k.key, "want 0 (keep) to %d months, got %d", maxRetentionMonths, k.v)
		}
	}
	if r.CaseMonths > 0 && r.PersonalDataMonths > 0 && r.CaseMonths < r.PersonalDataMonths {
		// Deleting a case removes its personal data too; a shorter
		// period would make personal_data_months say what is not so.
		ps.add("retention.case_months", "must be 0 or at least personal_data_months (%d), got %d", r.PersonalDataMonths, r.CaseMonths)
	}
}

func (c *Config) validateConsultations(ps *problems) {
	slugs := names{ps: ps, field: "slug", twice: "is used twice", untitled: "must be set"}
	for i, k := range c.Consultations {
		key := fmt.Sprintf("consultations[%d]", i)
		if !slugRE.MatchString(k.Slug) {
			ps.add(key+".slug", "want lower-case letters, digits and '-', got %q", k.Slug)
		}
		slugs.check(key, k.Slug, k.Title)
		if k.OpensAt.IsZero() {
			ps.add(key+".opens_at", "must be set")
		}
		if k.ClosesAt.IsZero() {
			ps.add(key+".closes_at", "must be set")
		}
		if !k.OpensAt.IsZero() && !k.ClosesAt.IsZero() &&
			!k.ClosesAt.Time(c.loc, true).After(k.OpensAt.Time(c.loc, false)) {
			ps.add(key+".closes_at", "must be after opens_at")
		}
	}
}

// from reports a part's own option problems under their configuration
// keys. keys maps an option to its key; "" marks a secret (CheckRun
// requires those) or what another check of this file covers; an option
// not in keys is section + "." + option.
func (ps *problems) from(section string, keys map[string]string) func(option, msg string) {
	return func(option, msg string) {
		key, ok := keys[option]
		if !ok {
			key = section + "." + option
		}
		if key != "" {
			ps.add(key, "%s", msg)
		}
	}
}

// imapKeys names the key of each mailbox option.
var imapKeys = map[string]string{
	"addr": "imap.port", "username": "imap.username", "password": "", "token_source": "",
	"full_sync": "imap.full_sync_interval", "max_message_bytes": "limits.max_message_mb",
}

func (c *Config) validateIMAP(ps *problems) {
	m := &c.IMAP
	if m.Host == "" {
		ps.add("imap.host", "must be set when imap.enabled = true")
	}
	if m.Username == "" {
		ps.add("imap.username", "must be set when imap.enabled = true")
	}
	if len(m.Folders) == 0 {
		ps.add("imap.folders", "list at least one folder, e.g. [\"INBOX\"]")
	}
	for _, k := range []struct {
		key string
		d   Duration
	}{{"imap.poll_interval", m.PollInterval}, {"imap.full_sync_interval", m.FullSyncInterval}, {"imap.command_timeout", m.CommandTimeout}} {
		if k.d.D() <= 0 {
			ps.add(k.key, "must be positive")
		}
	}
	if m.Host != "" {
		c.MailboxOptions().Check(ps.from("imap", imapKeys))
	}
	checkOAuth(ps, "imap", m.Credentials)
}

// checkOAuth runs the OAuth configuration's own check (the token
// endpoint must be https) when one is set; a missing one is
// checkSecrets's, which run requires.
func checkOAuth(ps *problems, section string, cr Credentials) {
	if o, ok := cr.OAuth(); ok && o.TokenURL != "" {
		o.Check(ps.from(section, nil))
	}
}

// smtpKeys names the key of each mail client option.
var smtpKeys = map[string]string{"password": "", "token_source": ""}

func (c *Config) validateSMTP(ps *problems) {
	s := &c.SMTP
	if s.Host == "" {
		ps.add("smtp.host", "must be set when smtp.enabled = true")
	}
	if s.Auth != "none" && s.Username == "" {
		ps.add("smtp.username", "must be set when smtp.auth is not \"none\"")
	}
	if s.Timeout.D() <= 0 {
		ps.add("smtp.timeout", "must be positive")
	}
	c.SMTPOptions().Check(ps.from("smtp", smtpKeys))
	checkOAuth(ps, "smtp", s.Credentials)
}

// senderKeys names the key of each outbox option.
var senderKeys = map[string]string{"org address": "organisation.mailbox", "lang": "organisation.language",
	"ack lang": "notify.ack_language", "retry_for": "notify.retry_for"}

// validateResults checks the outcome's settings: the pipeline's own
// check of results.letters, and a public URL a browser can open.
func (c *Config) validateResults(ps *problems) {
	c.PipelineOptions().Check(ps.from("results", map[string]string{"letters": "results.letters"}))
	if u := c.Results.PublicURL; u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			ps.add("results.public_url", "want an http or https URL, got %q", u)
		}
	}
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
	for _, name := range []string{"notify.board", "notify.staff"} {
		list := map[string][]string{"notify.board": n.Board, "notify.staff": n.Staff}[name]
		for i, a := range list {
			if err := CheckAddress(a); err != nil {
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
		if st, err := os.Stat(c.Resolve(n.TemplatesDir)); err != nil {
			ps.add("notify.templates_dir", "%s", c.pathProblem(n.TemplatesDir, err))
		} else if !st.IsDir() {
			ps.add("notify.templates_dir", "%q is not a directory", c.Resolve(n.TemplatesDir))
		}
	}
	if n.RetryFor.D() <= 0 {
		ps.add("notify.retry_for", "must be positive")
	}
	if c.IMAP.Enabled || c.SMTP.Enabled {
		// The outbox sends from organisation.mailbox; without mail it
		// only renders previews.
		c.SenderOptions().Check(ps.from("notify", senderKeys))
	}
}

// formKeys names the key of each form option; the measures are
// validateStrategies's.
var formKeys = map[string]string{"Lang": "organisation.language", "MaxUploadBytes": "form.max_upload_mb",
	"MaxFiles": "form.max_files", "AllowedTypes": "form.allowed_types", "MinFill": "form.min_fill_seconds",
	"OrgName": "organisation.name"}

func (c *Config) validateForm(ps *problems) {
	f := &c.Form
	checkHost(ps, "form.host", f.Host)
	if err := checkListen(f.Listen); err != nil {
		ps.add("form.listen", "%v", err)
	}
	for _, k := range []string{"form.max_upload_mb", "form.rate_limit_per_hour"} {
		if v := map[string]int{"form.rate_limit_per_hour": f.RatePerHour, "form.max_upload_mb": f.MaxUploadMB}[k]; v < 1 {
			ps.add(k, "must be at least 1, got %d", v)
		}
	}
	c.FormOptions().Check(func(option, msg string) {
		if !strings.HasPrefix(option, "Measures") && !strings.HasPrefix(option, "Strategies") {
			ps.from("form", formKeys)(option, msg)
		}
	})
}

// pathProblem says why a path from the file cannot be used, and how a
// relative one was read: relative to the configuration file's folder, not
// to where the command runs.
func (c *Config) pathProblem(p string, err error) string {
	full := c.Resolve(p)
	why := "cannot be read"
	switch {
	case errors.Is(err, fs.ErrNotExist):
		why = "not found"
	case errors.Is(err, fs.ErrPermission):
		why = "no permission to read it"
	}
	if full != p {
		return fmt.Sprintf("%s: %s (a relative path is relative to the configuration file's folder, %s)", full, why, filepath.Dir(c.path))
	}
	return fmt.Sprintf("%s: %s", full, why)
}

// checkListen accepts an address the daemon can listen on: an IP
// address of this machine (or localhost, or nothing for every address)
// and a fixed port, which the reverse proxy in front is pointed at.
func checkListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want an address and port like \"127.0.0.1:8080\", got %q", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("want a port from 1 to 65535, got %q", port)
	}
	if host != "" && host != "localhost" && net.ParseIP(host) == nil {
		return fmt.Errorf("want an IP address of this machine (127.0.0.1 for a reverse proxy on it, 0.0.0.0 for all), got %q", host)
	}
	return nil
}

// consoleKeys names the key of each console option.
var consoleKeys = map[string]string{"BaseURL": "console.base_url", "TrustedProxies": "console.trusted_proxies",
	"IdleTimeout": "console.idle_timeout", "MaxAge": "console.session_lifetime", "Lang": "organisation.language",
	"Measures": "measures", "Strategies": "strategies"}

func (c *Config) validateConsole(ps *problems) {
	checkHost(ps, "console.host", c.Console.Host)
	if err := checkListen(c.Console.Listen); err != nil {
		ps.add("console.listen", "%v", err)
	} else if c.Form.Enabled && c.Console.Listen == c.Form.Listen {
		ps.add("console.listen", "must differ from form.listen: the console has its own listener")
	}
	c.ConsoleOptions().Check(ps.from("console", consoleKeys))
}

// CheckAddress accepts a bare e-mail address ("ona@example.lt", no name).
func CheckAddress(a string) error {
	p, err := mail.ParseAddress(a)
	if err != nil || p.Name != "" || !strings.Contains(p.Address, "@") {
		return fmt.Errorf("%q is not an e-mail address", a)
	}
	return nil
}

// hostRE is a DNS host name (RFC 1123 §2.1), lowercase as the web
// dispatch compares them.
var hostRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)

// checkHost accepts "" or a bare host name (no scheme, port or path).
func checkHost(ps *problems, key, h string) {
	if h != "" && !hostRE.MatchString(h) {
		ps.add(key, "want a host name like pasiulymai.aleksotovvg.lt (lowercase, no scheme, port or path), got %q", h)
	}
}
