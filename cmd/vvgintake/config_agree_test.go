package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCheckConfigAgreesWithRun feeds the same bad configuration files to
// `check-config` and to `run --once`: both must refuse with exit code 2
// and name the same problems, each with its key and line, all at once.
func TestCheckConfigAgreesWithRun(t *testing.T) {
	const base = `[organisation]
name = "Testo VVG"
mailbox = "vvg@example.lt"

[[measures]]
code = "1"
title = "Vienas"
`
	imap := `
[imap]
enabled = true
host = "127.0.0.1"
port = 1
tls = "none"
allow_insecure = true
username = "vvg"
password = "x"
`
	tests := []struct {
		name string
		body string
		want []string // each a problem line's key (with its line number where the file sets it)
	}{
		{name: "a system flag as the keyword, moving into a watched folder",
			body: base + imap + "keyword = \"\\\\Seen\"\nfolders = [\"INBOX\", \"Processed\"]\nafter_ingest = \"move\"\n",
			want: []string{`line 17: imap\.keyword: .*system flag`, `line 9: imap\.move_to: "Processed" is also in folders`}},
		{name: "a listen port out of range", body: base + "\n[form]\nlisten = \"127.0.0.1:99999\"\n",
			want: []string{`line 10: form\.listen: `}},
		{name: "a secret missing", body: base + strings.Replace(imap, "password = \"x\"\n", "", 1),
			want: []string{`imap\.password: not set \(put it in VVGINTAKE_IMAP_PASSWORD`}},
		{name: "an unknown key", body: base + "\n[smtp]\nhots = \"x\"\n", want: []string{`line 10: smtp\.hots: unknown key`}},
		{name: "a consultation on a strategy there is not",
			body: base + "\n[[consultations]]\nslug = \"k\"\ntitle = \"K\"\nopens_at = 2026-11-02\ncloses_at = 2026-12-13\nstrategy = \"vps-2028\"\n",
			want: []string{`line 14: consultations\[0\]\.strategy: "vps-2028" is not one of the \[\[strategies\]\]`}},
		{name: "a syntax error, unknown names and a bad value in one round",
			body: base + "\n[smpt]\nhost = \"x\"\n[notify]\nack_language = \"fr\"\ndigest_schedule = \"Mon 08:00\n[classify]\nreview_treshold = 0.5\n",
			want: []string{`line 9: \[smpt\]: unknown section \(did you mean \[smtp\]\?\)`, `line 12: notify\.ack_language: `,
				`line 13: syntax error: `, `line 15: classify\.review_treshold: unknown key \(did you mean review_threshold\?\)`}},
		{name: "several values at once", body: strings.Replace(base, `name = "Testo VVG"`, "name = \"\"\nlanguage = \"de\"", 1) +
			"\n[notify]\nboard = [\"valdyba\"]\nack_language = \"fr\"\n",
			want: []string{`line 2: organisation\.name: must be set`, `line 3: organisation\.language: `,
				`line 11: notify\.board\[0\]: `, `line 12: notify\.ack_language: `}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "vvgintake.toml")
			if err := os.WriteFile(path, []byte(tt.body), 0o600); err != nil {
				t.Fatal(err)
			}
			env := []string{"VVGINTAKE_LEDGER_PATH=" + filepath.Join(dir, "l.db")}
			var outs [2]string
			for i, args := range [][]string{{"check-config"}, {"run", "--once"}} {
				var stdout, stderr bytes.Buffer
				code := Main(context.Background(), append([]string{"-config", path}, args...), strings.NewReader(""), &stdout, &stderr, env)
				if code != exitUsage {
					t.Errorf("%s: exit code %d, want %d; stderr:\n%s", args[0], code, exitUsage, stderr.String())
				}
				outs[i] = stderr.String()
				for _, w := range tt.want {
					if !regexp.MustCompile(w).MatchString(stderr.String()) {
						t.Errorf("%s does not report %q:\n%s", args[0], w, stderr.String())
					}
				}
			}
			if problems(outs[0]) != problems(outs[1]) {
				t.Errorf("check-config and run report different problems:\n%s\n---\n%s", outs[0], outs[1])
			}
		})
	}
}

// problems is the problem lines of a configuration error.
func problems(stderr string) string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "  ") {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return strings.Join(out, "\n")
}
