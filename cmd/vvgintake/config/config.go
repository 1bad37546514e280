package config

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/intake/form"
	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/internal/vilnius"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"
)

// Config is the vvgintake.toml file. Every key is documented in
// config.example.toml, which a test loads so the two cannot drift apart.
type Config struct {
	Organisation  OrganisationConfig   `toml:"organisation"`
	Ledger        LedgerConfig         `toml:"ledger"`
	Log           LogConfig            `toml:"log"`
	Classify      ClassifyConfig       `toml:"classify"`
	Measures      []MeasureConfig      `toml:"measures"`
	Strategies    []StrategyConfig     `toml:"strategies"`
	Consultations []ConsultationConfig `toml:"consultations"`
	IMAP          IMAPConfig           `toml:"imap"`
	SMTP          SMTPConfig           `toml:"smtp"`
	Notify        NotifyConfig         `toml:"notify"`
	Response      ResponseConfig       `toml:"response"`
	Limits        LimitsConfig         `toml:"limits"`
	Form          FormConfig           `toml:"form"`
	Console       ConsoleConfig        `toml:"console"`
	Status        StatusConfig         `toml:"status"`
	Retention     RetentionConfig      `toml:"retention"`
	Results       ResultsConfig        `toml:"results"`

	// path is the file the config came from; relative paths in it are
	// resolved against its directory.
	path  string
	lines map[string]int // key → line in the file (keyLines)
	loc   *time.Location
	// slug names the VVG when the file is one of a directory's (LoadEntry).
	slug string
	// warnings are what is allowed but unwise (secretWarnings).
	warnings []string
}

// OrganisationConfig describes the VVG.
type OrganisationConfig struct {
	Name            string `toml:"name"`
	NameEN          string `toml:"name_en"`
	ShortName       string `toml:"short_name"`
	ShortNameEN     string `toml:"short_name_en"`
	Mailbox         string `toml:"mailbox"`
	FromName        string `toml:"from_name"`
	Phone           string `toml:"phone"`
	Website         string `toml:"website"`
	PostalAddress   string `toml:"postal_address"`
	Timezone        string `toml:"timezone"`
	Language        string `toml:"language"`
	RefPrefix       string `toml:"ref_prefix"`
	MessageIDDomain string `toml:"message_id_domain"`
	PrivacyNotice   string `toml:"privacy_notice"`
	PrivacyNoticeEN string `toml:"privacy_notice_en"`
}

// LedgerConfig locates the SQLite database.
type LedgerConfig struct {
	Path string `toml:"path"`
	// Checkpoint says who checkpoints the write-ahead log: "ledger" (the
	// daemon, in the background) or "litestream" (Litestream replicates
	// the ledger and must be the only one that checkpoints).
	Checkpoint string `toml:"checkpoint"`
}

// LogConfig sets up slog.
type LogConfig struct {
	Level  string `toml:"level"`
	Format string `toml:"format"`
}

// ClassifyConfig points at labelled examples and sets the review threshold.
type ClassifyConfig struct {
	Examples        []string `toml:"examples"`
	ReviewThreshold float64  `toml:"review_threshold"`
}

// MeasureConfig is one strategy measure (priemonė / veikla).
type MeasureConfig struct {
	Code        string   `toml:"code"`
	Title       string   `toml:"title"`
	TitleEN     string   `toml:"title_en"`
	Description string   `toml:"description"`
	Keywords    []string `toml:"keywords"`
}

// StrategyConfig is another strategy of the VVG ([[strategies]]), e.g.
// the 2028–2034 one beside the 2023–2027 one in the top-level
// [[measures]]: its own measures and labelled examples, from which it
// gets its own classifier. A consultation names it with strategy = NAME.
type StrategyConfig struct {
	Name     string          `toml:"name"`
	Title    string          `toml:"title"`
	TitleEN  string          `toml:"title_en"`
	Examples []string        `toml:"examples"`
	Measures []MeasureConfig `toml:"measures"`
}

// ConsultationConfig declares a consultation; the ledger is created from it.
type ConsultationConfig struct {
	Slug            string   `toml:"slug"`
	Title           string   `toml:"title"`
	TitleEN         string   `toml:"title_en"`
	Description     string   `toml:"description"`
	DescriptionEN   string   `toml:"description_en"`
	OpensAt         Deadline `toml:"opens_at"`
	ClosesAt        Deadline `toml:"closes_at"`
	SubjectKeywords []string `toml:"subject_keywords"`
	// Strategy names the [[strategies]] entry whose measures its
	// suggestions are filed under; "" is the default (StrategyFor).
	Strategy string `toml:"strategy"`
}

