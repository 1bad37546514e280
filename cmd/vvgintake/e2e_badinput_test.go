package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/vilnius"
)

// runConfig runs the binary with another configuration file.
func (c *e2eCLI) runConfig(path string, args ...string) cliResult {
	c.t.Helper()
	return runCLIWith(c.t, path, c.env, "", args...)
}

// snapshot is everything a staff member can see of a ledger.
func (c *e2eCLI) snapshot() string {
	c.t.Helper()
	return c.ok("submissions", "export", "--format", "json") + c.ok("consultation", "list") +
		c.ok("outbox", "list") + c.ok("messages", "--json")
}

// e2eFileSum hashes a file (a database the CLI must refuse to touch).
func e2eFileSum(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// exampleEdited returns the example configuration with line n (1-based)
// replaced by repl (or, with insert, repl added after it), written into dir.
func exampleEdited(t testing.TB, dir, name string, n int, repl string, insert bool) string {
	t.Helper()
	b, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	if insert {
		lines = append(lines[:n], append([]string{repl}, lines[n:]...)...)
	} else {
		lines[n-1] = repl
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// exampleLine returns the 1-based line of the example configuration that is
// exactly s, after the line that is exactly after.
func exampleLine(t testing.TB, after, s string) int {
	t.Helper()
	b, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	seen := after == ""
	for i, l := range strings.Split(string(b), "\n") {
		if l == after {
			seen = true
		}
		if seen && l == s {
			return i + 1
		}
	}
	t.Fatalf("config.example.toml has no line %q after %q", s, after)
	return 0
}

// TestE2EBadInput: each mistake gets a clear message and the documented
// exit code (2 usage or configuration, 1 runtime) and changes nothing a
// staff member can see.
func TestE2EBadInput(t *testing.T) {
	t.Parallel()
	smtp := startE2ESMTP(t)
	c := newE2ECLI(t)
	loc, _ := vilnius.Location()
	day := func(n int) string { return time.Now().In(loc).AddDate(0, 0, n).Format("2006-01-02") }

	// A consultation whose closing report went out and whose results are
	// published, one whose suggestion has no decision yet, a draft, and a
	// few suggestions.
	c.ok("consultation", "create", "baigta", "--title", "Baigta", "--opens", day(-20), "--closes", day(-10))
	c.ok("consultation", "open", "baigta")
	done := recordedRef.FindStringSubmatch(c.ok("submissions", "add", "--consultation", "baigta", "--text", "Siūlau savanorių centrą.",
		"--received", day(-12)))[1]
	c.ok("consultation", "close", "baigta")
	c.with(smtp.env()...).ok("run", "--once")
	c.ok("submissions", "decide", done, "atsižvelgta", "--reason", "Įtraukta.")
	c.ok("consultation", "publish", "baigta")
	if list := c.ok("consultation", "list"); !strings.Contains(list, "baigta           published") {
		t.Fatalf("setup: want baigta published:\n%s", list)
	}
	c.ok("consultation", "create", "svarstoma", "--title", "Svarstoma", "--opens", day(-20), "--closes", day(-10))
	c.ok("consultation", "open", "svarstoma")
	c.ok("submissions", "add", "--consultation", "svarstoma", "--text", "Siūlau daugiau suoliukų.", "--received", day(-12))
	c.ok("consultation", "close", "svarstoma")
	existing := filepath.Join(c.dir, "jau-yra.pdf")
	if err := os.WriteFile(existing, []byte("staff's own file"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.ok("consultation", "create", "ruosiama", "--title", "Ruošiama", "--opens", day(10), "--closes", day(40))
	out := c.ok("submissions", "add", "--consultation", "strategija-2026", "--text", "Siūlau kursus bedarbiams.", "--email", "ona@example.lt")
	ref := recordedRef.FindStringSubmatch(out)[1]

	unknownKey := exampleLine(t, "", "[ledger]") + 1
	badKey := exampleEdited(t, c.dir, "unknown-key.toml", unknownKey-1, `pth = "kitas.db"`, true)
	portLine := exampleLine(t, "[smtp]", "port = 587")
	badType := exampleEdited(t, c.dir, "bad-type.toml", portLine, `port = "587"`, false)

	garbage := filepath.Join(c.dir, "garbage.db")
	junk := make([]byte, 8192)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range junk {
		junk[i] = byte(rng.IntN(256))
	}
	if err := os.WriteFile(garbage, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(c.dir, "newer.db")
	c.ok("backup", newer)
	db, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	// What a newer vvgintake leaves behind: WAL mode, a higher version.
	for _, q := range []string{"PRAGMA journal_mode = WAL", "PRAGMA user_version = 99"} {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	tests := []struct {
		name   string
		args   []string
		stdin  string
		config string   // another configuration file
		env    []string // extra settings
		file   string   // a database that must stay byte for byte
		code   int
		stderr []string
		stdout []string
	}{
		{name: "unknown config key", config: badKey, args: []string{"submissions", "list"}, code: exitUsage,
			stderr: []string{"line " + strconv.Itoa(unknownKey) + ": ledger.pth: unknown key"}},
		{name: "unknown config key check-config", config: badKey, args: []string{"check-config"}, code: exitUsage,
			stderr: []string{"line " + strconv.Itoa(unknownKey) + ": ledger.pth: unknown key"}},
		{name: "config type error", config: badType, args: []string{"check-config"}, code: exitUsage,
			stderr: []string{"line " + strconv.Itoa(portLine) + ": smtp.port:"}},
		{name: "unknown environment setting", env: []string{"VVGINTAKE_SMTP_PROT=25"}, args: []string{"submissions", "list"}, code: exitUsage,
			stderr: []string{"environment VVGINTAKE_SMTP_PROT: no such setting"}},
		{name: "unknown measure", args: []string{"submissions", "set-measure", ref, "9.9"}, code: exitUsage,
			stderr: []string{`unknown measure code "9.9" (configured: 1.1, 1.2, 2.1, 2.2, 3, 4, 5, other; "kita" is other)`}},
		{name: "missing ref show", args: []string{"submissions", "show", "VVG-2099-0001"}, code: exitRuntime,
			stderr: []string{"submission VVG-2099-0001: not found"}},
		{name: "missing ref set-measure", args: []string{"submissions", "set-measure", "VVG-2099-0001", "4"}, code: exitRuntime,
			stderr: []string{"submission VVG-2099-0001: not found"}},
		{name: "missing ref decide", args: []string{"submissions", "decide", "VVG-2099-0001", "rejected", "--reason", "x"}, code: exitRuntime,
			stderr: []string{"submission VVG-2099-0001: not found"}},
		{name: "decide without reason", args: []string{"submissions", "decide", ref, "accepted"}, code: exitUsage,
			stderr: []string{"decision on " + ref + ": a reason is required"}},
		{name: "decide unknown decision", args: []string{"submissions", "decide", ref, "maybe", "--reason", "x"}, code: exitUsage,
			stderr: []string{`decision "maybe": want accepted (pritarta), partly (iš dalies) or rejected (atmesta)`}},
		{name: "add to missing consultation", args: []string{"submissions", "add", "--consultation", "nera", "--text", "x"}, code: exitRuntime,
			stderr: []string{`consultation "nera": not found`}},
		{name: "close published", args: []string{"consultation", "close", "baigta"}, code: exitRuntime,
			stderr: []string{"consultation baigta is published, cannot become closed"}},
		{name: "publish twice", args: []string{"consultation", "publish", "baigta"}, code: exitRuntime,
			stderr: []string{"publish baigta: the results are published already"}},
		{name: "publish undecided", args: []string{"consultation", "publish", "svarstoma"}, code: exitRuntime,
			stderr: []string{"publish svarstoma: 1 suggestions have no decision yet"}},
		{name: "publish open", args: []string{"consultation", "publish", "strategija-2026"}, code: exitRuntime,
			stderr: []string{"publish strategija-2026: the consultation has not closed yet"}},
		{name: "publish --out without --dry-run", args: []string{"consultation", "publish", "baigta", "--out", c.dir}, code: exitUsage,
			stderr: []string{"--out is for --dry-run"}},
		{name: "results over a file", args: []string{"consultation", "results", "baigta", "--format", "pdf", "--out", existing},
			file: existing, code: exitUsage, stderr: []string{existing + " exists: results never overwrites a file"}},
		{name: "results bad format", args: []string{"consultation", "results", "baigta", "--format", "docx", "--out", "x.docx"},
			code: exitUsage, stderr: []string{`--format: want html, pdf, xlsx or csv, got "docx"`}},
		{name: "results without --out", args: []string{"consultation", "results", "baigta", "--format", "pdf"},
			code: exitUsage, stderr: []string{"--out FILE is required"}},
		{name: "results of a missing consultation", args: []string{"consultation", "results", "nera", "--format", "csv", "--out", filepath.Join(c.dir, "nera.csv")},
			code: exitRuntime, stderr: []string{`consultation "nera": not found`}},
		{name: "close draft", args: []string{"consultation", "close", "ruosiama"}, code: exitRuntime,
			stderr: []string{"consultation ruosiama is draft, cannot become closed"}},
		{name: "corrupt database", env: []string{"VVGINTAKE_LEDGER_PATH=" + garbage}, file: garbage,
			args: []string{"submissions", "list"}, code: exitRuntime, stderr: []string{garbage, "file is not a database"}},
		{name: "newer schema", env: []string{"VVGINTAKE_LEDGER_PATH=" + newer}, file: newer, args: []string{"migrate"},
			code: exitRuntime, stderr: []string{"database schema is newer than this program (database version 99", "upgrade vvgintake"}},
		{name: "unknown command", args: []string{"frobnicate"}, code: exitUsage,
			stderr: []string{`unknown command "frobnicate"`, "Commands:"}},
		{name: "unknown flag", args: []string{"submissions", "list", "--bogus"}, code: exitUsage,
			stderr: []string{"flag provided but not defined: -bogus", "vvgintake help submissions"}},
		{name: "unknown global flag", args: []string{"-bogus", "status"}, code: exitUsage,
			stderr: []string{"flag provided but not defined: -bogus"}},
		{name: "classify bad line", stdin: "{\"id\":\"a\",\"text\":\"kursai bedarbiams\"}\nne JSON\n{\"id\":\"b\",\"text\":\"savanoriai\"}\n",
			args: []string{"classify"}, code: exitRuntime,
			stderr: []string{"line 2: not a JSON object", "1 input line(s) were not valid and were skipped"},
			stdout: []string{`"id":"a","label":"2.1"`, `"id":"b","label":"5"`}},
		{name: "import missing file", args: []string{"import", filepath.Join(c.dir, "nera.eml")}, code: exitRuntime,
			stderr: []string{"nera.eml", "no such file or directory"}},
	}
	before := c.snapshot()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sum string
			if tt.file != "" {
				sum = e2eFileSum(t, tt.file)
			}
			run := c.on(t).with(tt.env...)
			var r cliResult
			switch {
			case tt.config != "":
				r = run.runConfig(tt.config, tt.args...)
			default:
				r = run.runIn(tt.stdin, tt.args...)
			}
			if r.code != tt.code {
				t.Errorf("exit code: got %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			for _, want := range tt.stdout {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") {
				t.Errorf("stderr shows a crash:\n%s", r.stderr)
			}
			if tt.file != "" && e2eFileSum(t, tt.file) != sum {
				t.Errorf("%s was modified", tt.file)
			}
			if after := c.on(t).snapshot(); after != before {
				t.Errorf("the ledger changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}
