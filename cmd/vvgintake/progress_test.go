package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeClock advances by step at each reading.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time {
	c.t = c.t.Add(c.step)
	return c.t
}

// TestProgressLine: the count, the share of bytes read, the rate and the
// time left, rewritten in place, and the time taken at the end.
func TestProgressLine(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), step: 100 * time.Millisecond}
	e := &env{stdout: &out, stderr: &out, now: clock.now, tty: func() bool { return true }}
	p := e.newProgress(false, "importing", "messages", 4<<30)
	for range 60 {
		p.add(500, 16<<20) // 60 × 16 MiB of 4 GiB over 6 s
	}
	p.done()
	got := out.String()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\r")
	if len(lines) < 10 || !strings.HasSuffix(got, "\n") {
		t.Fatalf("got %q, want many redraws and a final newline", got)
	}
	mid := lines[len(lines)/2]
	for _, want := range []string{"importing: ", " messages, ", "MB of 4.0 GB (", "%), ", "/s, ", " left"} {
		if !strings.Contains(mid, want) {
			t.Errorf("line %q lacks %q", mid, want)
		}
	}
	final := lines[len(lines)-1]
	for _, want := range []string{"importing: 30,000 messages, 960.0 MB of 4.0 GB (23%), ", "took "} {
		if !strings.Contains(final, want) {
			t.Errorf("final line %q lacks %q", final, want)
		}
	}
}

// TestProgressQuiet: nothing is drawn when nobody watches or --quiet.
func TestProgressQuiet(t *testing.T) {
	for _, tt := range []struct {
		name  string
		tty   bool
		quiet bool
	}{{"not a terminal", false, false}, {"quiet", true, true}} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			e := &env{stdout: &out, stderr: &out, now: time.Now, tty: func() bool { return tt.tty }}
			p := e.newProgress(tt.quiet, "exporting", "suggestions", 0)
			p.add(1, 0)
			p.done()
			if out.Len() != 0 {
				t.Errorf("wrote %q, want nothing", out.String())
			}
		})
	}
}

// TestProgressCommands: import, export and backup draw their progress
// line when a person watches (in-process, the terminal simulated), and
// the line goes to stderr, never into the data on stdout.
func TestProgressCommands(t *testing.T) {
	dir := t.TempDir()
	var mbox bytes.Buffer
	const n = 120
	for i := range n {
		fmt.Fprintf(&mbox, "From resident%d@example.org Mon Nov 16 10:00:00 2026\nFrom: Gyventojas <resident%d@example.org>\n"+
			"To: vvgaleksotas@gmail.com\nSubject: Pasiūlymas %d\nMessage-ID: <p%d@example.org>\nDate: Mon, 16 Nov 2026 10:00:00 +0200\n\n"+
			"Siūlau organizuoti kompiuterinio raštingumo kursus bedarbiams, nr. %d.\n\n", i, i, i, i, i)
	}
	path := filepath.Join(dir, "takeout.mbox")
	if err := os.WriteFile(path, mbox.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, environ: baseEnv(dir), tty: func() bool { return true }}
		if code := e.main(context.Background(), append([]string{"-config", exampleConfig}, args...)); code != exitOK {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out.String(), errOut.String())
		}
		return out.String(), errOut.String()
	}
	out, errOut := run("import", "--consultation", "strategija-2026", path)
	if !strings.Contains(errOut, fmt.Sprintf("importing: %d messages, ", n)) || !strings.Contains(errOut, "(100%)") ||
		!strings.Contains(errOut, "took ") || strings.Contains(out, "importing:") {
		t.Errorf("import: stdout %q, stderr %q; want the progress line on stderr", out, errOut)
	}
	_, errOut = run("submissions", "export", "--format", "csv", "--out", filepath.Join(dir, "x.csv"))
	if !strings.Contains(errOut, fmt.Sprintf("exporting: %d suggestions", n)) {
		t.Errorf("export: stderr %q", errOut)
	}
	out, errOut = run("backup", filepath.Join(dir, "backup.db"))
	if !strings.Contains(errOut, "copying the ledger: ") || !strings.Contains(errOut, "(100%)") || !strings.Contains(out, "ledger copied to") {
		t.Errorf("backup: stdout %q, stderr %q", out, errOut)
	}
	_, errOut = run("import", "--quiet", path)
	if strings.Contains(errOut, "importing:") {
		t.Errorf("import --quiet drew progress: %q", errOut)
	}
}
