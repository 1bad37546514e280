package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/notify/notifytest"
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
	dir := intaketest.Artifacts(t)
	notifytest.OnScreens(ctx, t, html, "img", dir, "digest", func(s notifytest.Screen) {
		type chart struct{ Width, Natural int }
		c, err := chromedp.Run(ctx, chromedp.Evaluate[chart](`(() => {
			const img = document.querySelector('img');
			return {Width: Math.round(img.getBoundingClientRect().width), Natural: img.naturalWidth};
		})()`))
		if err != nil {
			t.Fatalf("measure the chart at %s: %v", s.Name, err)
		}
		t.Logf("%s: chart %d px of %d", s.Name, c.Width, c.Natural)
		if s.Width == 390 {
			if c.Natural <= 390 || c.Width > 390-24 {
				t.Errorf("at 390 px the chart is %d px of %d; want it scaled to the column", c.Width, c.Natural)
			}
		} else if c.Width != c.Natural {
			t.Errorf("at %d px the chart is %d px, want its own %d", s.Width, c.Width, c.Natural)
		}
	})
}
