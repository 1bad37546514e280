package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

func TestDemo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"demo", "--out", out}, nil, &stdout, &stderr, nil)
	if code != 0 {
		t.Fatalf("demo exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	t.Log(stdout.String())
	for _, f := range []string{"digest.html", "report.txt", "config.toml", "vvgintake.db", "mail/01-report.eml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("demo did not write %s: %v", f, err)
		}
	}
	html, _ := os.ReadFile(filepath.Join(out, "digest.html"))
	if !bytes.Contains(html, []byte("data:image/png;base64,")) {
		t.Error("digest.html has no inline chart")
	}
	// The ledger the demo leaves behind is usable with its configuration.
	cfg, err := config.Load(filepath.Join(out, "config.toml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := openLedger(ctx, cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts, err := db.MessageCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"suggestion": 16, "reply": 1, "auto-reply": 2, "bounce": 1, "list": 1, "spam": 1}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("messages by disposition = %v, want %v", counts, want)
	}
	st, err := db.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 16 acknowledgements (one per suggestion, none for the reply or the
	// automatic mail), the closing report and the digest, all sent.
	if st.Sent != 18 || st.Pending != 0 || st.Failed != 0 {
		t.Errorf("outbox = %+v, want 18 sent", st)
	}
	late := true
	n := 0
	db.Submissions(ctx, ledger.Filter{Late: &late}, func(s *ledger.Submission) error { n++; return nil })
	if n != 1 {
		t.Errorf("late submissions = %d, want 1", n)
	}
	first := fmt.Sprintf("VVG-%d-0001", time.Now().In(cfg.Location()).Year())
	s, err := db.Submission(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Followups) != 1 {
		t.Errorf("the resident's reply did not join case 1: %+v", s.Followups)
	}
	c, err := db.Consultation(ctx, "strategija")
	if err != nil || c.ReportedAt.IsZero() {
		t.Errorf("consultation = %+v, %v; want its closing report sent", c, err)
	}
	// A consultation stays open for staff to practise on, and the hints
	// say how to run this program: here a binary go test built, as go run
	// would.
	if p, err := db.Consultation(ctx, demoPractice); err != nil || p.Status != ledger.StatusOpen || !p.IsOpenAt(time.Now()) {
		t.Errorf("practice consultation = %+v, %v; want open now", p, err)
	}
	hint := "go run ./cmd/vvgintake -config " + filepath.Join(out, "config.toml") + " submissions decide 17 pritarta --reason"
	if !strings.Contains(stdout.String(), hint) {
		t.Errorf("demo output lacks %q:\n%s", hint, stdout.String())
	}
	// A second run into the same folder starts afresh.
	stdout.Reset()
	if code := Main(ctx, []string{"demo", "--out", out}, nil, &stdout, &stderr, nil); code != 0 {
		t.Fatalf("second demo exit %d: %s", code, stderr.String())
	}
	// A folder the demo did not make is left alone.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "thesis.docx"), []byte("x"), 0o644)
	if code := Main(ctx, []string{"demo", "--out", other}, nil, &stdout, &stderr, nil); code == 0 {
		t.Error("demo into a foreign non-empty folder: exit 0")
	}
}

// The demo's strategy is the shipped example's.
func TestDemoMeasuresMatchExample(t *testing.T) {
	example, err := config.Load(exampleConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := demoFS.ReadFile("demo/config.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "examples"), 0o755)
	os.WriteFile(filepath.Join(dir, "examples", "aleksotas.jsonl"), []byte(`{"id":"x","text":"t","label":"1.1"}`+"\n"), 0o644)
	body := strings.NewReplacer("{{OPENS}}", "2026-11-01", "{{CLOSES}}", "2026-12-01").Replace(string(tpl))
	p := filepath.Join(dir, "config.toml")
	os.WriteFile(p, []byte(body), 0o644)
	demo, err := config.Load(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(demo.Measures, example.Measures) {
		t.Error("cmd/vvgintake/demo/config.toml measures differ from config.example.toml; regenerate them")
	}
}

// TestE2EDemoPractice runs the built binary's demo and follows its hints:
// they name the binary (not on PATH) by its path, and the practice
// consultation goes through its whole life.
func TestE2EDemoPractice(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	out := filepath.Join(c.dir, "demo")
	r := runCLI(t, c.env, "", "demo", "--out", out)
	if r.code != exitOK {
		t.Fatalf("demo: exit %d %s", r.code, r.stderr)
	}
	cmd := binary(t) + " -config " + filepath.Join(out, "config.toml") + " "
	var hints []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), cmd); ok {
			hints = append(hints, rest)
		}
	}
	if len(hints) < 6 {
		t.Fatalf("want hints that start %q, got:\n%s", cmd, r.stdout)
	}
	for _, h := range hints {
		args := splitHint(h)
		res := runDemoCLI(t, c, out, args...)
		if res.code != exitOK {
			t.Errorf("hint %q: exit %d\n%s%s", h, res.code, res.stdout, res.stderr)
		}
	}
}

// splitHint splits a printed command line, honouring double quotes.
func splitHint(s string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// runDemoCLI runs the binary on the demo's own configuration.
func runDemoCLI(t *testing.T, c *e2eCLI, out string, args ...string) cliResult {
	t.Helper()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + c.dir, "USER=tester"}
	return runCLIWith(t, filepath.Join(out, "config.toml"), env, "", args...)
}
