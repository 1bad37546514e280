package form

import (
	"net/http"
	"strings"
	"testing"
)

// TestFormClosedPage: a closed consultation says when it ended in one
// sentence (a Lithuanian date's "d." is its full stop, not "d.."), and no
// longer shows the description that invited suggestions.
func TestFormClosedPage(t *testing.T) {
	env := newFormTestEnv(t, nil)
	env.store.consultations[2].Description = "Kviečiame teikti pasiūlymus iki vasario."
	tests := []struct{ name, target, want, hidden string }{
		{"closed lt", "/k/senoji", "pasiūlymų buvo laukiama iki 2026 m. sausio 31 d. Naujų pasiūlymų nebepriimame.", "Kviečiame teikti"},
		{"closed en", "/k/senoji?lang=en", "suggestions were welcome until 31 January 2026. We no longer", "Kviečiame teikti"},
		{"not yet lt", "/k/busima", "Pasiūlymus bus galima teikti nuo 2027 m. sausio 10 d.</p>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := env.browser().get(tt.target).Body.String()
			mustContain(t, body, tt.want)
			if strings.Contains(body, "d..") {
				t.Errorf("page has \"d..\":\n%s", body)
			}
			if tt.hidden != "" && strings.Contains(body, tt.hidden) {
				t.Errorf("a closed consultation still shows its invitation %q", tt.hidden)
			}
			if strings.Contains(body, `id="f-text"`) {
				t.Errorf("the form is shown")
			}
		})
	}
}

// TestFormWording: the words residents see: a thousands space in the
// limit, the live count's texts, the sector of state and municipal
// institutions, "Kita" for the measure other, and a too-fast message that
// asks to wait instead of calling the resident a robot.
func TestFormWording(t *testing.T) {
	env := newFormTestEnv(t, func(o *Options) { o.MaxTextRunes = 20000 })
	lt := env.browser().get("/k/" + testSlug).Body.String()
	mustContain(t, lt, "Iki 20\u00a0000 simbolių.",
		"id=\"f-text-count\" data-max=\"20000\" data-left=\"Liko simbolių: {n} iš 20\u00a0000\"",
		`aria-live="polite"`,
		`<label for="f-sector-public">Valstybės ar savivaldybės įstaiga</label>`,
		`<option value="other">Kita</option>`, `<option value="1.1">1.1 – Bendruomenių veikla</option>`)
	for _, bad := range []string{"Viešoji įstaiga", "other – ", "20000 simbolių"} {
		if strings.Contains(lt, bad) {
			t.Errorf("page has %q", bad)
		}
	}
	en := env.browser().get("/k/" + testSlug + "?lang=en").Body.String()
	mustContain(t, en, "Up to 20,000 characters.", `data-left="{n} of 20,000 characters left"`,
		"A state or municipal institution", `<option value="other">Other</option>`)
	for _, lang := range []*texts{textLT(), textEN()} {
		for _, accusing := range []string{"robot", "robotai"} {
			if strings.Contains(lang.TooFast, accusing) {
				t.Errorf("%s TooFast %q mentions robots", lang.Lang, lang.TooFast)
			}
		}
	}
	if !strings.Contains(textLT().TooFast, "Palaukite kelias sekundes") || !strings.Contains(textEN().TooFast, "wait a few seconds") {
		t.Errorf("TooFast does not ask to wait")
	}
}

// TestFormTooLongNumbers: the too-long message writes both numbers with
// the thousands space.
func TestFormTooLongNumbers(t *testing.T) {
	env := newFormTestEnv(t, func(o *Options) { o.MaxTextRunes = 10000 })
	rec := env.browser().submit(t, testSlug, fieldsWith("text", strings.Repeat("ą", 12345)), nil)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", rec.Code)
	}
	mustContain(t, rec.Body.String(), "simbolių: 12\u00a0345, leidžiama iki 10\u00a0000")
}

// TestFormLanguagePreference: the VVG's language is the page's unless the
// resident picks the other; English pages show the English titles and
// names where the VVG gave them, and the Lithuanian ones otherwise.
func TestFormLanguagePreference(t *testing.T) {
	env := newFormTestEnv(t, func(o *Options) {
		o.OrgNameEN, o.OrgShortNameEN = "Aleksotas Local Action Group", "Aleksotas LAG"
	})
	env.store.consultations[0].TitleEN = "Changing the strategy"
	env.store.consultations[0].DescriptionEN = "Send us your suggestions."
	b := env.browser()
	b.header.Set("Accept-Language", "en-US,en;q=0.9")
	lt := b.get("/k/" + testSlug).Body.String()
	mustContain(t, lt, `<html lang="lt">`, "<h1>Strategijos keitimas</h1>", "Kviečiame teikti pasiūlymus.",
		"Aleksoto vietos veiklos grupė", "– Aleksoto VVG</title>")
	en := b.get("/k/" + testSlug + "?lang=en").Body.String()
	mustContain(t, en, `<html lang="en">`, "<h1>Changing the strategy</h1>", "Send us your suggestions.",
		"Aleksotas Local Action Group", "Changing the strategy – Aleksotas LAG</title>", "I agree that Aleksotas LAG may")
	list := b.get("/?lang=en").Body.String()
	mustContain(t, list, "Changing the strategy", "Parko sutvarkymas", "Aleksotas Local Action Group invites")
	rec := b.submit(t, testSlug, fieldsWith("lang", "en", "measure", "other"), nil)
	mustContain(t, rec.Body.String(), "<dd>Changing the strategy</dd>", "<dd>Other</dd>")
}
