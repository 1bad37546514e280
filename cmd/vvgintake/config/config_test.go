package config

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/classify"
)

// The example ships with the product and documents every key: it must
// load, and it must set (not merely inherit) every section's keys.
func TestExampleConfigLoads(t *testing.T) {
	cfg, err := Load("../../../config.example.toml", nil)
	if err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	if got := len(cfg.Measures); got != 8 {
		t.Errorf("measures = %d, want 8 (1.1 1.2 2.1 2.2 3 4 5 other)", got)
	}
	want := []string{"1.1", "1.2", "2.1", "2.2", "3", "4", "5", "other"}
	for i, m := range cfg.Measures {
		if m.Code != want[i] || m.Title == "" || m.Description == "" && m.Code != "other" {
			t.Errorf("measure %d = %q %q", i, m.Code, m.Title)
		}
	}
	if cfg.Classify.ReviewThreshold != classify.DefaultReviewThreshold {
		t.Errorf("classify.review_threshold = %v, want classify.DefaultReviewThreshold (%v), which the example documents",
			cfg.Classify.ReviewThreshold, classify.DefaultReviewThreshold)
	}
	if cfg.Location().String() != "Europe/Vilnius" {
		t.Errorf("location = %s", cfg.Location())
	}
	if len(cfg.Consultations) != 1 {
		t.Fatalf("consultations = %d, want 1", len(cfg.Consultations))
	}
	if cfg.Consultations[0].TitleEN == "" || cfg.Consultations[0].DescriptionEN == "" || cfg.Organisation.NameEN == "" ||
		cfg.FormOptions().OrgShortNameEN != "Aleksotas LAG" || cfg.Org().In("en").Name != cfg.Organisation.NameEN {
		t.Errorf("English names and titles not read: %+v %+v", cfg.Organisation, cfg.Consultations[0])
	}
	closes := cfg.Consultations[0].ClosesAt.Time(cfg.Location(), true)
	if got, want := closes.UTC().Format(time.RFC3339), "2026-12-13T22:00:00Z"; got != want {
		t.Errorf("closes_at = %s, want %s (end of 13 December in Vilnius)", got, want)
	}
	def := defaultStrategy(t, cfg)
	ex, err := def.ReadExamples()
	if err != nil || len(ex) < 100 {
		t.Errorf("examples = %d, %v", len(ex), err)
	}
	data, err := os.ReadFile("../../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	lines := keyLines(data)
	for _, key := range []string{"organisation.name", "ledger.path", "imap.host", "smtp.port", "notify.board",
		"response.working_days", "limits.max_attachment_mb", "form.listen", "status.sync_alert_after", "measures[7].code"} {
		if lines[key] == 0 {
			t.Errorf("config.example.toml does not set %s", key)
		}
	}
}

// defaultStrategy is cfg's default strategy (StrategyFor("")), which
// the tests of the examples need first and which must be there.
func defaultStrategy(t *testing.T, cfg *Config) *Strategy {
	t.Helper()
	s, err := cfg.StrategyFor("")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "vvgintake.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const minimalConfig = `
[organisation]
name = "Testo VVG"
mailbox = "vvg@example.lt"

[[measures]]
code = "1"
title = "Vienas"
`

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		env  []string
		want []string
	}{
		{"unknown key with line", minimalConfig + "\n[smtp]\nhots = \"x\"\n", nil, []string{"line 11: smtp.hots: unknown key"}},
		{"misspelt section", minimalConfig + "\n[imapp]\nhost = \"x\"\n", nil, []string{"line 10: [imapp]: unknown section (did you mean [imap]?)"}},
		{"type error names key and line", minimalConfig + "\n[smtp]\nport = \"five\"\n", nil, []string{"line 11", "smtp.port"}},
		{"bad duration", minimalConfig + "\n[imap]\npoll_interval = \"soon\"\n", nil, []string{"imap.poll_interval"}},
		{"every problem at once", minimalConfig + `
[organisation]
` + "", nil, []string{"organisation"}},
		{"several validation problems", strings.Replace(minimalConfig, `name = "Testo VVG"`, `name = ""
language = "de"
timezone = "Mars/Olympus"`, 1) + "\n[smtp]\nenabled = true\nport = 70000\ntls = \"none\"\nhost = \"smtp.example.lt\"\nusername = \"u\"\n", nil,
			[]string{"line 3: organisation.name: must be set", "organisation.language", "organisation.timezone",
				"smtp.port: must be 1-65535", "smtp.tls: \"none\" needs allow_insecure"}},
		{"duplicate measure", minimalConfig + "\n[[measures]]\ncode = \"1\"\ntitle = \"Du\"\n", nil, []string{"line 11: measures[1].code: \"1\" is used twice"}},
		{"consultation window backwards", minimalConfig + "\n[[consultations]]\nslug = \"k\"\ntitle = \"K\"\nopens_at = \"2026-12-13\"\ncloses_at = \"2026-12-01\"\n", nil,
			[]string{"consultations[0].closes_at: must be after opens_at"}},
		{"bad env override", minimalConfig, []string{"VVGINTAKE_SMTP_PORT=abc", "VVGINTAKE_SMTP_PROT=1"},
			[]string{"VVGINTAKE_SMTP_PORT: want a whole number", "VVGINTAKE_SMTP_PROT: no such setting"}},
		{"bad address", minimalConfig + "\n[notify]\nboard = [\"not an address\"]\n", nil, []string{"notify.board[0]"}},
		{"bad schedule", minimalConfig + "\n[notify]\ndigest_schedule = \"someday\"\n", nil, []string{"notify.digest_schedule"}},
		{"unknown checkpointer", minimalConfig, []string{"VVGINTAKE_LEDGER_CHECKPOINT=rsync"},
			[]string{`ledger.checkpoint: want "ledger" or "litestream", got "rsync"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeConfig(t, tt.body), tt.env)
			if err == nil {
				t.Fatal("got nil error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestConfigEnvAndSecrets(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "smtp-password")
	os.WriteFile(secret, []byte("s3cret\n"), 0o600)
	body := minimalConfig + `
[smtp]
enabled = true
host = "smtp.example.lt"
username = "vvg"
password_file = "` + secret + `"

[imap]
enabled = true
host = "imap.example.lt"
username = "vvg"
`
	p := writeConfig(t, body)
	cfg, err := Load(p, []string{"VVGINTAKE_LEDGER_PATH=/tmp/x.db", "VVGINTAKE_IMAP_FOLDERS=INBOX, Pasiūlymai",
		"VVGINTAKE_IMAP_POLL_INTERVAL=30s", "VVGINTAKE_NOTIFY_ACKNOWLEDGE=false", "VVGINTAKE_CONFIG=ignored"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Ledger.Path != "/tmp/x.db" || len(cfg.IMAP.Folders) != 2 || cfg.IMAP.Folders[1] != "Pasiūlymai" ||
		cfg.IMAP.PollInterval.D() != 30*time.Second || cfg.Notify.Acknowledge {
		t.Errorf("environment not applied: %+v %+v", cfg.Ledger, cfg.IMAP)
	}
	if cfg.SMTP.Password != "s3cret" {
		t.Errorf("smtp password from file = %q", cfg.SMTP.Password)
	}
	err = cfg.CheckRun()
	if err == nil || !strings.Contains(err.Error(), "imap.password: not set") || strings.Contains(err.Error(), "smtp.password") {
		t.Errorf("requireSecrets = %v, want only imap.password missing", err)
	}
	cfg, err = Load(p, []string{"VVGINTAKE_IMAP_PASSWORD=pw", "VVGINTAKE_SMTP_PASSWORD=from-env"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckRun(); err != nil || cfg.SMTP.Password != "from-env" {
		t.Errorf("env secrets: %v, smtp password %q (the environment wins over the file)", err, cfg.SMTP.Password)
	}
}

// TestEnvNotSettings: variables that name no section are not settings
// (the program's own and its test harness's), but a misspelt section or
// an unknown key of a real one is an error.
func TestEnvNotSettings(t *testing.T) {
	p := writeConfig(t, minimalConfig)
	if _, err := Load(p, []string{"VVGINTAKE_CONFIG=x", "VVGINTAKE_TEST_REAL=1", "VVGINTAKE_ARTIFACTS=/tmp/a",
		"VVGINTAKE_SOMETHING_ELSE=1"}); err != nil {
		t.Errorf("variables that name no section: %v", err)
	}
	for env, want := range map[string]string{
		"VVGINTAKE_SMPT_HOST=x":    "VVGINTAKE_SMPT_HOST: no such setting (did you mean VVGINTAKE_SMTP_…?)",
		"VVGINTAKE_NOTIFYY_BOARD=": "did you mean VVGINTAKE_NOTIFY_",
		"VVGINTAKE_IMAP_HOTS=x":    "VVGINTAKE_IMAP_HOTS: no such setting",
	} {
		_, err := Load(p, []string{env})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", env, err, want)
		}
	}
}

// TestExamplesDefault: without classify.examples the examples built into
// the binary are used when they fit the measures, none otherwise; a
// relative path that is not there says what it was relative to.
func TestExamplesDefault(t *testing.T) {
	cfg, err := Load("../../../config.example.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Classify.Examples = nil
	def := defaultStrategy(t, cfg)
	ex, err := def.ReadExamples()
	if err != nil || len(ex) < 100 {
		t.Errorf("built-in examples for the Aleksotas measures: %d, %v", len(ex), err)
	}
	if got := def.ExamplesSource(); got != "built in (aleksotas)" {
		t.Errorf("source = %q", got)
	}
	if _, bias, err := def.ReadTraining(); err != nil || !maps.Equal(bias, classify.ShippedLabelBias("aleksotas")) || len(bias) == 0 {
		t.Errorf("label bias with the built-in examples: %v, %v; want the shipped set's", bias, err)
	}

	other, err := Load(writeConfig(t, minimalConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	odef := defaultStrategy(t, other)
	if ex, err := odef.ReadExamples(); err != nil || len(ex) != 0 {
		t.Errorf("another VVG's measures: %d examples, %v; want none", len(ex), err)
	}
	if got := odef.ExamplesSource(); got != "none built in fits these measures" {
		t.Errorf("source = %q", got)
	}
	if _, bias, err := odef.ReadTraining(); err != nil || bias != nil {
		t.Errorf("label bias for another VVG's measures: %v, %v; want none", bias, err)
	}

	p := writeConfig(t, minimalConfig+"\n[classify]\nexamples = [\"classify/examples/aleksotas.jsonl\"]\n")
	_, err = Load(p, nil)
	want := "line 11: classify.examples[0]: " + filepath.Join(filepath.Dir(p), "classify/examples/aleksotas.jsonl") +
		": not found (a relative path is relative to the configuration file's folder, " + filepath.Dir(p) + ")"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("missing examples file: got %v, want %q", err, want)
	}
}

// TestSecretWarnings: secrets other users of the machine can read are
// warned about (they were not).
func TestSecretWarnings(t *testing.T) {
	dir := t.TempDir()
	open := filepath.Join(dir, "open-password")
	closed := filepath.Join(dir, "closed-password")
	os.WriteFile(open, []byte("s3cret\n"), 0o644)
	os.WriteFile(closed, []byte("s3cret\n"), 0o600)
	smtp := func(file string) string {
		return minimalConfig + "\n[smtp]\nenabled = true\nhost = \"smtp.example.lt\"\nusername = \"vvg\"\npassword_file = \"" + file + "\"\n"
	}
	tests := []struct {
		name, body string
		mode       os.FileMode
		want       string // "" for no warning
	}{
		{"world-readable password file", smtp(open), 0o600, "smtp.password_file: " + open + " is readable by every user"},
		{"private password file", smtp(closed), 0o644, ""},
		{"password in a world-readable config", minimalConfig + "\n[imap]\npassword = \"s3cret\"\n", 0o644, "imap.password: the configuration file"},
		{"password in a private config", minimalConfig + "\n[imap]\npassword = \"s3cret\"\n", 0o600, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeConfig(t, tt.body)
			if err := os.Chmod(p, tt.mode); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			ws := strings.Join(cfg.Warnings(), "\n")
			if tt.want == "" && ws != "" || !strings.Contains(ws, tt.want) {
				t.Errorf("warnings %q, want %q", ws, tt.want)
			}
		})
	}
}

// TestOAuthTokenURLHTTPS: the token endpoint must be https (loopback
// excepted): the client secret and refresh token travel to it.
func TestOAuthTokenURLHTTPS(t *testing.T) {
	body := func(url string) string {
		return minimalConfig + "\n[imap]\nenabled = true\nhost = \"imap.example.lt\"\nusername = \"vvg\"\nauth = \"oauthbearer\"\noauth_token_url = \"" + url + "\"\n"
	}
	if _, err := Load(writeConfig(t, body("http://oauth.example.lt/token")), nil); err == nil || !strings.Contains(err.Error(), "imap.oauth_token_url: must be https") {
		t.Errorf("plain http token URL: %v, want refused", err)
	}
	for _, ok := range []string{"https://oauth2.googleapis.com/token", "http://127.0.0.1:9999/token"} {
		if _, err := Load(writeConfig(t, body(ok)), nil); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
