package notify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// TestDigestPeriodWords: a digest over a week says "per savaitę"; the
// first one, which covers everything so far, names its real period and
// says "per šį laikotarpį".
func TestDigestPeriodWords(t *testing.T) {
	tests := []struct {
		name, lang string
		days       int
		subject    string
		want, not  []string
	}{
		{"weekly", "lt", 7, "Savaitės suvestinė: 3 nauji pasiūlymai (2026-11-16 – 2026-11-22)",
			[]string{"siunčiame savaitinę gautų pasiūlymų suvestinę", "Nauji pasiūlymai per savaitę: 3"}, []string{"laikotarpį:"}},
		{"first, a month", "lt", 30, "Pasiūlymų suvestinė: 3 nauji pasiūlymai (2026-11-16 – 2026-12-15)",
			[]string{"siunčiame gautų pasiūlymų suvestinę už laikotarpį nuo 2026 m. lapkričio 16 d. iki 2026 m. gruodžio 15 d.",
				"Nauji pasiūlymai per šį laikotarpį: 3"}, []string{"savait"}},
		{"first, a month, en", "en", 30, "Digest: 3 new suggestions (2026-11-16 – 2026-12-15)",
			[]string{"Here is the digest of suggestions", "New suggestions in this period: 3"}, []string{"week"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDigest(t, 3)
			d.Lang = tt.lang
			d.PeriodEnd = d.PeriodStart.AddDate(0, 0, tt.days)
			m, html, err := BuildDigest(d, defaultTemplates(t))
			if err != nil {
				t.Fatal(err)
			}
			p := parse(t, render(t, m))
			if p.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", p.Subject, tt.subject)
			}
			text := p.body(t, "text/plain")
			for _, w := range tt.want {
				if !strings.Contains(text, w) || !strings.Contains(stripTags(string(html)), w) {
					t.Errorf("text or html lacks %q:\n%s", w, text)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(strings.ToLower(text), n) || strings.Contains(strings.ToLower(string(html)), n) {
					t.Errorf("text or html has %q:\n%s", n, text)
				}
			}
		})
	}
}

// TestDigestKita: where the board reads Lithuanian — the table, the list,
// the chart's axis, the closing report — the measure other is "Kita".
func TestDigestKita(t *testing.T) {
	d := testDigest(t, 8) // the eighth goes under other
	m, html, err := BuildDigest(d, defaultTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	text := parse(t, render(t, m)).body(t, "text/plain")
	for _, body := range []string{text, string(html)} {
		if strings.Contains(body, "other") {
			t.Errorf("digest shows the code other:\n%s", body)
		}
	}
	if !strings.Contains(text, "priemonė Kita") {
		t.Errorf("text lacks \"priemonė Kita\":\n%s", text)
	}
	labels := chartLabels(d.Consultations[0].Measures, LangLT)
	if got := labels[len(labels)-1].Code; got != "Kita" {
		t.Errorf("chart label of other = %q, want Kita", got)
	}
	if got := chartLabels(d.Consultations[0].Measures, LangEN)[7].Code; got != "Other" {
		t.Errorf("English chart label of other = %q, want Other", got)
	}
	rd := testReport(t)
	rd.Items[0].MeasureCode = "other"
	rep, err := BuildReport(rd, defaultTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	rp := parse(t, render(t, rep))
	if body := rp.body(t, "text/plain"); strings.Contains(body, "priemonė other") || !strings.Contains(body, "priemonė Kita") {
		t.Errorf("report text:\n%s", body)
	}
}

// TestDigestPhone opens the digest as the board reads it on a phone: in
// Chromium at 390 px (an iPhone's width; Gmail's app shows mail at the
// screen's width), with many new suggestions, long words and the chart.
// Nothing may be wider than the screen, the chart must scale down, and
// screenshots at 390 px and 1280 px go to $VVGINTAKE_ARTIFACTS.
func TestDigestPhone(t *testing.T) {
	ctx := intaketest.Browser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	d := testDigest(t, 12)
	d.Consultations[0].Title = "Aleksoto vietos plėtros strategijos 2023–2029 m. keitimas: bendruomenių ir gyventojų pasiūlymai"
	d.Consultations[0].New[1].Excerpt = "Prašome įtraukti https://www.aleksotovvg.lt/strategija/priemones/socialines-paslaugos/dienos-centras-senjorams-aleksote ir " +
		"Nepriklausomybėsaikštėsrekonstrukcijosplanavimodokumentai."
	d.Consultations[0].Themes[0].Themes[1].Label = "Nepriklausomybėsaikštėsrekonstrukcijosplanavimodokumentai, senjorų dienos centras Aleksote ir pietūs į namus"
	d.Consultations[0].DueSoon = []DueItem{{Ref: "VVG-2026-00001", Due: d.PeriodEnd, Excerpt: "Dienos centras senjorams"}}
	_, html, err := BuildDigest(d, defaultTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("VVGINTAKE_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "digest.html")
	if err := os.WriteFile(page, html, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, vp := range []struct {
		name  string
		width int64
		opts  []chromedp.EmulateViewportOption
	}{
		{"phone-390", 390, []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(3)}},
		{"desktop", 1280, nil},
	} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, 844, vp.opts...), chromedp.Navigate("file://"+page),
			chromedp.WaitVisible(chromedp.CSS("img"))); err != nil {
			t.Fatalf("open digest at %s: %v", vp.name, err)
		}
		type measures struct {
			ScrollWidth, Widest, ImgWidth, ImgNatural int
		}
		m, err := chromedp.Run(ctx, chromedp.Evaluate[measures](`(() => {
			const img = document.querySelector('img');
			let widest = 0;
			for (const el of document.body.querySelectorAll('*')) widest = Math.max(widest, el.getBoundingClientRect().right);
			return {ScrollWidth: document.scrollingElement.scrollWidth, Widest: Math.ceil(widest),
				ImgWidth: Math.round(img.getBoundingClientRect().width), ImgNatural: img.naturalWidth};
		})()`))
		if err != nil {
			t.Fatalf("measure at %s: %v", vp.name, err)
		}
		t.Logf("%s: scrollWidth %d, widest element %d, chart %d px of %d", vp.name, m.ScrollWidth, m.Widest, m.ImgWidth, m.ImgNatural)
		if vp.width == 390 {
			if m.ScrollWidth > 390 || m.Widest > 390 {
				t.Errorf("at 390 px: scrollWidth %d, widest element %d; want nothing wider than the screen", m.ScrollWidth, m.Widest)
			}
			if m.ImgNatural <= 390 || m.ImgWidth > 390-24 {
				t.Errorf("at 390 px the chart is %d px of %d; want it scaled to the column", m.ImgWidth, m.ImgNatural)
			}
		} else if m.ImgWidth != m.ImgNatural {
			t.Errorf("at 1280 px the chart is %d px, want its own %d", m.ImgWidth, m.ImgNatural)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		shot := filepath.Join(dir, "digest-"+vp.name+".png")
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", shot)
	}
}
