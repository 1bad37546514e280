package config

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/console"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/intake/form"
	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"
	"github.com/vvgintake/vvgintake/notify/results"
)

// Each package's options are built here, once: validate checks what these
// return, and the daemon runs with the same values, so `check-config`
// and `run` cannot disagree. The caller adds what is not configuration
// (the ledger, loggers, clocks, token sources).

// LedgerOptions configure the ledger.
func (c *Config) LedgerOptions() ledger.Options {
	return ledger.Options{RefPrefix: c.Organisation.RefPrefix, ResponseDays: c.Response.WorkingDays,
		Location: c.Location(), MessageIDDomain: c.Organisation.MessageIDDomain, Search: classify.SearchWords}
}

// RetentionRules are the retention rules the scheduler applies; ok is
// false when retention is off.
func (c *Config) RetentionRules() (r ledger.RetentionRules, ok bool) {
	t := c.Retention
	return ledger.RetentionRules{RawMail: t.RawMailMonths, Personal: t.PersonalDataMonths, Cases: t.CaseMonths,
		Mailbox: t.Mailbox && c.IMAP.Enabled}, t.Enabled
}

// BackupMonths is how long a backup copy of the ledger may be kept: the
// shortest retention period of what it holds (raw mail, personal data);
// 0 when nothing limits it.
func (c *Config) BackupMonths() int {
	t := c.Retention
	if !t.Enabled {
		return 0
	}
	m := 0
	for _, v := range []int{t.RawMailMonths, t.PersonalDataMonths, t.CaseMonths} {
		if v > 0 && (m == 0 || v < m) {
			m = v
		}
	}
	return m
}

// LedgerPath is where the ledger file is.
func (c *Config) LedgerPath() string { return c.Resolve(c.Ledger.Path) }

// MailboxOptions configure the IMAP poller; the caller sets Logger, Now
// and, for OAuth, TokenSource (IMAP.TokenSource).
func (c *Config) MailboxOptions() mailbox.Options {
	m := c.IMAP
	return mailbox.Options{
		Addr: net.JoinHostPort(m.Host, strconv.Itoa(m.Port)), TLS: m.TLS, AllowInsecure: m.AllowInsecure,
		Username: m.Username, Password: m.Password, Auth: m.Auth, Folders: m.Folders,
		AfterIngest: m.AfterIngest, Keyword: m.Keyword, MoveTo: m.MoveTo, GmailLabel: m.GmailLabel,
		PollInterval: m.PollInterval.D(), FullSync: m.FullSyncInterval.D(), CommandTimeout: m.CommandTimeout.D(),
		MaxMessageBytes: int64(c.Limits.MaxMessageMB) << 20,
	}
}

// OAuth is how the refresh token is exchanged for access tokens (RFC 6749
// §6); ok is false for password logins. The caller sets Store.
func (cr Credentials) OAuth() (c mailbox.OAuthConfig, ok bool) {
	if cr.Auth != mailbox.AuthOAuthBearer && cr.Auth != mailbox.AuthXOAuth2 {
		return mailbox.OAuthConfig{}, false
	}
	return mailbox.OAuthConfig{TokenURL: cr.OAuthTokenURL, ClientID: cr.OAuthClientID,
		ClientSecret: cr.OAuthClientSecret, RefreshToken: cr.OAuthRefreshToken}, true
}

// TokenSource exchanges the refresh token for access tokens (RFC 6749 §6),
// keeping rotated refresh tokens in store (nil: in memory only); nil for
// password logins.
func (cr Credentials) TokenSource(ctx context.Context, store mailbox.TokenStore) oauth2.TokenSource {
	c, ok := cr.OAuth()
	if !ok {
		return nil
	}
	c.Store = store
	return c.TokenSource(ctx)
}

// SMTPOptions configure the mail submission client; the caller sets
// TokenSource for xoauth2 (SMTP.TokenSource).
func (c *Config) SMTPOptions() notify.SMTPOptions {
	s := c.SMTP
	return notify.SMTPOptions{Host: s.Host, Port: s.Port, TLS: s.TLS, AllowInsecure: s.AllowInsecure, Auth: s.Auth,
		Username: s.Username, Password: s.Password, HELO: s.HELO, Timeout: s.Timeout.D()}
}

// Org is the VVG as its mail presents it.
func (c *Config) Org() notify.Org {
	o := c.Organisation
	return notify.Org{Name: o.Name, ShortName: o.ShortName, NameEN: o.NameEN, ShortNameEN: o.ShortNameEN,
		Address: o.Mailbox, FromName: o.FromName, Phone: o.Phone, Website: o.Website, PostalAddress: o.PostalAddress,
		PrivacyNotice: o.PrivacyNotice, PrivacyNoticeEN: o.PrivacyNoticeEN}
}

// Recipients says who gets the digest, the closing report and reminders.
func (c *Config) Recipients() notify.Recipients {
	return notify.Recipients{Board: c.Notify.Board, Staff: c.Notify.Staff, ReportToBoard: c.Notify.ReportToBoard}
}

