package notify

import (
	"bytes"
	"fmt"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"
)

var measures8 = []MeasureCount{
	{Code: "1.1", Title: "Ūkio ir verslo plėtra"}, {Code: "1.2", Title: "Socialinis verslas"},
	{Code: "2.1", Title: "Bendruomenių iniciatyvos"}, {Code: "2.2", Title: "Jaunimo užimtumas"},
	{Code: "3", Title: "Kultūros paveldas"}, {Code: "4", Title: "Infrastruktūra"},
	{Code: "5", Title: "Bendradarbiavimas"}, {Code: "other", Title: "Kita"},
}

// testDigest builds digest data with n new items spread over the 8 measures.
func testDigest(t testing.TB, n int) DigestData {
	loc := loadVilnius(t)
	start := time.Date(2026, 11, 16, 0, 0, 0, 0, loc)
	ms := make([]MeasureCount, len(measures8))
	copy(ms, measures8)
	items := make([]DigestItem, n)
	for i := range items {
		m := &ms[i%len(ms)]
		m.Week++
		m.Total += 2
		items[i] = DigestItem{
			Ref:          fmt.Sprintf("VVG-2026-%05d", i+1),
			ReceivedAt:   start.Add(time.Duration(i) * 7 * 24 * time.Hour / time.Duration(n+1)),
			MeasureCode:  m.Code,
			MeasureTitle: m.Title,
			Excerpt:      "Siūlau sutvarkyti šaligatvį ir įrengti suoliukų prie ežero – ąčęėįšųūž. <b>Ačiū</b>",
			NeedsReview:  i%17 == 0,
			Late:         i%29 == 0,
		}
	}
	return DigestData{
		Head:        Head{Lang: "lt", Loc: loc, Org: testOrg(), MessageID: "vvg-digest-2026-47@vvg.example.lt", Date: time.Date(2026, 11, 23, 8, 0, 0, 0, loc)},
		To:          []Addr{{Name: "Valdyba", Addr: "valdyba@vvg.example.lt"}, {Addr: "pirmininkas@vvg.example.lt"}},
		PeriodStart: start,
		PeriodEnd:   start.AddDate(0, 0, 7),
		Consultations: []DigestConsultation{{
			Slug: "strategija-2027", Title: "Vietos plėtros strategijos keitimas", Status: "open",
			ClosesAt: time.Date(2026, 12, 13, 23, 59, 0, 0, loc), Measures: ms, New: items,
			NeedsReview: 3, Late: 1,
			DueSoon: []DueItem{{Ref: "VVG-2026-00001", Due: time.Date(2026, 11, 27, 0, 0, 0, 0, loc), Excerpt: "Dėl tilto"}},
			Overdue: []DueItem{{Ref: "VVG-2026-00002", Due: time.Date(2026, 11, 20, 0, 0, 0, 0, loc), Excerpt: "Dėl kelio"}},
			Themes: []MeasureThemes{
				{Code: "1.1", Title: "Ūkio ir verslo plėtra", Themes: []ThemeCount{{Label: "Senjorų dienos centras Aleksote", Count: 12},
					{Label: "pietūs, pristatymas, namus", Count: 4}}},
				{Code: "other", Title: "Kita", Themes: []ThemeCount{{Label: "dviračių takas, Nemuno, apšvietimas", Count: 3}}},
			},
		}},
	}
}

