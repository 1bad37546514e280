package intaketest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// chromiumPaths are where a headless-capable Chromium may be, Debian's
// package first.
func chromiumPaths() []string {
	return []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "headless-shell"}
}

// Browser starts a headless Chromium for t and returns a chromedp context
// with one tab; it is shut down when t ends. Without a Chromium the test is
// skipped, or failed when VVGINTAKE_TEST_REAL=1. A Chromium that is there
// but will not start always fails the test.
//
// The browser runs as root in CI, so without its sandbox; with a fresh
// profile per test; with /dev/shm unused (64 MB in containers); and with
// the background services off, so it reaches no network but ours.
func Browser(t testing.TB) context.Context {
	t.Helper()
	path := findChromium()
	if path == "" {
		if Real() {
			t.Fatalf("chromium not found (tried %v); install it: apt-get install -y --no-install-recommends chromium", chromiumPaths())
		}
		t.Skipf("chromium not found (tried %v); set %s=1 to make this a failure", chromiumPaths(), RealEnv)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	stop := func() {
		cancelCtx()
		cancelAlloc()
	}
	// Start it now, so a browser that will not start fails here with a
	// clear message rather than at the test's first step. The first run
	// binds the browser's life to its context, so it gets ctx itself, not
	// one with a timeout (chromedp's own start timeout bounds it).
	if err := chromedp.Do(ctx); err != nil {
		stop()
		t.Fatalf("start chromium %s: %v", path, err)
	}
	t.Cleanup(stop)
	return ctx
}

// findChromium returns the first Chromium found, or "".
func findChromium() string {
	for _, p := range chromiumPaths() {
		if p[0] == '/' {
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				return p
			}
			continue
		}
		if full, err := exec.LookPath(p); err == nil {
			return full
		}
	}
	return ""
}

// Artifacts returns the folder screenshots and other files a person
// should look at after the run go to, made if needed: below
// $VVGINTAKE_ARTIFACTS (CI keeps it) in the folders named by sub, else
// below a temporary folder of the test.
func Artifacts(t testing.TB, sub ...string) string {
	t.Helper()
	dir := os.Getenv("VVGINTAKE_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(append([]string{dir}, sub...)...)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("make artifacts folder: %v", err)
	}
	return dir
}