// SenderOptions configure the outbox sender; the caller sets DB, Mailer,
// Templates (LoadTemplates), Logger, Now and OnResult.
func (c *Config) SenderOptions() notify.SenderOptions {
	var ms []notify.MeasureInfo
	for _, x := range c.Measures {
		ms = append(ms, notify.MeasureInfo{Code: x.Code, Title: x.Title, TitleEN: x.TitleEN})
	}
	return notify.SenderOptions{Org: c.Org(), Loc: c.Location(), Lang: c.Organisation.Language,
		AckLang: c.Notify.AckLanguage, Measures: ms, To: c.Recipients(), RetryFor: c.Notify.RetryFor.D(),
		Results: c.ResultsOptions()}
}

// ResultsOptions say how the results table is made: the VVG's names,
// the measures, the language, the zone and where it is published.
func (c *Config) ResultsOptions() results.Options {
	ms := make([]results.Measure, len(c.Measures))
	for i, m := range c.Measures {
		ms[i] = results.Measure{Code: m.Code, Title: m.Title, TitleEN: m.TitleEN}
	}
	return results.Options{OrgName: c.Organisation.Name, OrgNameEN: c.Organisation.NameEN, Measures: ms,
		Lang: c.Organisation.Language, Loc: c.Location(), URL: c.ResultsURL()}
}

// ResultsURL is where the VVG publishes its results tables:
// results.public_url, else organisation.website as a link.
func (c *Config) ResultsURL() string {
	if u := c.Results.PublicURL; u != "" {
		return u
	}
	w := c.Organisation.Website
	if w != "" && !strings.Contains(w, "://") {
		w = "https://" + w
	}
	return w
}

// LoadTemplates reads the mail templates, overridden from
// notify.templates_dir when it is set.
func (c *Config) LoadTemplates() (*notify.Templates, error) {
	tpl, err := notify.LoadTemplates(c.Resolve(c.Notify.TemplatesDir))
	if err != nil {
		return nil, fmt.Errorf("notify.templates_dir: %w", err)
	}
	return tpl, nil
}

// FormOptions configure the web form; the caller sets Logger and Now.
func (c *Config) FormOptions() form.Options {
	var ms []form.Measure
	for _, m := range c.Measures {
		ms = append(ms, form.Measure{Code: m.Code, Title: m.Title, TitleEN: m.TitleEN})
	}
	o := c.Organisation
	f := c.Form
	return form.Options{
		OrgName: o.Name, OrgShortName: o.ShortName, OrgNameEN: o.NameEN, OrgShortNameEN: o.ShortNameEN,
		ContactEmail: o.Mailbox, ContactPhone: o.Phone,
		PrivacyNotice: o.PrivacyNotice, PrivacyNoticeEN: o.PrivacyNoticeEN, Measures: ms, Loc: c.Location(),
		Lang: o.Language, MaxUploadBytes: int64(f.MaxUploadMB) << 20, MaxFiles: f.MaxFiles, AllowedTypes: f.AllowedTypes,
		RatePerHour: f.RatePerHour, TrustedProxyHeader: f.TrustedProxyHeader,
		MinFill: time.Duration(f.MinFillSeconds) * time.Second,
	}
}

// ConsoleOptions configure the staff console; the caller sets Logger and
// Now.
func (c *Config) ConsoleOptions() console.Options {
	var ms []console.Measure
	for _, m := range c.Measures {
		ms = append(ms, console.Measure{Code: m.Code, Title: m.Title, TitleEN: m.TitleEN})
	}
	k := c.Console
	return console.Options{BaseURL: k.BaseURL, TrustedProxies: k.TrustedProxies, ProxyHeader: k.ProxyHeader,
		IdleTimeout: k.IdleTimeout.D(), MaxAge: k.SessionLifetime.D(), OrgName: c.Organisation.Name,
		Lang: c.Organisation.Language, Measures: ms, Loc: c.Location()}
}

// PipelineOptions are the intake pipeline's rules; the caller sets Logger,
// Now, Kick and Observer.
func (c *Config) PipelineOptions() intake.Options {
	l := c.Limits
	var servIDs []string
	if id := strings.ToLower(strings.TrimSpace(c.IMAP.AuthServID)); id != "" {
		servIDs = []string{id}
	}
	return intake.Options{
		AuthServIDs: servIDs,
		Mailbox:     c.Organisation.Mailbox, MessageIDDomain: c.Organisation.MessageIDDomain,
		LateWindow:  time.Duration(c.Response.LateWindowDays) * 24 * time.Hour,
		Acknowledge: c.Notify.Acknowledge, MaxAcksPerSenderPerDay: c.Notify.MaxAcksPerSenderPerDay,
		BlockedSenders: c.Notify.BlockedSenders, Letters: c.Results.Letters,
		Parse: mailparse.ParseOptions{MaxAttachmentBytes: int64(l.MaxAttachmentMB) << 20,
			MaxAttachments: l.MaxAttachments, MaxMessageBytes: int64(l.MaxMessageMB) << 20},
	}
}

