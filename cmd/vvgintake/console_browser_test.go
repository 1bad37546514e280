package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// reviewBatch is how many suggestions the keyboard test clears: the
// issue's measure, 50 in under five minutes.
const reviewBatch = 50

// TestConsoleBrowser runs the real binary's `demo --serve` and works a
// consultation in headless Chromium as a staff member would: log in,
// clear the review queue (the demo's plus 50 imported English letters,
// which always go to review) by keyboard, search with and without
// Lithuanian letters, decide three suggestions, withdraw one, split one,
// export XLSX, and log out. Every page is photographed at 1280 and 390 px
// into $VVGINTAKE_ARTIFACTS and checked by axe-core, which must report no
// serious or critical violation.
func TestConsoleBrowser(t *testing.T) {
	ctx := intaketest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, 8*time.Minute)
	defer cancel()
	axe := axeSource(t)
	bin := binary(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "demo")

	// The demo, serving its console on a free loopback port.
	cmd := exec.Command(bin, "demo", "--out", out, "--serve", "--listen", "127.0.0.1:0")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "USER=tester"}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	intaketest.StopAtCleanup(t, cmd, 10*time.Second, func() { cmd.Process.Signal(os.Interrupt) })
	base, email, password := readDemoLogin(t, stdout)

	// 56 more suggestions waiting for review, imported by the CLI into the
	// ledger the console serves: English letters vague enough that the
	// classifier is unsure of each (the queue must hold at least
	// reviewBatch, checked below). Letters the model has since learnt to
	// file with confidence ("information about social services", "training
	// for volunteers", "a better life for everyone", "mentoring for new
	// businesses", rightly 3) were replaced by vaguer ones; each here is
	// under 0.81, far from the threshold.
	var files []string
	for i := range reviewBatch + 6 {
		f := filepath.Join(dir, fmt.Sprintf("en-%02d.eml", i))
		raw := fmt.Sprintf("From: Resident %d <resident%d@example.com>\r\nTo: vvgaleksotas@gmail.com\r\n"+
			"Subject: Suggestion %d\r\nDate: %s\r\nMessage-ID: <en-%d@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
			"Hello, I would like the strategy to support %s in our neighbourhood. Thank you.\r\n",
			i, i, i, time.Now().Add(-time.Duration(i+1)*time.Minute).Format(time.RFC1123Z), i,
			[]string{"evening courses for adults", "better chances for young people",
				"new opportunities for residents", "good ideas from local people",
				"projects that make a difference"}[i%5])
		if err := os.WriteFile(f, []byte(raw), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	// And a campaign: six residents send one letter with small edits,
	// for the screens of themes and near-duplicate groups.
	var campaign []string // message ids
	for i := range 6 {
		m := campaignMail(i)
		f := filepath.Join(dir, fmt.Sprintf("kampanija-%d.eml", i))
		if err := os.WriteFile(f, m.raw(), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		campaign = append(campaign, m.msgID)
	}
	imp := exec.Command(bin, append([]string{"-config", filepath.Join(out, "config.toml"), "import", "--json", "--consultation", "strategija"}, files...)...)
	imp.Env = cmd.Env
	var impErr strings.Builder
	imp.Stderr = &impErr
	impOut, err := imp.Output()
	if err != nil {
		t.Fatalf("import: %v\n%s", err, impErr.String())
	}
	var campaignRefs []string
	for _, m := range decodeE2EJSON(t, string(impOut)) {
		for _, id := range campaign {
			if strings.Contains(m.MessageID, id) {
				campaignRefs = append(campaignRefs, m.Ref)
			}
		}
	}
	if len(campaignRefs) != len(campaign) {
		t.Fatalf("import: campaign refs %v", campaignRefs)
	}

	artifacts := intaketest.Artifacts(t, "console")
	tab := intaketest.NewTab(t, ctx)
	must, text := tab.Must, tab.Text
	// The console's two screens: a desktop's and a current phone's.
	desktop := intaketest.Viewport{Name: "1280", Width: 1280, Height: 900}
	phone := intaketest.Viewport{Name: "390", Width: 390, Height: 844,
		Opts: []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)}}
	typeInto := func(sel, s string) {
		t.Helper()
		js, _ := json.Marshal(sel)
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%s); e.value = ""; e.focus(); return true; })()`, js)))
		must("focus "+sel, err)
		_, err = chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: s})
		must("type into "+sel, err)
	}
	open := func(path, sel string) {
		t.Helper()
		must("open "+path, chromedp.Do(ctx, waitJS(`document.readyState === "complete"`), chromedp.Navigate(base+path),
			chromedp.WaitVisible(chromedp.CSS(sel))))
	}

	// Log in, Lithuanian by default.
	open("/login?lang=lt", "#email")
	typeInto("#email", email)
	typeInto("#password", password)
	must("log in", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#login")), chromedp.WaitVisible(chromedp.CSS("#go-review"))))

	// The review queue by keyboard: j and k move, Enter confirms the
	// model's measure, a digit picks another (every fifth letter here).
	open("/review", "#confirm")
	first := text("#ref")
	must("j", chromedp.Do(ctx, chromedp.KeyEvent("j"), waitText("#ref", first, false)))
	must("k", chromedp.Do(ctx, chromedp.KeyEvent("k"), waitText("#ref", first, true)))
	// The review screen at both widths, before the timed run.
	for _, vp := range []intaketest.Viewport{phone, desktop} {
		tab.SetViewport(vp)
		intaketest.Screenshot(t, ctx, filepath.Join(artifacts, "review-"+vp.Name+".png"))
		checkAxe(t, ctx, axe, "review@"+vp.Name)
	}
	must("focus", chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#confirm"))))
	start := time.Now()
	cleared := 0
	for {
		gone, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("queue-empty") !== null`))
		must("look at the queue", err)
		if gone {
			break
		}
		ref := text("#ref")
		key := "\r"
		if cleared%5 == 4 {
			key = "2"
		}
		must("review "+ref, chromedp.Do(ctx, chromedp.KeyEvent(key), waitLeft(ref)))
		cleared++
		if cleared > reviewBatch+20 {
			t.Fatalf("queue not empty after %d decisions", cleared)
		}
	}
	took := time.Since(start)
	if cleared < reviewBatch {
		t.Fatalf("cleared %d, want at least %d", cleared, reviewBatch)
	}
	per := took / time.Duration(cleared)
	t.Logf("review queue: %d suggestions cleared by keyboard in %s (%s each; 50 would take %s)",
		cleared, took.Round(time.Millisecond), per.Round(time.Millisecond), (50 * per).Round(time.Millisecond))
	os.WriteFile(filepath.Join(artifacts, "review-timing.txt"), []byte(fmt.Sprintf("cleared=%d took=%s per_item=%s projected_50=%s\n",
		cleared, took, per, 50*per)), 0o644)

	// Search, with and without Lithuanian letters, and by number.
	for _, q := range []struct{ q, want, not string }{
		{"savanorių", "VVG-2026-0013", "VVG-2026-0001"},
		{"savanoriu", "VVG-2026-0013", "VVG-2026-0001"},
		{"15", "VVG-2026-0015", "VVG-2026-0014"},
	} {
		open("/submissions", "#q")
		typeInto("#q", q.q)
		qj, _ := json.Marshal(q.q)
		must("search "+q.q, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#search")),
			waitJS(fmt.Sprintf(`document.readyState === "complete" && new URLSearchParams(location.search).get("q") === %s`, qj))))
		got := text("#results")
		if !strings.Contains(got, q.want) || strings.Contains(got, q.not) {
			t.Errorf("search %q: results %.300q, want %s and not %s", q.q, got, q.want, q.not)
		}
	}

	// Decide three.
	for i, d := range []string{"accepted", "partly", "rejected"} {
		ref := fmt.Sprintf("VVG-2026-%04d", i+1)
		open("/s/"+ref, "#decide")
		typeInto("#f-reason", "Svarstyta valdybos posėdyje.")
		must("decide "+ref, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#decide input[value="`+d+`"]`)),
			chromedp.Click(chromedp.CSS("#decide-save")), chromedp.WaitVisible(chromedp.CSS(".flash"))))
		if s := text("#status"); s != "nuspręsta" {
			t.Errorf("%s after deciding: status %q, want nuspręsta", ref, s)
		}
	}
	// Withdraw the pothole complaint as spam... as not a suggestion.
	open("/s/VVG-2026-0015", "#withdraw")
	must("withdraw", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#withdraw input[value="other"]`))))
	typeInto("#f-other", "ne strategijos klausimas")
	must("withdraw", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#withdraw-save")), chromedp.WaitVisible(chromedp.CSS(".notice"))))
	// Split a letter in two.
	open("/s/VVG-2026-0011", "#split")
	typeInto("#f-split", "Siūlau bendradarbiauti su Kauno VVG.\n---\nSiūlau kasmet rengti savanorių talką.")
	must("split", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#split-save")), chromedp.WaitVisible(chromedp.CSS(".flash"))))
	if s := text("main"); !strings.Contains(s, "Padalyta į") {
		t.Errorf("after splitting: page does not name the new part")
	}
	// The campaign: its first letter's page leads to the group, decided
	// at once for all six; the theme gets a name.
	open("/s/"+campaignRefs[3], "#group")
	if s := text("#group"); !strings.Contains(s, campaignRefs[0]) {
		t.Errorf("a campaign copy's page: group %q, want a copy of %s", s, campaignRefs[0])
	}
	groupPath := "/s/" + campaignRefs[0] + "/group"
	open(groupPath, "#group-decide")
	typeInto("#g-reason", "Senjorų dienos centras įtrauktas į 1.1 priemonę.")
	must("decide the group", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#group-decide input[value="partly"]`)),
		chromedp.Click(chromedp.CSS("#group-decide-save")), chromedp.WaitVisible(chromedp.CSS(".flash"))))
	if got := text("#group-decided"); got != "6" {
		t.Errorf("group decided: %s of 6", got)
	}
	open("/s/"+campaignRefs[0], "#theme")
	themeHref, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#theme a").getAttribute("href")`))
	must("theme link", err)
	open(themeHref, "#f-label")
	typeInto("#f-label", "Senjorų dienos centras Aleksote")
	must("name the theme", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#rename-save")), chromedp.WaitVisible(chromedp.CSS(".flash"))))
	if got := text("#theme-label"); got != "Senjorų dienos centras Aleksote" {
		t.Errorf("theme label after naming: %q", got)
	}
	if got, _ := strconv.Atoi(text("#theme-count")); got < 6 {
		t.Errorf("campaign theme: %d suggestions, want the 6 copies at least", got)
	}
	// Export XLSX with the browser's session.
	type dl struct {
		Status int    `json:"status"`
		Size   int    `json:"size"`
		Magic  string `json:"magic"`
		Type   string `json:"type"`
	}
	x, err := chromedp.Run(ctx, chromedp.Evaluate[dl](`fetch("/submissions/export?format=xlsx").then(async r => {
		const b = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, size: b.length, magic: String.fromCharCode(b[0], b[1]), type: r.headers.get("content-type")};
	})`, chromedp.EvalAwaitPromise))
	must("export", err)
	if x.Status != 200 || x.Magic != "PK" || !strings.Contains(x.Type, "spreadsheetml") || x.Size < 1000 {
		t.Errorf("export: got %+v, want a 200 XLSX (a zip)", x)
	}

	// Every page at both widths, checked by axe.
	pages := []struct{ name, path, sel string }{
		{"home", "/", "main h1"},
		{"review-empty", "/review", "#queue-empty"},
		{"submissions", "/submissions", "#results"},
		{"search", "/submissions?q=savanoriu", "#results"},
		{"submission", "/s/VVG-2026-0011", "#text"},
		{"withdrawn", "/s/VVG-2026-0015", "#text"},
		{"messages", "/messages", "main table"},
		{"message", "/m/1", "main dl"},
		{"consultations", "/consultations", "main table"},
		{"consultation", "/c/strategija", "main img"},
		{"outcome", "/c/strategija/outcome", "#decided"},
		{"themes", "/c/strategija/themes", "#themes-total"},
		{"theme", themeHref, "#members"},
		{"groups", "/c/strategija/groups", "#groups"},
		{"group", groupPath, "#group-members"},
		{"redact", "/s/VVG-2026-0011/redact", "#marked"},
		{"outbox", "/outbox", "main table"},
		{"audit", "/audit", "main table"},
		{"account", "/account", "#code"},
		{"english", "/submissions?lang=en", "#results"},
	}
	// A review page too: make one suggestion need review again? The
	// queue is empty now, so photograph an item from before instead.
	for _, vp := range []intaketest.Viewport{desktop, phone} {
		tab.SetViewport(vp)
		for _, p := range pages {
			open(p.path, p.sel)
			intaketest.Screenshot(t, ctx, filepath.Join(artifacts, p.name+"-"+vp.Name+".png"))
			if vp.Name == phone.Name {
				if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.scrollingElement.scrollWidth`)); err == nil && w > 390 {
					wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e =>
						e.getBoundingClientRect().right > 392 && !e.closest(".table")).slice(0, 3).map(e => e.tagName + "." + e.className).join(" ")`))
					t.Errorf("%s at 390 px: page is %d px wide, want no sideways scroll (too wide: %s)", p.name, w, wide)
				}
			}
			checkAxe(t, ctx, axe, p.name+"@"+vp.Name)
		}
	}
	must("lang back", chromedp.Do(ctx, chromedp.Navigate(base+"/?lang=lt")))

	// Log out; the login page again, and the session is gone.
	open("/", "#logout")
	must("log out", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#email"))))
	for _, vp := range []intaketest.Viewport{desktop, phone} {
		tab.SetViewport(vp)
		open("/login", "#email")
		intaketest.Screenshot(t, ctx, filepath.Join(artifacts, "login-"+vp.Name+".png"))
		checkAxe(t, ctx, axe, "login@"+vp.Name)
	}
	must("after logout", chromedp.Do(ctx, chromedp.Navigate(base+"/submissions"), chromedp.WaitVisible(chromedp.CSS("#email"))))
}

