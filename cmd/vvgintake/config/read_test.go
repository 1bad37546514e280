package config

import (
	"strings"
	"testing"
	"time"
)

// TestOnePass: a file with a syntax error, a misspelt section, a misspelt
// key and bad values is reported in one round, in the order of its lines,
// each with its line, and the rest of the file is still read.
func TestOnePass(t *testing.T) {
	body := minimalConfig + `
[classify]
review_treshold = 0.5

[smpt]
host = "smtp.example.lt"

[form]
listen = "127.0.0.1:99999"
title = "unterminated

[imap]
port = "993"
poll_interval = "soon"

[response]
working_days = 0
`
	_, err := Load(writeConfig(t, body), nil)
	if err == nil {
		t.Fatal("got nil error")
	}
	want := []string{
		"line 11: classify.review_treshold: unknown key (did you mean review_threshold?)",
		"line 13: [smpt]: unknown section (did you mean [smtp]?)",
		"line 17: form.listen: want a port from 1 to 65535, got \"99999\"",
		"line 18: syntax error:",
		"line 21: imap.port: want a whole number, got \"993\"",
		"line 22: imap.poll_interval: want a duration",
		"line 25: response.working_days: want 1-250, got 0",
	}
	got := err.Error()
	last := -1
	for _, w := range want {
		i := strings.Index(got, w)
		if i < 0 {
			t.Errorf("error lacks %q:\n%s", w, got)
			continue
		}
		if i < last {
			t.Errorf("%q is out of line order:\n%s", w, got)
		}
		last = i
	}
	if strings.Contains(got, "host") && strings.Contains(got, "imap.host") {
		t.Errorf("keys under the misspelt section were read as another's:\n%s", got)
	}
}

// TestUnknownNames: unknown sections and keys name the nearest setting
// when one is close, and say so plainly when none is.
func TestUnknownNames(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"section typo", "[smpt]\n", "line 10: [smpt]: unknown section (did you mean [smtp]?)"},
		{"section unknown", "[database]\n", "line 10: [database]: unknown section (sections are organisation, ledger,"},
		{"key typo", "[classify]\nreview_treshold = 0.9\n", "classify.review_treshold: unknown key (did you mean review_threshold?)"},
		{"key swapped letters", "[smtp]\nhots = \"x\"\n", "smtp.hots: unknown key (did you mean host?)"},
		{"key of an embedded struct", "[imap]\npasword = \"x\"\n", "imap.pasword: unknown key (did you mean password?)"},
		{"key unknown", "[smtp]\ncolour = \"x\"\n", "line 11: smtp.colour: unknown key"},
		{"array table key", "[[measures]]\ncode = \"2\"\ntitel = \"Du\"\n", "line 12: measures[1].titel: unknown key (did you mean title?)"},
		{"duration as a number", "[imap]\npoll_interval = 30\n", "line 11: imap.poll_interval: want a duration"},
		{"dotted key", "[notify]\nboard.x = 1\n", "notify.board"},
		{"setting as a section", "[organisation.name]\n", "line 10: syntax error: key name should be a table, not a value"},
		{"inline table", "[form]\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeConfig(t, minimalConfig+"\n"+tt.body), nil)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
	// A key at the top, before any section, is told where it belongs.
	_, err := Load(writeConfig(t, "ref_prefix = \"X\"\n"+minimalConfig), nil)
	if err == nil || !strings.Contains(err.Error(), "line 1: ref_prefix: unknown key (settings go under a section: put it under [organisation])") {
		t.Errorf("top-level key: got %v", err)
	}
}

// TestSyntaxErrors: each broken expression is reported, and what follows
// it is still read, under its own section.
func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"unterminated string", "[response]\nlate_window_days = \"x\nworking_days = 0\n", []string{"line 11: syntax error:", "is the closing \" missing?", "line 12: response.working_days: want 1-250"}},
		{"broken header keeps its keys apart", "[smtp\nhots = 1\n[imap]\nhots = 2\n", []string{"line 10: syntax error:", "line 13: imap.hots: unknown key"}},
		{"open list", "[notify]\nboard = [\"a@b.lt\",\n\n[response]\nworking_days = 0\n", []string{"line 11: syntax error: the value that starts here is not closed"}},
		{"missing equals", "[response]\nlate_window_days 3\nworking_days = 0\n", []string{"line 11: syntax error: expected '=' after key", "line 12: response.working_days"}},
		{"set twice", "[smtp]\nport = 25\nport = 26\n", []string{"line 12: set twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeConfig(t, minimalConfig+"\n"+tt.body), nil)
			if err == nil {
				t.Fatal("got nil error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if strings.Contains(err.Error(), "line 13: imap.hots") && strings.Contains(err.Error(), "line 11: imap") {
				t.Errorf("keys under a broken header were read as the previous section's:\n%v", err)
			}
		})
	}
}

// TestNativeDates: closes_at = 2026-12-13, as TOML writes a date, means
// the same as the quoted form.
func TestNativeDates(t *testing.T) {
	tests := []struct{ name, opens, closes, want string }{
		{"quoted", `"2026-11-02"`, `"2026-12-13"`, "2026-12-13T22:00:00Z"},
		{"local date", `2026-11-02`, `2026-12-13`, "2026-12-13T22:00:00Z"},
		{"local date-time", `2026-11-02T08:00:00`, `2026-12-13T17:00:00`, "2026-12-13T15:00:00Z"},
		{"local date-time with a space", `2026-11-02 08:00:00`, `2026-12-13 17:00:00`, "2026-12-13T15:00:00Z"},
		{"offset date-time", `2026-11-02T08:00:00+02:00`, `2026-12-13T17:00:00Z`, "2026-12-13T17:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := minimalConfig + "\n[[consultations]]\nslug = \"k\"\ntitle = \"K\"\nopens_at = " + tt.opens + "\ncloses_at = " + tt.closes + "\n"
			cfg, err := Load(writeConfig(t, body), nil)
			if err != nil {
				t.Fatal(err)
			}
			got := cfg.Consultations[0].ClosesAt.Time(cfg.Location(), true).UTC().Format(time.RFC3339)
			if got != tt.want {
				t.Errorf("closes_at = %s, want %s", got, tt.want)
			}
		})
	}
	_, err := Load(writeConfig(t, minimalConfig+"\n[[consultations]]\nslug = \"k\"\ntitle = \"K\"\nopens_at = 2026-11-02\ncloses_at = 13\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "line 14: consultations[0].closes_at: want a date") {
		t.Errorf("a number for a date: got %v", err)
	}
}

func TestNearest(t *testing.T) {
	cands := []string{"smtp", "imap", "form", "review_threshold", "examples", "host"}
	for word, want := range map[string]string{
		"smpt": "smtp", "imapp": "imap", "review_treshold": "review_threshold", "exmaples": "examples",
		"hots": "host", "database": "", "smtp": "", "from": "form", "x": "",
	} {
		if got := Nearest(word, cands); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", word, got, want)
		}
	}
}