// IMAPConfig is the VVG mailbox.
type IMAPConfig struct {
	Enabled       bool   `toml:"enabled"`
	Host          string `toml:"host"`
	Port          int    `toml:"port"`
	TLS           string `toml:"tls"`
	AllowInsecure bool   `toml:"allow_insecure"`
	Credentials
	Folders          []string `toml:"folders"`
	AfterIngest      string   `toml:"after_ingest"`
	Keyword          string   `toml:"keyword"`
	MoveTo           string   `toml:"move_to"`
	GmailLabel       string   `toml:"gmail_label"`
	PollInterval     Duration `toml:"poll_interval"`
	FullSyncInterval Duration `toml:"full_sync_interval"`
	CommandTimeout   Duration `toml:"command_timeout"`
	// AuthServID names our receiving server in Authentication-Results.
	AuthServID string `toml:"authserv_id"`
}

// Credentials is how vvgintake logs in to a mail server: a password, or
// an OAuth2 refresh token exchanged at a token endpoint. The secrets may
// come from the environment or from the *_file keys.
type Credentials struct {
	Auth              string `toml:"auth"`
	Username          string `toml:"username"`
	Password          string `toml:"password"`
	PasswordFile      string `toml:"password_file"`
	OAuthTokenURL     string `toml:"oauth_token_url"`
	OAuthClientID     string `toml:"oauth_client_id"`
	OAuthClientSecret string `toml:"oauth_client_secret"`
	OAuthSecretFile   string `toml:"oauth_client_secret_file"`
	OAuthRefreshToken string `toml:"oauth_refresh_token"`
	OAuthRefreshFile  string `toml:"oauth_refresh_token_file"`
}

// SMTPConfig is the server acknowledgements and digests go out through.
type SMTPConfig struct {
	Enabled       bool   `toml:"enabled"`
	Host          string `toml:"host"`
	Port          int    `toml:"port"`
	TLS           string `toml:"tls"`
	AllowInsecure bool   `toml:"allow_insecure"`
	Credentials
	HELO    string   `toml:"helo"`
	Timeout Duration `toml:"timeout"`
}

// NotifyConfig says who gets what.
type NotifyConfig struct {
	Acknowledge            bool     `toml:"acknowledge"`
	AckLanguage            string   `toml:"ack_language"`
	MaxAcksPerSenderPerDay int      `toml:"max_acks_per_sender_per_day"`
	BlockedSenders         []string `toml:"blocked_senders"`
	Board                  []string `toml:"board"`
	Staff                  []string `toml:"staff"`
	DigestSchedule         string   `toml:"digest_schedule"`
	ReportToBoard          bool     `toml:"report_to_board"`
	ReminderWorkingDays    int      `toml:"reminder_working_days"`
	TemplatesDir           string   `toml:"templates_dir"`
	RetryFor               Duration `toml:"retry_for"`
}

// ResponseConfig is the rule for answering suggestions.
type ResponseConfig struct {
	WorkingDays    int `toml:"working_days"`
	LateWindowDays int `toml:"late_window_days"`
}

// LimitsConfig bounds what is accepted.
type LimitsConfig struct {
	MaxMessageMB    int `toml:"max_message_mb"`
	MaxAttachmentMB int `toml:"max_attachment_mb"`
	MaxAttachments  int `toml:"max_attachments"`
}

// FormConfig is the public web form (and the health/metrics endpoints).
type FormConfig struct {
	Enabled            bool     `toml:"enabled"`
	Listen             string   `toml:"listen"`
	PublicURL          string   `toml:"public_url"`
	TrustedProxyHeader string   `toml:"trusted_proxy_header"`
	RatePerHour        int      `toml:"rate_limit_per_hour"`
	MaxUploadMB        int      `toml:"max_upload_mb"`
	MaxFiles           int      `toml:"max_files"`
	AllowedTypes       []string `toml:"allowed_types"`
	MinFillSeconds     int      `toml:"min_fill_seconds"`
	MetricsPublic      bool     `toml:"metrics_public"`
	// Host is the host name the VVG's form answers on when one process
	// serves several VVGs; "" serves it under /SLUG/.
	Host string `toml:"host"`
}

