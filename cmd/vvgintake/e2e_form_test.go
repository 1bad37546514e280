package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// openAroundNow moves the example consultation's window around today,
// so the form offers it whatever day the test runs.
func openAroundNow(t testing.TB) func(*config.Config) {
	return func(cfg *config.Config) {
		now := time.Now().In(cfg.Location())
		k := &cfg.Consultations[0]
		if err := k.OpensAt.UnmarshalText([]byte(now.AddDate(0, 0, -7).Format(time.DateOnly))); err != nil {
			t.Fatal(err)
		}
		if err := k.ClosesAt.UnmarshalText([]byte(now.AddDate(0, 0, 21).Format(time.DateOnly))); err != nil {
			t.Fatal(err)
		}
	}
}

// TestE2EFormBrowser submits the web form of an in-process daemon in
// headless Chromium as residents do — on a desktop and at 360 px — and
// follows each suggestion into the ledger (source form, text,
// classification) and its acknowledgement to the SMTP server.
func TestE2EFormBrowser(t *testing.T) {
	t.Parallel()
	ctx := intaketest.Browser(t) // skips without Chromium unless VVGINTAKE_TEST_REAL=1
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	smtp := startE2ESMTP(t)
	dir := t.TempDir()
	env := append(append(baseEnv(dir), smtp.env()...), "VVGINTAKE_FORM_ENABLED=true", "VVGINTAKE_FORM_MIN_FILL_SECONDS=1")
	d := startE2EDaemon(t, env, DaemonOptions{Listener: e2eListen(t)}, openAroundNow(t))
	db := d.d.db
	const slug = "strategija-2026"
	e2eWait(t, 10*time.Second, "the scheduler to open the consultation", func() bool {
		c, err := db.Consultation(context.Background(), slug)
		return err == nil && c.Status == ledger.StatusOpen
	})

	shots := intaketest.Artifacts(t)
	shot := func(name string) {
		t.Helper()
		intaketest.Screenshot(t, ctx, filepath.Join(shots, "e2e-form-"+name+".png"))
	}
	tab := intaketest.NewTab(t, ctx)
	must := tab.Must

	residents := []struct {
		vp          intaketest.Viewport
		text, email string
		measure     string
		file        string // attached with the file picker
	}{
		{intaketest.Desktop(),
			"Siūlome organizuoti nemokamus kompiuterinio raštingumo kursus bedarbiams ir senjorams Aleksote.", "ona@example.lt", "2.1",
			"kursų planas.pdf"},
		{intaketest.Phone(),
			"Reikėtų savanorių centro, kuris koordinuotų jaunimo savanorystę ir talkas Aleksoto šlaituose.", "jonas@example.lt", "5", ""},
	}
	refs := map[string]string{} // email → ref
	for _, r := range residents {
		tab.SetViewport(r.vp)
		must("open list", chromedp.Do(ctx, chromedp.Navigate(d.url("/?lang=lt")), chromedp.WaitVisible(chromedp.ID("go-"+slug))))
		must("follow link", chromedp.Do(ctx, chromedp.Click(chromedp.ID("go-"+slug)), chromedp.WaitVisible(chromedp.ID("f-text"))))
		// Text goes in as a phone keyboard or an IME puts it
		// (Input.insertText): chromedp's key table drops some Lithuanian
		// letters (see intake/form_browser_test.go).
		must("focus text", chromedp.Do(ctx, chromedp.Focus(chromedp.ID("f-text"))))
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: r.text})
		must("type text", err)
		var upload []byte
		if r.file != "" {
			upload = []byte("%PDF-1.4\n% kursų planas\n" + strings.Repeat("0123456789abcdef", 20000) + "\n%%EOF\n")
			path := filepath.Join(t.TempDir(), r.file)
			must("write upload", os.WriteFile(path, upload, 0o644))
			must("choose file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("f-files"), []string{path})))
		}
		must("fill in", chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("f-email"), r.email),
			chromedp.Focus(chromedp.ID("f-consent")),
			chromedp.KeyEvent(" "),
			// A person takes longer than form.min_fill_seconds (1 s here).
			chromedp.Sleep(1100*time.Millisecond),
		))
		shot("filled-" + r.vp.Name)
		must("submit", chromedp.Do(ctx, chromedp.Click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.ID("ref"))))
		ref, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("ref")))
		must("read ref", err)
		ref = strings.TrimSpace(ref)
		shot("receipt-" + r.vp.Name)
		if !e2eRefPattern.MatchString(ref) {
			t.Fatalf("%s: receipt shows %q, want a reference number", r.vp.Name, ref)
		}
		refs[r.email] = ref

		s, err := db.Submission(context.Background(), ref)
		if err != nil {
			t.Fatalf("%s: submission %s: %v", r.vp.Name, ref, err)
		}
		if s.Source != ledger.SourceForm || s.Text != r.text || s.SenderEmail != r.email || s.Consultation != slug {
			t.Errorf("%s: ledger has source %s, text %q, sender %s, consultation %s; want form, %q, %s, %s",
				r.vp.Name, s.Source, s.Text, s.SenderEmail, s.Consultation, r.text, r.email, slug)
		}
		if s.Measure != r.measure || s.Confidence <= 0 {
			t.Errorf("%s: classified %s (%.2f), want %s", r.vp.Name, s.Measure, s.Confidence, r.measure)
		}
		if r.file != "" {
			// Staff get the upload back byte for byte.
			if len(s.Attachments) != 1 || s.Attachments[0].Filename != r.file || s.Attachments[0].Size != int64(len(upload)) {
				t.Fatalf("%s: attachments %+v, want %q of %d bytes", r.vp.Name, s.Attachments, r.file, len(upload))
			}
			out := t.TempDir()
			if res := runCLI(t, env, "", "submissions", "save", ref, out); res.code != 0 {
				t.Fatalf("submissions save: exit %d: %s", res.code, res.stderr)
			}
			got, err := os.ReadFile(filepath.Join(out, ref+"-1-"+r.file))
			if err != nil || !bytes.Equal(got, upload) {
				t.Errorf("%s: saved upload is %d bytes (%v), want the %d uploaded", r.vp.Name, len(got), err, len(upload))
			}
		}
	}

	acks := e2eAutoReplied(smtp.wait(t, len(residents), 30*time.Second))
	if len(acks) != len(residents) {
		t.Fatalf("got %d acknowledgements, want %d", len(acks), len(residents))
	}
	for _, a := range acks {
		to := strings.ToLower(strings.Join(a.rcpt, ","))
		ref, ok := refs[to]
		if !ok {
			t.Errorf("acknowledgement to %s, want one to each resident %v", to, refs)
			continue
		}
		if !strings.Contains(a.subject, "["+ref+"]") || !strings.Contains(a.text, "per interneto svetainės formą") || !strings.Contains(a.text, ref) {
			t.Errorf("acknowledgement to %s: subject %q, text:\n%s\nwant [%s] and the form wording", to, a.subject, a.text, ref)
		}
		delete(refs, to)
	}
}