func TestBuildDigest(t *testing.T) {
	m, html, err := BuildDigest(testDigest(t, 12), defaultTemplates(t))
	if err != nil {
		t.Fatalf("BuildDigest: %v", err)
	}
	raw := render(t, m)
	p := parse(t, raw)

	t.Run("headers", func(t *testing.T) {
		for h, want := range map[string]string{
			"Precedence":               "bulk",
			"Auto-Submitted":           "auto-generated",
			"X-Auto-Response-Suppress": "All",
			"Message-Id":               "<vvg-digest-2026-47@vvg.example.lt>",
			"In-Reply-To":              "",
		} {
			if got := p.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		to, err := p.Header.AddressList("To")
		if err != nil || len(to) != 2 {
			t.Errorf("To = %v, %v; want 2 recipients", to, err)
		}
	})
	t.Run("subject", func(t *testing.T) {
		if want := "Savaitės suvestinė: 12 naujų pasiūlymų (2026-11-16 – 2026-11-22)"; p.Subject != want {
			t.Errorf("subject = %q, want %q", p.Subject, want)
		}
	})
	t.Run("structure", func(t *testing.T) {
		got := strings.Join(tree(t, raw), " ")
		want := "0:multipart/related 1:multipart/alternative 2:text/plain 2:text/html 1:image/png"
		if got != want {
			t.Errorf("structure = %q, want %q", got, want)
		}
	})
	t.Run("chart", func(t *testing.T) {
		var img *part
		for i := range p.Parts {
			if p.Parts[i].ContentType == "image/png" {
				img = &p.Parts[i]
			}
		}
		if img == nil {
			t.Fatalf("no image/png part")
		}
		if img.Disposition != "inline" {
			t.Errorf("chart disposition = %q, want inline", img.Disposition)
		}
		if _, err := png.Decode(bytes.NewReader(img.Body)); err != nil {
			t.Errorf("chart does not decode: %v", err)
		}
		mailHTML := p.body(t, "text/html")
		if img.ContentID == "" || !strings.Contains(mailHTML, `src="cid:`+img.ContentID+`"`) {
			t.Errorf("html does not reference cid:%s", img.ContentID)
		}
	})
	t.Run("text", func(t *testing.T) {
		text := strings.ReplaceAll(p.body(t, "text/plain"), "\r\n", "\n")
		checkText(t, "text", text, []string{
			"nuo 2026 m. lapkričio 16 d. iki 2026 m. lapkričio 22 d.",
			"=== Vietos plėtros strategijos keitimas ===",
			"Būsena: vyksta; pasiūlymų teikimo terminas – 2026 m. gruodžio 13 d. 23:59.",
			"Nauji pasiūlymai per savaitę: 12; iš viso: 24.",
			"1.1    Ūkio ir verslo plėtra",
			"[VVG-2026-00001] 2026-11-16 00:00, priemonė 1.1, laukia priskyrimo, po termino",
			"Siūlau sutvarkyti šaligatvį",
			"Artėja atsakymo terminas:",
			"[VVG-2026-00001] atsakyti iki 2026 m. lapkričio 27 d. – Dėl tilto",
			"Praleistas atsakymo terminas:",
			"Dažniausios temos (pasiūlymų skaičius):\n  1.1 Ūkio ir verslo plėtra\n    – Senjorų dienos centras Aleksote: 12\n    – pietūs, pristatymas, namus: 4\n",
			"\n  Kita\n    – dviračių takas, Nemuno, apšvietimas: 3\n\nNauji pasiūlymai:",
		}, nil)
		if strings.Contains(text, "d..") {
			t.Errorf("text has a double full stop after a date")
		}
	})
	t.Run("standalone html", func(t *testing.T) {
		s := string(html)
		if !strings.Contains(s, `src="data:image/png;base64,`) {
			t.Errorf("standalone html has no data: URI chart")
		}
		if strings.Contains(s, "cid:") {
			t.Errorf("standalone html still references cid:")
		}
		if !strings.Contains(s, "Dažniausios temos</h3>") || !strings.Contains(s, "<li>Senjorų dienos centras Aleksote – <strong>12</strong></li>") {
			t.Errorf("standalone html lacks the top themes")
		}
		if strings.Contains(s, "<b>Ačiū</b>") {
			t.Errorf("standalone html has unescaped resident markup")
		}
	})
}

func TestBuildDigestMaxItems(t *testing.T) {
	tests := []struct {
		name             string
		n, max           int
		shown, andMore   int
		wantMoreSentence string
	}{
		{"default cap", 250, 0, 200, 50, "… ir dar 50 pasiūlymų."},
		{"explicit cap", 23, 2, 2, 21, "… ir dar 21 pasiūlymas."},
		{"no cap", 250, -1, 250, 0, ""},
		{"under cap", 3, 10, 3, 0, ""},
	}
	refRe := regexp.MustCompile(`(?m)^  \[VVG-2026-\d+\] `)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDigest(t, tt.n)
			d.Consultations[0].DueSoon, d.Consultations[0].Overdue = nil, nil
			d.MaxItems = tt.max
			m, _, err := BuildDigest(d, defaultTemplates(t))
			if err != nil {
				t.Fatalf("BuildDigest: %v", err)
			}
			text := parse(t, render(t, m)).body(t, "text/plain")
			if got := len(refRe.FindAllString(text, -1)); got != tt.shown {
				t.Errorf("listed %d items, want %d", got, tt.shown)
			}
			if tt.wantMoreSentence != "" && !strings.Contains(text, tt.wantMoreSentence) {
				t.Errorf("text lacks %q", tt.wantMoreSentence)
			}
			if tt.wantMoreSentence == "" && strings.Contains(text, "ir dar") {
				t.Errorf("text says there are more items")
			}
		})
	}
}