// ConsoleConfig is the staff web console, on its own listener.
type ConsoleConfig struct {
	Enabled         bool     `toml:"enabled"`
	Listen          string   `toml:"listen"`
	BaseURL         string   `toml:"base_url"`
	TrustedProxies  []string `toml:"trusted_proxies"`
	ProxyHeader     string   `toml:"proxy_header"`
	IdleTimeout     Duration `toml:"idle_timeout"`
	SessionLifetime Duration `toml:"session_lifetime"`
	// Host is the host name the VVG's console answers on when one
	// process serves several VVGs; "" serves it under /SLUG/.
	Host string `toml:"host"`
}

// ResultsConfig is how a consultation's outcome reaches people: when
// residents get their decision letters, and where the VVG publishes the
// results table.
type ResultsConfig struct {
	// Letters: "publish" (every letter when the results are published,
	// pointing to the table), "decision" (each letter as soon as its
	// decision is recorded) or "off".
	Letters string `toml:"letters"`
	// PublicURL is the page where the VVG publishes the results table;
	// the letters and the table name it. "" names organisation.website.
	PublicURL string `toml:"public_url"`
}

// StatusConfig sets the alert thresholds of `vvgintake status`.
type StatusConfig struct {
	SyncAlertAfter Duration `toml:"sync_alert_after"`
	// AlertAfter is how long the oldest acknowledgement may wait unsent.
	AlertAfter Duration `toml:"alert_after"`
	// FailedAlertFor is how long a failed mail alerts unless retried or
	// dismissed.
	FailedAlertFor Duration `toml:"failed_alert_for"`
	// MinFreeMB is the disk space under the ledger below which it alerts.
	MinFreeMB int `toml:"min_free_mb"`
}

// RetentionConfig says how long personal data is kept (GDPR Art.
// 5(1)(e)): months after a consultation's results are out (it was
// published, or its last suggestion decided, whichever is later); mail
// that joined no consultation counts from its arrival.
type RetentionConfig struct {
	Enabled bool `toml:"enabled"`
	// RawMailMonths: raw e-mails and attachments (e-mail and form).
	RawMailMonths int `toml:"raw_mail_months"`
	// PersonalDataMonths: names, addresses, subjects, texts, notes, mail
	// sent; each case is left as its anonymous tombstone.
	PersonalDataMonths int `toml:"personal_data_months"`
	// CaseMonths: the tombstones too; 0 keeps them for good (the
	// published results and counts).
	CaseMonths int `toml:"case_months"`
	// Mailbox deletes the purged mail's copies from the mailbox too.
	Mailbox bool `toml:"mailbox"`
}