// readDemoLogin reads the console's URL, e-mail and password that
// `demo --serve` prints.
func readDemoLogin(t *testing.T, r io.Reader) (base, email, password string) {
	t.Helper()
	urlRE := regexp.MustCompile(`Staff console: (http://\S+?)/?$`)
	sc := bufio.NewScanner(r)
	deadline := time.After(2 * time.Minute)
	lines := make(chan string)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for {
		select {
		case <-deadline:
			t.Fatal("demo --serve printed no login within 2 minutes")
		case l, ok := <-lines:
			if !ok {
				t.Fatal("demo --serve ended before printing a login")
			}
			l = strings.TrimSpace(l)
			if m := urlRE.FindStringSubmatch(l); m != nil {
				base = m[1]
			}
			if v, ok := strings.CutPrefix(l, "e-mail:"); ok {
				email = strings.TrimSpace(v)
			}
			if v, ok := strings.CutPrefix(l, "password:"); ok {
				password = strings.TrimSpace(v)
			}
			if strings.HasPrefix(l, "Press Ctrl+C") {
				if base == "" || email == "" || password == "" {
					t.Fatalf("demo --serve: got URL %q, e-mail %q, password set %v", base, email, password != "")
				}
				go func() {
					for range lines {
					}
				}()
				return base, email, password
			}
		}
	}
}

