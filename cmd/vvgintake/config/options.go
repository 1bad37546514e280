package config

import (
	"context"
	"fmt"
	"net"
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
		Location: c.Location(), MessageIDDomain: c.Organisation.MessageIDDomain, Search: classify.SearchWords,
		Checkpoints: ledger.Checkpointing(c.Ledger.Checkpoint)}
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
	o := notify.SenderOptions{Org: c.Org(), Loc: c.Location(), Lang: c.Organisation.Language,
		AckLang: c.Notify.AckLanguage, To: c.Recipients(), RetryFor: c.Notify.RetryFor.D(), Results: c.ResultsOptions()}
	o.Measures, o.Strategies = measureSets(c, func(m MeasureConfig) notify.MeasureInfo {
		return notify.MeasureInfo{Code: m.Code, Title: m.Title, TitleEN: m.TitleEN}
	})
	return o
}

// measuresAs converts measures with conv: notify, results, the form and
// the console each take them in their own type.
func measuresAs[T any](ms []MeasureConfig, conv func(MeasureConfig) T) []T {
	out := make([]T, len(ms))
	for i, m := range ms {
		out[i] = conv(m)
	}
	return out
}

// measureSets is measuresAs over the default measures and each
// strategy's, by its name (nil when there are no [[strategies]]).
func measureSets[T any](c *Config, conv func(MeasureConfig) T) (def []T, byStrategy map[string][]T) {
	for _, s := range c.Strategies {
		if byStrategy == nil {
			byStrategy = map[string][]T{}
		}
		byStrategy[s.Name] = measuresAs(s.Measures, conv)
	}
	return measuresAs(c.defaultMeasures(), conv), byStrategy
}

// defaultMeasures are the measures of a consultation that names no
// strategy (StrategyFor); none when it must name one.
func (c *Config) defaultMeasures() []MeasureConfig {
	if s, err := c.StrategyFor(""); err == nil {
		return s.Measures
	}
	return nil
}

// ResultsOptions say how the results table is made: the VVG's names,
// the measures, the language, the zone and where it is published.
func (c *Config) ResultsOptions() results.Options {
	o := results.Options{OrgName: c.Organisation.Name, OrgNameEN: c.Organisation.NameEN,
		Lang: c.Organisation.Language, Loc: c.Location(), URL: c.ResultsURL()}
	o.Measures, o.Strategies = measureSets(c, func(m MeasureConfig) results.Measure {
		return results.Measure{Code: m.Code, Title: m.Title, TitleEN: m.TitleEN}
	})
	return o
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
	ms, strategies := measureSets(c, func(m MeasureConfig) form.Measure {
		return form.Measure{Code: m.Code, Title: m.Title, TitleEN: m.TitleEN}
	})
	o := c.Organisation
	f := c.Form
	return form.Options{Strategies: strategies,
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
	conv := func(m MeasureConfig) console.Measure {
		return console.Measure{Code: m.Code, Title: m.Title, TitleEN: m.TitleEN}
	}
	k := c.Console
	o := console.Options{BaseURL: k.BaseURL, TrustedProxies: k.TrustedProxies, ProxyHeader: k.ProxyHeader,
		IdleTimeout: k.IdleTimeout.D(), MaxAge: k.SessionLifetime.D(), OrgName: c.Organisation.Name,
		Lang: c.Organisation.Language, Measures: measuresAs(c.defaultMeasures(), conv), Loc: c.Location()}
	if c.slug != "" && k.Host == "" {
		o.Prefix = "/" + c.slug
	}
	if def, err := c.StrategyFor(""); err == nil {
		o.DefaultStrategy = def.Name
	}
	for _, s := range c.Strategies {
		o.Strategies = append(o.Strategies, console.Strategy{Name: s.Name, Title: s.Title, TitleEN: s.TitleEN,
			Measures: measuresAs(s.Measures, conv)})
	}
	return o
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