// defaults returns the configuration before the file is applied. Where
// a package has its own default, it is used, so the two cannot differ.
func defaults() *Config {
	return &Config{
		Organisation: OrganisationConfig{Timezone: vilnius.Name, Language: "lt", RefPrefix: "VVG"},
		Ledger:       LedgerConfig{Path: "vvgintake.db", Checkpoint: string(ledger.CheckpointLedger)},
		Log:          LogConfig{Level: "info", Format: "text"},
		Classify:     ClassifyConfig{ReviewThreshold: classify.DefaultReviewThreshold},
		IMAP: IMAPConfig{Port: 993, TLS: mailbox.TLSImplicit, Credentials: Credentials{Auth: mailbox.AuthPassword},
			Folders: []string{"INBOX"}, AfterIngest: mailbox.DefaultAfterIngest, Keyword: mailbox.DefaultKeyword,
			MoveTo: mailbox.DefaultMoveTo, GmailLabel: mailbox.DefaultGmailLabel, PollInterval: Duration(mailbox.DefaultPollInterval),
			FullSyncInterval: Duration(mailbox.DefaultFullSync), CommandTimeout: Duration(mailbox.DefaultCommandTimeout)},
		SMTP: SMTPConfig{Port: 587, TLS: notify.TLSStartTLS, Credentials: Credentials{Auth: notify.AuthPassword},
			Timeout: Duration(30 * time.Second)},
		Notify: NotifyConfig{Acknowledge: true, AckLanguage: "auto", MaxAcksPerSenderPerDay: 3,
			DigestSchedule: "Mon 08:00", ReportToBoard: true, ReminderWorkingDays: 3,
			RetryFor: Duration(72 * time.Hour)},
		Response: ResponseConfig{WorkingDays: 20, LateWindowDays: 30},
		Limits:   LimitsConfig{MaxMessageMB: 30, MaxAttachmentMB: 10, MaxAttachments: 20},
		Form: FormConfig{Enabled: true, Listen: "127.0.0.1:8080", RatePerHour: 20, MaxUploadMB: 10, MaxFiles: 3,
			AllowedTypes: form.DefaultAllowedTypes(), MinFillSeconds: 3},
		Console: ConsoleConfig{Listen: "127.0.0.1:8081", BaseURL: "http://127.0.0.1:8081", ProxyHeader: "X-Forwarded-For",
			IdleTimeout: Duration(2 * time.Hour), SessionLifetime: Duration(12 * time.Hour)},
		Status: StatusConfig{SyncAlertAfter: Duration(30 * time.Minute), AlertAfter: Duration(ledger.DefaultAckAlertAfter),
			FailedAlertFor: Duration(ledger.DefaultFailedAlertFor), MinFreeMB: ledger.DefaultMinFreeBytes >> 20},
		Retention: RetentionConfig{Enabled: true, RawMailMonths: 12, PersonalDataMonths: 12, Mailbox: true},
		Results:   ResultsConfig{Letters: intake.LettersOnPublish},
	}
}

// Error lists every problem found in a configuration, each prefixed
// with its line (when the file sets it) and key.
type Error struct {
	Path     string
	Problems []string
}

func (e *Error) Error() string {
	return fmt.Sprintf("configuration %s has %d problem(s):\n  %s", e.Path, len(e.Problems),
		strings.Join(e.Problems, "\n  "))
}

// Load reads path strictly over the defaults, applies
// VVGINTAKE_<SECTION>_<KEY> environment overrides and *_file secrets,
// completes the values derived from others, and validates the result,
// reporting every problem at once as an *Error. Secrets are not required
// here (CheckRun does that), so commands that only read the ledger work
// on a machine without them.
func Load(path string, env []string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	return parse(path, data, env)
}

func parse(path string, data []byte, env []string) (*Config, error) {
	cfg := defaults()
	cfg.path = path
	cfg.lines = keyLines(data)
	cerr := &Error{Path: path}
	cerr.Problems = read(cfg, data)
	cerr.Problems = append(cerr.Problems, applyEnv(cfg, env)...)
	cerr.Problems = append(cerr.Problems, cfg.readSecrets()...)
	cfg.warnings = cfg.secretWarnings()
	cfg.complete()
	cerr.Problems = append(cerr.Problems, cfg.validate().lined(cfg.lines)...)
	if len(cerr.Problems) > 0 {
		sortByLine(cerr.Problems)
		return nil, cerr
	}
	return cfg, nil
}

// sortByLine puts the problems in the order of the file's lines, those
// without a line (the environment, secrets files) last, as they came.
func sortByLine(ps []string) {
	line := func(s string) int {
		if rest, ok := strings.CutPrefix(s, "line "); ok {
			if n, _, ok := strings.Cut(rest, ":"); ok {
				if v, err := strconv.Atoi(n); err == nil {
					return v
				}
			}
		}
		return math.MaxInt
	}
	slices.SortStableFunc(ps, func(a, b string) int { return cmp.Compare(line(a), line(b)) })
}

// CheckRun reports, as an *Error, what `run` needs beyond a valid
// configuration: the secrets of the enabled connections. `check-config`
// runs it too, so a configuration it passes is one `run` starts with.
func (c *Config) CheckRun() error {
	var ps problems
	c.checkSecrets(&ps)
	if len(ps) > 0 {
		return &Error{Path: c.path, Problems: ps.lined(c.lines)}
	}
	return nil
}

// Path is the file the configuration was read from.
func (c *Config) Path() string { return c.path }

// Resolve makes a path from the configuration relative to the
// configuration file's folder.
func (c *Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || c.path == "" {
		return p
	}
	return filepath.Join(filepath.Dir(c.path), p)
}

// Location is the VVG's time zone (validated at load).
func (c *Config) Location() *time.Location { return c.loc }