// ClassifyMeasures are the measures as the classifier knows them.
func (c *Config) ClassifyMeasures() []classify.Measure {
	out := make([]classify.Measure, len(c.Measures))
	for i, m := range c.Measures {
		out[i] = classify.Measure{Code: m.Code, Title: m.Title, Description: m.Description, Keywords: m.Keywords}
	}
	return out
}

// MeasureTitle names a measure in the given language ("" for none).
func (c *Config) MeasureTitle(code, lang string) string {
	for _, m := range c.Measures {
		if m.Code == code {
			if lang == "en" && m.TitleEN != "" {
				return m.TitleEN
			}
			return m.Title
		}
	}
	return ""
}

// MeasureCode reads a measure code as staff type it: the code in any case,
// and "kita" (Lithuanian for other, as the form and reports show it) for
// "other". ok is false when no configured measure has it.
func (c *Config) MeasureCode(typed string) (code string, ok bool) {
	t := strings.TrimSpace(typed)
	if strings.EqualFold(t, "kita") {
		t = "other"
	}
	for _, m := range c.Measures {
		if strings.EqualFold(m.Code, t) {
			return m.Code, true
		}
	}
	return "", false
}

// HasMeasure reports whether the strategy has a measure with this code.
func (c *Config) HasMeasure(code string) bool {
	for _, m := range c.Measures {
		if m.Code == code {
			return true
		}
	}
	return false
}

// MeasureCodes lists the configured measure codes in order.
func (c *Config) MeasureCodes() []string {
	codes := make([]string, len(c.Measures))
	for i, m := range c.Measures {
		codes[i] = m.Code
	}
	return codes
}

// Examples reads the labelled examples the classifier learns from: the
// files classify.examples names or, when it names none, the examples
// built into vvgintake for these measures (BuiltinExamples).
func (c *Config) Examples() ([]classify.Example, error) {
	if len(c.Classify.Examples) == 0 {
		ex, _, err := c.BuiltinExamples()
		return ex, err
	}
	var all []classify.Example
	for _, p := range c.Classify.Examples {
		f, err := os.Open(c.Resolve(p))
		if err != nil {
			return nil, fmt.Errorf("classify.examples: %w", err)
		}
		ex, err := classify.ReadExamples(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("classify.examples %s: %w", p, err)
		}
		all = append(all, ex...)
	}
	return all, nil
}

// BuiltinExamples returns the first set of examples shipped inside the
// binary (classify/examples) whose every label is a configured measure,
// and its name; none, and "", when no shipped set fits these measures
// (another VVG's strategy: the classifier then learns from the measures'
// descriptions and keywords and from staff corrections).
func (c *Config) BuiltinExamples() ([]classify.Example, string, error) {
	codes := map[string]bool{}
	for _, m := range c.Measures {
		codes[m.Code] = true
	}
	for _, name := range classify.ShippedStrategies() {
		ex, err := classify.ShippedExamples(name)
		if err != nil {
			return nil, "", err
		}
		fits := len(ex) > 0
		for _, e := range ex {
			fits = fits && codes[e.Label]
		}
		if fits {
			return ex, name, nil
		}
	}
	return nil, "", nil
}

// ExamplesSource says where the examples come from, for check-config.
func (c *Config) ExamplesSource() string {
	if len(c.Classify.Examples) > 0 {
		files := make([]string, len(c.Classify.Examples))
		for i, p := range c.Classify.Examples {
			files[i] = c.Resolve(p)
		}
		return strings.Join(files, ", ")
	}
	if _, name, err := c.BuiltinExamples(); err == nil && name != "" {
		return "built in (" + name + ")"
	}
	return "none built in fits these measures"
}

// AlertRules are the rules `status`, /readyz and /metrics alert by: the
// mailbox and mail server configured now (health recorded for others is
// an old configuration's) and the thresholds of [status].
func (c *Config) AlertRules() ledger.AlertRules {
	r := ledger.AlertRules{Mailbox: c.IMAP.Enabled, SyncAlertAfter: c.Status.SyncAlertAfter.D(),
		AckAlertAfter: c.Status.AlertAfter.D(), FailedAlertFor: c.Status.FailedAlertFor.D(),
		MinFreeBytes: uint64(c.Status.MinFreeMB) << 20}
	if c.IMAP.Enabled {
		r.Accounts = []string{c.MailboxOptions().Account()}
	}
	r.SMTPServer = c.SMTPServer()
	return r
}

// SMTPServer names the mail server the outbox sends through (host:port),
// "" when SMTP is off.
func (c *Config) SMTPServer() string {
	if !c.SMTP.Enabled {
		return ""
	}
	return net.JoinHostPort(c.SMTP.Host, strconv.Itoa(c.SMTP.Port))
}