func TestBuildDigestEmptyAndEnglish(t *testing.T) {
	d := testDigest(t, 0)
	d.Consultations = nil
	m, _, err := BuildDigest(d, defaultTemplates(t))
	if err != nil {
		t.Fatalf("BuildDigest: %v", err)
	}
	raw := render(t, m)
	p := parse(t, raw)
	if want := "Savaitės suvestinė: 0 naujų pasiūlymų (2026-11-16 – 2026-11-22)"; p.Subject != want {
		t.Errorf("subject = %q, want %q", p.Subject, want)
	}
	if text := p.body(t, "text/plain"); !strings.Contains(text, "nevyksta nė viena konsultacija") {
		t.Errorf("empty digest text lacks the no-consultation sentence:\n%s", text)
	}
	if got := strings.Join(tree(t, raw), " "); got != "0:multipart/alternative 1:text/plain 1:text/html" {
		t.Errorf("empty digest structure = %q, want alternative without images", got)
	}

	d = testDigest(t, 1)
	d.Lang = "en"
	m, _, err = BuildDigest(d, defaultTemplates(t))
	if err != nil {
		t.Fatalf("BuildDigest en: %v", err)
	}
	if got, want := parse(t, render(t, m)).Subject, "Weekly digest: 1 new suggestion (2026-11-16 – 2026-11-22)"; got != want {
		t.Errorf("subject = %q, want %q", got, want)
	}
}

func TestBuildDigestRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*DigestData)
		want   string
	}{
		{"no recipients", func(d *DigestData) { d.To = nil }, "no recipients"},
		{"empty period", func(d *DigestData) { d.PeriodEnd = d.PeriodStart }, "period"},
		{"nil location", func(d *DigestData) { d.Loc = nil }, "location"},
		{"negative count", func(d *DigestData) { d.Consultations[0].Measures[0].Week = -1 }, "chart"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDigest(t, 3)
			tt.mutate(&d)
			if _, _, err := BuildDigest(d, defaultTemplates(t)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("BuildDigest error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestChartCID(t *testing.T) {
	tests := []struct {
		i          int
		slug, want string
	}{
		{0, "strategija-2027", "chart-1-strategija-2027.png"},
		{1, "Žalia Vasara!", "chart-2-aliavasara.png"},
		{2, "ąčę", "chart-3.png"},
	}
	for _, tt := range tests {
		if got := chartCID(tt.i, tt.slug); got != tt.want {
			t.Errorf("chartCID(%d, %q) = %q, want %q", tt.i, tt.slug, got, tt.want)
		}
	}
}

// BenchmarkBuildDigest builds and serialises a digest of 100,000 new
// suggestions over 8 measures: with the default list cap (what is mailed)
// and with every item listed (the worst case).
func BenchmarkBuildDigest(b *testing.B) {
	tm, err := LoadTemplates("")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		max  int
	}{{"capped", 0}, {"all", -1}} {
		b.Run(bc.name, func(b *testing.B) {
			d := testDigest(b, 100_000)
			d.MaxItems = bc.max
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				m, _, err := BuildDigest(d, tm)
				if err != nil {
					b.Fatal(err)
				}
				var w countWriter
				if _, err := m.WriteTo(&w); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(w), "mail-bytes")
			}
		})
	}
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// TestBuildDigestErasures: the digest names each retention rule applied
// in the period and how many erasures were made on request, in both
// languages and both parts; a period without any says nothing of it.
func TestBuildDigestErasures(t *testing.T) {
	d := testDigest(t, 1)
	if text := parse(t, render(t, mustDigest(t, d))).body(t, "text/plain"); strings.Contains(text, "Asmens duomenys") {
		t.Errorf("a digest without erasures mentions personal data:\n%s", text)
	}
	d.Erasures = DigestErasures{OnRequest: 1, Purged: []DigestPurge{
		{Consultation: "strategija-2025", Rule: "raw-mail", Messages: 21},
		{Consultation: "strategija-2025", Rule: "personal", Cases: 12, Messages: 21},
		{Rule: "personal", Messages: 3}}}
	tests := []struct {
		name, lang string
		want       []string
	}{
		{"lt", "lt", []string{"Asmens duomenys", "strategija-2025: pasibaigus saugojimo terminui ištrinti laiškų originalai ir priedai (21 laiškas)",
			"ištrinti asmens duomenys (12 pasiūlymų, 21 laiškas)", "laiškai, nepriskirti konsultacijai: pasibaigus saugojimo terminui ištrinti asmens duomenys (0 pasiūlymų, 3 laiškai)",
			"Asmenų prašymu ištrinti jų duomenys: 1 prašymas."}},
		{"en", "en", []string{"Personal data", "strategija-2025: raw e-mails and attachments deleted at the end of their retention (21 e-mails)",
			"personal data deleted at the end of its retention (12 suggestions, 21 e-mails)", "Erased at the person's request: 1 request."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d.Lang = tt.lang
			p := parse(t, render(t, mustDigest(t, d)))
			text, html := p.body(t, "text/plain"), p.body(t, "text/html")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%s", w, text)
				}
				if !strings.Contains(html, w[strings.LastIndex(w, ":")+1:]) {
					t.Errorf("html lacks %q", w)
				}
			}
		})
	}
}

func mustDigest(t testing.TB, d DigestData) *gomail.Msg {
	t.Helper()
	m, _, err := BuildDigest(d, defaultTemplates(t))
	if err != nil {
		t.Fatalf("BuildDigest: %v", err)
	}
	return m
}
