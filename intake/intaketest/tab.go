package intaketest

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// Viewport is a screen a browser test looks at a page on.
type Viewport struct {
	Name          string // in messages and screenshot names
	Width, Height int64
	Opts          []chromedp.EmulateViewportOption
}

// Desktop is a desktop's screen, 1280 by 900 px (Browser's window size).
func Desktop() Viewport { return Viewport{"desktop", 1280, 900, nil} }

// Phone is a small phone's screen, 360 by 740 px, with touch at twice the
// density: the narrowest screen the form is made for.
func Phone() Viewport {
	return Viewport{"phone", 360, 740, []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)}}
}

// Tab is the one tab of a test's browser (see Browser), with the steps
// every browser test takes on it. A step that fails ends the test: the
// steps share the tab and run in order, so nothing after a failed one can
// be checked.
type Tab struct {
	t   testing.TB
	ctx context.Context
}

// NewTab returns the steps of t on the browser context ctx.
func NewTab(t testing.TB, ctx context.Context) *Tab {
	return &Tab{t: t, ctx: ctx}
}

// Must fails the test at step when err is not nil.
func (b *Tab) Must(step string, err error) {
	b.t.Helper()
	if err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

// Text returns the text of the element the CSS selector sel selects.
func (b *Tab) Text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	b.Must("read "+sel, err)
	return s
}

// SetViewport makes the tab show pages on the screen v.
func (b *Tab) SetViewport(v Viewport) {
	b.t.Helper()
	b.Must("set viewport", chromedp.Do(b.ctx, chromedp.EmulateViewport(v.Width, v.Height, v.Opts...)))
}

// Screenshot saves the whole page the browser context ctx shows as the PNG
// file path (see Artifacts) and logs where.
func Screenshot(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	// Quality 100 gives PNG; anything lower gives JPEG.
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
	t.Logf("screenshot: %s", path)
}
