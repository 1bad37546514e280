package mailbox

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestNewPollerValidates(t *testing.T) {
	valid := func() Options {
		return Options{Addr: "imap.gmail.com:993", Username: "vvg@example.lt", Password: "app-password"}
	}
	tests := []struct {
		name    string
		mutate  func(o *Options)
		wantErr []string // substrings; none = valid
	}{
		{"defaults", func(o *Options) {}, nil},
		{"plaintext to a remote host", func(o *Options) { o.TLS, o.AllowInsecure = TLSNone, true },
			[]string{`tls: "none" is refused for non-loopback host "imap.gmail.com"`}},
		{"plaintext to a name resolving anywhere", func(o *Options) {
			o.Addr, o.TLS, o.AllowInsecure = "mail.local:143", TLSNone, true
		}, []string{"non-loopback"}},
		{"plaintext to loopback without consent", func(o *Options) { o.Addr, o.TLS = "127.0.0.1:143", TLSNone },
			[]string{"needs allow_insecure"}},
		{"plaintext to loopback", func(o *Options) { o.Addr, o.TLS, o.AllowInsecure = "127.0.0.1:143", TLSNone, true }, nil},
		{"plaintext to localhost and ::1", func(o *Options) { o.Addr, o.TLS, o.AllowInsecure = "[::1]:143", TLSNone, true }, nil},
		{"starttls", func(o *Options) { o.Addr, o.TLS = "mail.example.lt:143", TLSStartTLS }, nil},
		{"bad addr", func(o *Options) { o.Addr = "imap.gmail.com" }, []string{"addr: must be host:port"}},
		{"bad port", func(o *Options) { o.Addr = "imap.gmail.com:99999" }, []string{"addr: port must be 1-65535"}},
		{"unknown tls", func(o *Options) { o.TLS = "ssl" }, []string{"tls: must be"}},
		{"no password", func(o *Options) { o.Password = "" }, []string{"password: must be set"}},
		{"oauth without token source", func(o *Options) { o.Auth = AuthXOAuth2 }, []string{"token_source: must be set"}},
		{"oauth", func(o *Options) {
			o.Auth, o.Password, o.TokenSource = AuthOAuthBearer, "", oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})
		}, nil},
		{"unknown auth", func(o *Options) { o.Auth = "cram-md5" }, []string{"auth: must be"}},
		{"system flag as keyword", func(o *Options) { o.AfterIngest, o.Keyword = AfterKeyword, `\Seen` }, []string{"keyword:", "system flag"}},
		{"keyword with space", func(o *Options) { o.AfterIngest, o.Keyword = AfterKeyword, "VVG done" }, []string{"not an IMAP atom"}},
		{"move into a watched folder", func(o *Options) {
			o.AfterIngest, o.Folders, o.MoveTo = AfterMove, []string{"INBOX", "Processed"}, "Processed"
		}, []string{"move_to:"}},
		{"folder twice", func(o *Options) { o.Folders = []string{"INBOX", "INBOX"} }, []string{"listed twice"}},
		{"unknown after_ingest", func(o *Options) { o.AfterIngest = "delete" }, []string{"after_ingest: must be"}},
		{"negative durations", func(o *Options) { o.PollInterval, o.CommandTimeout = -time.Second, -time.Second },
			[]string{"poll_interval: must be positive", "command_timeout: must be positive"}},
		{"every problem at once", func(o *Options) { o.Addr, o.Username, o.Auth = "x", "", "kerberos" },
			[]string{"addr:", "username:", "auth:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := valid()
			tt.mutate(&opt)
			p, err := NewPoller(opt, newIMAPSink())
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("NewPoller() = %v, want no error", err)
				}
				if p.Account() != opt.Username+"@"+opt.Addr {
					t.Errorf("Account() = %q, want %q", p.Account(), opt.Username+"@"+opt.Addr)
				}
				return
			}
			if err == nil {
				t.Fatalf("NewPoller() = nil, want an error containing %q", tt.wantErr)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("NewPoller() = %q, want it to contain %q", err, want)
				}
			}
		})
	}
}

func TestOptionDefaults(t *testing.T) {
	got := Options{}.withDefaults()
	if got.TLS != TLSImplicit || got.Auth != AuthPassword || len(got.Folders) != 1 || got.Folders[0] != "INBOX" ||
		got.AfterIngest != AfterKeyword || got.Keyword != "$VVGIngested" || got.MoveTo != "Processed" ||
		got.PollInterval != time.Minute || got.FullSync != 10*time.Minute || got.CommandTimeout != time.Minute ||
		got.MaxMessageBytes != DefaultMaxMessageBytes || got.Logger == nil || got.Now == nil {
		t.Errorf("withDefaults() = %+v, want the documented defaults", got)
	}
}
