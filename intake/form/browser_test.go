package form

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// browserMinFill is short so the test is quick, yet long enough that a
// page submitted at once would be refused.
const browserMinFill = 700 * time.Millisecond

// TestFormBrowser drives the form in headless Chromium the way a resident
// would: from the list to the form with the keyboard, an empty submit that
// shows the error summary, then a filled-in one that shows the receipt; at
// 1280 px, at 360 px and at 390 px (a current phone), where nothing may
// scroll sideways; the live character count follows the typing.
// Screenshots go to $VVGINTAKE_ARTIFACTS (default a temporary directory).
func TestFormBrowser(t *testing.T) {
	ctx := intaketest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	env := newFormTestEnv(t, func(o *Options) {
		o.Now = time.Now
		o.MinFill = browserMinFill
		o.MaxUploadBytes = 10 << 20
		o.MaxFiles = 3
	})
	now := time.Now().In(env.opt.Loc)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, env.opt.Loc)
	env.store.consultations = []Consultation{
		{Slug: testSlug, Title: "Aleksoto vietos plėtros strategijos keitimas", Status: "open",
			Description: "Kviečiame Aleksoto gyventojus, bendruomenes, verslą ir NVO teikti pasiūlymus, kaip pagerinti ar pakoreguoti Aleksoto VVG vietos plėtros strategiją.",
			OpensAt:     day.AddDate(0, 0, -7), ClosesAt: day.AddDate(0, 0, 21)},
		{Slug: "parkas", Title: "Informacijos apie įvairiose organizacijose prieinamas socialines paslaugas sklaida socialinę atskirtį patiriantiems gyventojams", Status: "open",
			Description: "Trumpas aprašymas.", OpensAt: day.AddDate(0, 0, -1), ClosesAt: day.AddDate(0, 1, 0)},
	}
	srv := httptest.NewServer(env.h)
	defer srv.Close()

	dir := intaketest.Artifacts(t)
	shot := func(name string) {
		t.Helper()
		intaketest.Screenshot(t, ctx, filepath.Join(dir, name+".png"))
	}
	tab := intaketest.NewTab(t, ctx)
	must, text := tab.Must, tab.Text

	for _, vp := range []intaketest.Viewport{
		intaketest.Desktop(),
		intaketest.Phone(),
		{Name: "phone-390", Width: 390, Height: 844, Opts: []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(3)}},
	} {
		// Not a subtest: the browser tab is shared and the steps are ordered.
		tab.SetViewport(vp)
		noSideScroll := func(page string) {
			t.Helper()
			if vp.Width > 400 {
				return
			}
			w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.scrollingElement.scrollWidth`))
			must("read scroll width", err)
			if w > int(vp.Width) {
				t.Errorf("%s at %d px: got scrollWidth %d, want <= %d (no horizontal scroll)", page, vp.Width, w, vp.Width)
			}
		}

		// The list, then the form by keyboard: focus the link, press Enter.
		// Headless Chromium asks for English; a resident picks Lietuvių
		// with the switch, and the choice follows the links.
		must("open list", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?lang=lt"), chromedp.WaitVisible(chromedp.ID("go-"+testSlug))))
		noSideScroll("list")
		shot("list-" + vp.Name)
		must("follow link", chromedp.Do(ctx,
			chromedp.Focus(chromedp.ID("go-"+testSlug)),
			chromedp.KeyEvent("\r"),
			chromedp.WaitVisible(chromedp.ID("f-text")),
		))
		if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.HasSuffix(loc, "/k/"+testSlug+"?lang=lt") {
			t.Fatalf("after Enter: at %q (%v), want the form", loc, err)
		}
		fontPx, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
			`Math.min(...['body','#f-text','#f-email','#f-measure','#submit'].map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)))`))
		must("read font sizes", err)
		if fontPx < 16 {
			t.Errorf("smallest field font: got %.1f px, want >= 16", fontPx)
		}
		noSideScroll("form")
		shot("form-" + vp.Name)

		// An empty submit shows the summary, linked to the field.
		must("submit empty", chromedp.Do(ctx, chromedp.Click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.ID("error-summary"))))
		if s := text("#error-summary"); !strings.Contains(s, "Įrašykite savo pasiūlymą.") {
			t.Errorf("error summary: got %q, want the missing-text error", s)
		}
		href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#error-summary a"), "href"))
		must("read summary link", err)
		desc, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("f-text"), "aria-describedby"))
		must("read aria-describedby", err)
		if href.Value != "#f-text" || !strings.Contains(desc.Value, "f-text-error") {
			t.Errorf("got summary link %q and aria-describedby %q, want #f-text and f-text-error", href.Value, desc.Value)
		}
		noSideScroll("errors")
		shot("errors-" + vp.Name)

		// Fill in: text, e-mail, consent by keyboard (Space), then wait past
		// MinFill and send.
		suggestion := "Siūlome įrengti apšviestą dviračių taką palei Nemuną nuo Aleksoto tilto iki Panemunės šilo."
		// The suggestion goes in as a phone keyboard or an IME puts text
		// (Input.insertText): chromedp's key table maps some runes to
		// keys, "ą" (U+0105) to ControlLeft, so SendKeys drops them.
		must("focus text", chromedp.Do(ctx, chromedp.Focus(chromedp.ID("f-text"))))
		_, err = chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: suggestion})
		must("type text", err)
		// The count follows the typing, counting runes as the server does.
		if got, want := text("#f-text-count"), fmt.Sprintf("Liko simbolių: %d iš %d", env.opt.MaxTextRunes-len([]rune(suggestion)), env.opt.MaxTextRunes); got != want {
			t.Errorf("character count: got %q, want %q", got, want)
		}
		must("fill in", chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("f-email"), "ona@example.lt"),
			chromedp.SetValue(chromedp.ID("f-measure"), "2.1"),
			chromedp.Focus(chromedp.ID("f-consent")),
			chromedp.KeyEvent(" "),
			chromedp.Sleep(browserMinFill),
		))
		if vp.Width != 360 {
			shot("form-filled-" + vp.Name)
		}
		before := len(env.store.submissions())
		must("submit", chromedp.Do(ctx, chromedp.Click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.ID("ref"))))
		subs := env.store.submissions()
		if len(subs) != before+1 {
			t.Fatalf("got %d new submissions, want 1", len(subs)-before)
		}
		s := subs[len(subs)-1]
		if s.Text != suggestion || s.Email != "ona@example.lt" || !s.Consent || s.Measure != "2.1" {
			t.Errorf("stored %+v, want the typed text, e-mail, measure and consent", s)
		}
		if got, want := strings.TrimSpace(text("#ref")), refFromStore(len(subs)); got != want {
			t.Errorf("receipt shows ref %q, want %q", got, want)
		}
		noSideScroll("receipt")
		shot("receipt-" + vp.Name)
	}
}

// refFromStore is the reference the fake store gives its n-th
// submission.
func refFromStore(n int) string { return fmt.Sprintf("VVG-2026-%04d", n) }
