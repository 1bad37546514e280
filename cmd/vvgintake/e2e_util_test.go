package main

import (
	"bufio"
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// e2eCLI is one ledger directory that the built binary works on, with
// the environment every run of it gets.
type e2eCLI struct {
	t   testing.TB
	dir string
	env []string
}

// newE2ECLI makes a fresh directory and ledger for the binary; extra
// VVGINTAKE_* settings come after baseEnv's, so they win.
func newE2ECLI(t testing.TB, extra ...string) *e2eCLI {
	t.Helper()
	dir := t.TempDir()
	return &e2eCLI{t: t, dir: dir, env: append(baseEnv(dir), extra...)}
}

// with returns the same ledger with more settings.
func (c *e2eCLI) with(extra ...string) *e2eCLI {
	return &e2eCLI{t: c.t, dir: c.dir, env: append(slices.Clone(c.env), extra...)}
}

// on returns the same ledger and settings reporting to t (a subtest must
// not fail its parent).
func (c *e2eCLI) on(t testing.TB) *e2eCLI {
	return &e2eCLI{t: t, dir: c.dir, env: c.env}
}

// dbPath is the ledger file.
func (c *e2eCLI) dbPath() string { return filepath.Join(c.dir, "vvgintake.db") }

// run runs the binary with no input.
func (c *e2eCLI) run(args ...string) cliResult {
	c.t.Helper()
	return runCLI(c.t, c.env, "", args...)
}

// runIn runs the binary with stdin.
func (c *e2eCLI) runIn(stdin string, args ...string) cliResult {
	c.t.Helper()
	return runCLI(c.t, c.env, stdin, args...)
}

// ok runs the binary, fails the test unless it exits 0, and returns stdout.
func (c *e2eCLI) ok(args ...string) string {
	c.t.Helper()
	r := c.run(args...)
	if r.code != exitOK {
		c.t.Fatalf("vvgintake %s: exit %d, want 0\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// config loads the example configuration with this CLI's environment, as
// the binary does.
func (c *e2eCLI) config() *config.Config {
	c.t.Helper()
	cfg, err := config.Load(exampleConfig, c.env)
	if err != nil {
		c.t.Fatalf("load configuration: %v", err)
	}
	return cfg
}

// ledger opens the ledger in-process (for checks the CLI does not show),
// closed when the test ends.
func (c *e2eCLI) ledger(now func() time.Time) *ledger.DB {
	c.t.Helper()
	cfg := c.config()
	db, err := openLedger(context.Background(), cfg, now, nil)
	if err != nil {
		c.t.Fatalf("open ledger: %v", err)
	}
	c.t.Cleanup(func() { db.Close() })
	return db
}

// e2eMsg is one line of `messages --json` (or `import --json`), decoded
// both into the contract type and as raw fields, to tell a missing field
// from an empty one.
type e2eMsg struct {
	messageJSON
	fields map[string]json.RawMessage
}

// jsonLines decodes the JSON lines a command printed, one T a line;
// what names the command in a failure.
func jsonLines[T any](t testing.TB, what, out string) []T {
	t.Helper()
	var recs []T
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r T
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: line %q: %v", what, sc.Text(), err)
		}
		recs = append(recs, r)
	}
	return recs
}

// decodeE2EJSON decodes JSON lines into e2eMsg values.
func decodeE2EJSON(t testing.TB, out string) []e2eMsg {
	t.Helper()
	var msgs []e2eMsg
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var m e2eMsg
		if err := json.Unmarshal(sc.Bytes(), &m.messageJSON); err != nil {
			t.Fatalf("decode %q: %v", sc.Text(), err)
		}
		if err := json.Unmarshal(sc.Bytes(), &m.fields); err != nil {
			t.Fatalf("decode %q: %v", sc.Text(), err)
		}
		msgs = append(msgs, m)
	}
	return msgs
}

// messages returns `vvgintake messages --json`.
func (c *e2eCLI) messages() []e2eMsg {
	c.t.Helper()
	return decodeE2EJSON(c.t, c.ok("messages", "--json"))
}

// e2eOutboxRow is one line of `vvgintake outbox list`.
type e2eOutboxRow struct {
	id, kind, status, to string
}

// e2eColumnGap separates tabwriter columns (padding 2).
var e2eColumnGap = regexp.MustCompile(`\s{2,}`)

// outbox parses `vvgintake outbox list`: columns are padded with two or
// more spaces; no cell holds two spaces in a row.
func (c *e2eCLI) outbox() []e2eOutboxRow {
	c.t.Helper()
	var rows []e2eOutboxRow
	for i, line := range strings.Split(strings.TrimRight(c.ok("outbox", "list"), "\n"), "\n") {
		if i == 0 {
			if !strings.HasPrefix(line, "ID") {
				c.t.Fatalf("outbox list header: got %q", line)
			}
			continue
		}
		f := e2eColumnGap.Split(strings.TrimRight(line, " "), -1)
		if len(f) < 6 {
			c.t.Fatalf("outbox list line %q: got %d columns, want at least 6", line, len(f))
		}
		rows = append(rows, e2eOutboxRow{id: f[0], kind: f[1], status: f[2], to: f[5]})
	}
	return rows
}

// outboxKind counts outbox rows of kind by recipient.
func (c *e2eCLI) outboxKind(kind string) map[string]int {
	c.t.Helper()
	out := map[string]int{}
	for _, r := range c.outbox() {
		if r.kind == kind {
			out[r.to]++
		}
	}
	return out
}

// exportJSON returns the records of `submissions export --format json`
// with args as filters, in order.
func (c *e2eCLI) exportJSON(args ...string) []map[string]any {
	c.t.Helper()
	out := c.ok(append([]string{"submissions", "export", "--format", "json"}, args...)...)
	var recs []map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var r map[string]any
		if err := dec.Decode(&r); err != nil {
			c.t.Fatalf("decode export: %v\n%s", err, out)
		}
		recs = append(recs, r)
	}
	return recs
}

// listRefs returns the references `submissions list` prints with args.
func (c *e2eCLI) listRefs(args ...string) []string {
	c.t.Helper()
	out := c.ok(append([]string{"submissions", "list"}, args...)...)
	return e2eRefsIn(out)
}

// e2eRefPattern matches a reference number at the start of a line.
var e2eRefPattern = regexp.MustCompile(`(?m)^VVG-\d{4}-\d{4}`)

// e2eRefsIn returns the references that start lines of out.
func e2eRefsIn(out string) []string {
	return e2eRefPattern.FindAllString(out, -1)
}

// e2eNormalize applies the corpus comparison rule: NFC, NBSP as a
// space, whitespace collapsed.
func e2eNormalize(s string) string {
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\u00A0", " ")
	return strings.Join(strings.Fields(s), " ")
}

// e2eWait polls cond every 20 ms until it holds or timeout passes, then
// fails the test with what.
func e2eWait(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		<-tick.C
	}
}
