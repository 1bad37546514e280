package notifytest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// Screen is a width the VVG's mail and published pages are read at.
type Screen struct {
	Name  string // in the screenshot's file name
	Width int64
	opts  []chromedp.EmulateViewportOption
}

// screens are a phone's 390 px (the board reads the digest in Gmail's
// app) and a desktop's 1280 px.
func screens() []Screen {
	return []Screen{
		{"phone-390", 390, []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(3)}},
		{"desktop-1280", 1280, nil},
	}
}

// OnScreens opens the HTML page html in the browser ctx (see
// intaketest.Browser) at a phone's and a desktop's width. At each, once
// sel is visible, it fails the test if anything is wider than the screen,
// calls check (when not nil) for what else the test measures, and saves
// a full screenshot as dir/<shot>-<screen>.png. The digest and the
// results table are checked this one way.
func OnScreens(ctx context.Context, t testing.TB, html []byte, sel, dir, shot string, check func(Screen)) {
	t.Helper()
	page := filepath.Join(t.TempDir(), shot+".html")
	if err := os.WriteFile(page, html, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range screens() {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(s.Width, 844, s.opts...), chromedp.Navigate("file://"+page),
			chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
			t.Fatalf("open %s at %s: %v", shot, s.Name, err)
		}
		type widths struct{ ScrollWidth, Widest int }
		w, err := chromedp.Run(ctx, chromedp.Evaluate[widths](`(() => {
			let widest = 0;
			for (const el of document.body.querySelectorAll('*')) widest = Math.max(widest, el.getBoundingClientRect().right);
			return {ScrollWidth: document.scrollingElement.scrollWidth, Widest: Math.ceil(widest)};
		})()`))
		if err != nil {
			t.Fatalf("measure at %s: %v", s.Name, err)
		}
		t.Logf("%s: scrollWidth %d, widest element %d", s.Name, w.ScrollWidth, w.Widest)
		if w.ScrollWidth > int(s.Width) || w.Widest > int(s.Width) {
			t.Errorf("at %d px: scrollWidth %d, widest element %d; want nothing wider than the screen", s.Width, w.ScrollWidth, w.Widest)
		}
		if check != nil {
			check(s)
		}
		intaketest.Screenshot(t, ctx, filepath.Join(dir, shot+"-"+s.Name+".png"))
	}
}
