package main

import (
	"errors"
	"io/fs"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// TestE2EUsageErrors: every mistake on the command line exits 2 and says
// what is wrong; `help` of an unknown command is one of them.
func TestE2EUsageErrors(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"help of an unknown command", []string{"help", "foo"}, `unknown command "foo"`},
		{"help of a misspelt command", []string{"help", "subissions"}, `unknown command "subissions" (did you mean submissions?)`},
		{"unknown command", []string{"consultaton"}, `(did you mean consultation?)`},
		{"bad slug", []string{"consultation", "create", "Bad_Slug", "--title", "T", "--opens", "2026-01-01", "--closes", "2026-02-01"},
			`use lower-case letters, digits and '-'`},
		{"closes missing", []string{"consultation", "create", "k", "--title", "T", "--opens", "2026-01-01"}, "--closes is required"},
		{"everything missing", []string{"consultation", "create", "k"}, "--title, --opens, --closes are required"},
		{"closes before opens", []string{"consultation", "create", "k", "--title", "T", "--opens", "2026-02-01", "--closes", "2026-01-01"},
			"closes_at must be after opens_at"},
		{"bad date", []string{"consultation", "create", "k", "--title", "T", "--opens", "2026-02-01", "--closes", "gruodžio 13"},
			`--closes: want a date`},
		{"unknown flag", []string{"submissions", "list", "--lately"}, "flag provided but not defined: -lately"},
		{"version with arguments", []string{"version", "x"}, "takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.on(t).run(tt.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.want)
			}
			if strings.Contains(r.stderr, `got ""`) {
				t.Errorf("%v: %q says got \"\" instead of what is missing", tt.args, r.stderr)
			}
		})
	}
}

// TestE2ESubcommandUsage: a ledger command without its subcommand, with
// one it does not know or with the wrong count of arguments is a usage
// error that says so, and it neither opens nor makes the ledger.
func TestE2ESubcommandUsage(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"users"}, "users needs a subcommand: add, list, disable or reset"},
		{[]string{"consultation", "opne", "k"}, `unknown consultation subcommand "opne"`},
		{[]string{"submissions", "shwo"}, `unknown submissions subcommand "shwo"`},
		{[]string{"consultation", "show"}, "consultation show takes exactly one argument"},
		{[]string{"users", "reset", "a@example.lt", "b@example.lt"}, "users reset takes exactly one argument"},
	}
	for _, tt := range tests {
		r := c.run(tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
	if _, err := os.Stat(c.dbPath()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the usage errors made or opened the ledger: stat %s: %v", c.dbPath(), err)
	}
}

// TestE2EVersion: `version` and `--version` need no configuration and
// print the version line.
func TestE2EVersion(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	for _, args := range [][]string{{"version"}, {"--version"}, {"-config", "/nonexistent.toml", "version"}} {
		r := runCLI(t, c.env, "", args...)
		if r.code != exitOK || !regexp.MustCompile(`^vvgintake \S+ \(.*go1\.\d+`).MatchString(r.stdout) {
			t.Errorf("%v: exit %d %q %q", args, r.code, r.stdout, r.stderr)
		}
	}
}

// TestVersionLine: the revision, its time and a dirty checkout are shown
// when the build recorded them, and the line still reads without them.
func TestVersionLine(t *testing.T) {
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"release with revision", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "1e1f801c0a2b3c4d5e6f"}, {Key: "vcs.time", Value: "2026-03-01T10:00:00Z"},
				{Key: "vcs.modified", Value: "false"}}}, "vvgintake v1.2.0 (rev 1e1f801c0a2b, 2026-03-01T10:00:00Z, go1.26.8)"},
		{"dirty checkout", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}},
			"vvgintake (devel) (rev abc+dirty, go1.26.8)"},
		{"no vcs information", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "vvgintake (devel) (go1.26.8)"},
		{"no build information", nil, "vvgintake (unknown) (" + runtime.Version() + ")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionLine(tt.bi); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