// waitJS polls expr until it is true, across page loads (an
// evaluation during a navigation fails and is tried again).
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		deadline := time.Now().Add(20 * time.Second)
		for {
			ok, err := chromedp.Evaluate[bool](expr)(ctx, t)
			if err == nil && ok {
				return chromedp.Void{}, nil
			}
			if time.Now().After(deadline) {
				return chromedp.Void{}, fmt.Errorf("waited 20 s for %s (last error %v)", expr, err)
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}

// waitText waits until sel's text equals (same) or differs from s.
func waitText(sel, s string, same bool) chromedp.Action[chromedp.Void] {
	js, _ := json.Marshal(s)
	cmp := "!=="
	if same {
		cmp = "==="
	}
	return waitJS(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return document.readyState !== "loading" && !!e && e.textContent %s %s; })()`,
		sel, cmp, js))
}

// waitLeft waits until the review page shows another suggestion or the
// empty queue.
func waitLeft(ref string) chromedp.Action[chromedp.Void] {
	js, _ := json.Marshal(ref)
	return waitJS(fmt.Sprintf(`document.readyState !== "loading" && (document.getElementById("queue-empty") !== null ||
		(document.getElementById("ref") !== null && document.getElementById("ref").textContent !== %s))`, js))
}

// axeSource is axe-core's axe.min.js as test.sh installs it from the npm
// registry ($VVGINTAKE_AXE, else ~/.cache/vvgintake/axe); missing, the
// check is skipped, or fails the test under VVGINTAKE_TEST_REAL=1.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("VVGINTAKE_AXE")
	if path == "" {
		home, _ := os.UserHomeDir()
		path = filepath.Join(home, ".cache", "vvgintake", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if intaketest.Real() {
			t.Fatalf("axe-core not found at %s (test.sh installs it with npm): %v", path, err)
		}
		t.Logf("axe-core not found at %s: accessibility not checked", path)
		return ""
	}
	return string(b)
}

// checkAxe runs axe-core on the page and fails on any serious or
// critical violation.
func checkAxe(t *testing.T, ctx context.Context, axe, page string) {
	t.Helper()
	if axe == "" {
		return
	}
	type violation struct {
		ID     string   `json:"id"`
		Impact string   `json:"impact"`
		Help   string   `json:"help"`
		Nodes  []string `json:"nodes"`
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](axe+`;
		axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
			id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html)})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", page, err)
	}
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("axe on %s: %s %s (%s): %v", page, v.Impact, v.ID, v.Help, v.Nodes)
		} else {
			t.Logf("axe on %s: %s %s (%s)", page, v.Impact, v.ID, v.Help)
		}
	}
}
