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
	if err != nil || c.Status != ledger.StatusReported {
		t.Errorf("consultation = %+v, %v; want reported", c, err)
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
