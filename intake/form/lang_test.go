package form

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestFormPageLanguage(t *testing.T) {
	tests := []struct {
		name, target, accept string
		wantLang, wantText   string
		wantSwitch           string
	}{
		{"default", "/", "", "lt", "Pateikite pasiūlymą", `href="?lang=en"`},
		{"query", "/?lang=en", "lt", "en", "Submit a suggestion", `href="?lang=lt"`},
		{"query wins over header", "/?lang=lt", "en", "lt", "Pateikite pasiūlymą", `href="?lang=en"`},
		// The browser's language does not decide: the consultation is
		// written in the VVG's language, and the link switches.
		{"browser in English", "/", "en-GB,en;q=0.9", "lt", "Pateikite pasiūlymą", `href="?lang=en"`},
		{"en preferred over lt", "/", "lt;q=0.5, en;q=0.8", "lt", "Pateikite pasiūlymą", `href="?lang=en"`},
		{"neither", "/", "de-DE,fr;q=0.5", "lt", "Pateikite pasiūlymą", `href="?lang=en"`},
		{"form page en", "/k/" + testSlug + "?lang=en", "", "en", "Your suggestion", `href="?lang=lt"`},
		{"404 en", "/nera?lang=en", "", "en", "Page not found", `href="?lang=lt"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFormTestEnv(t, nil)
			b := env.browser()
			if tc.accept != "" {
				b.header.Set("Accept-Language", tc.accept)
			}
			body := b.get(tc.target).Body.String()
			mustContain(t, body, `<html lang="`+tc.wantLang+`">`, tc.wantText, tc.wantSwitch)
		})
	}
}

// TestFormListPage shows open consultations only, with their deadlines
// the way they were announced, and links that keep a chosen language.
func TestFormListPage(t *testing.T) {
	env := newFormTestEnv(t, nil)
	body := env.browser().get("/").Body.String()
	mustContain(t, body,
		"Strategijos keitimas", "Kviečiame teikti pasiūlymus.", "Antra pastraipa.",
		"Pasiūlymų laukiame iki 2026 m. gruodžio 13 d.",
		"Parko sutvarkymas", "iki 2026 m. gruodžio 20 d. 17:00",
		`href="k/strategija-2026"`)
	for _, hidden := range []string{"Senoji", "Juodraštis", "Būsima", "Baigta ir aptarta"} {
		if strings.Contains(body, hidden) {
			t.Errorf("list shows %q, want only open consultations", hidden)
		}
	}
	if i, j := strings.Index(body, "Strategijos keitimas"), strings.Index(body, "Parko sutvarkymas"); i > j {
		t.Errorf("got the later deadline first, want the sooner one first")
	}
	en := env.browser().get("/?lang=en").Body.String()
	mustContain(t, en, `href="k/strategija-2026?lang=en"`, "Suggestions are welcome until 13 December 2026")
}

func TestFormEnglishSubmission(t *testing.T) {
	env := newFormTestEnv(t, nil)
	b := env.browser()
	rec := b.submit(t, testSlug, fieldsWith("lang", "en", "measure", "1.1", "email", "ona@example.lt", "consent", "yes"), nil)
	body := rec.Body.String()
	mustContain(t, body, `<html lang="en">`, "Reference number", "1.1 – Community activity",
		"We will send a confirmation to ona@example.lt.", "13 December 2026", "12 January 2027")
	if subs := env.store.submissions(); len(subs) != 1 || subs[0].Language != "en" {
		t.Fatalf("got %d stored, want 1 in English", len(subs))
	}
}

func TestFormDates(t *testing.T) {
	loc := testLoc(t)
	tests := []struct {
		name, lang string
		end        time.Time
		want       string
	}{
		{"midnight is the day before", "lt", time.Date(2026, 12, 14, 0, 0, 0, 0, loc), "2026 m. gruodžio 13 d."},
		{"a time of day stays", "lt", time.Date(2026, 12, 13, 17, 0, 0, 0, loc), "2026 m. gruodžio 13 d. 17:00"},
		{"UTC instant shown in Vilnius", "lt", time.Date(2026, 12, 13, 22, 0, 0, 0, time.UTC), "2026 m. gruodžio 13 d."},
		{"english", "en", time.Date(2026, 12, 14, 0, 0, 0, 0, loc), "13 December 2026"},
		{"every month", "lt", time.Date(2026, 7, 1, 12, 30, 0, 0, loc), "2026 m. liepos 1 d. 12:30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := showDeadline(tc.lang, tc.end, loc); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestFormTextComplete: no string is missing in either language.
func TestFormTextComplete(t *testing.T) {
	for lang, txt := range map[string]*texts{"lt": textLT(), "en": textEN()} {
		v := reflect.ValueOf(txt).Elem()
		for i := range v.NumField() {
			if v.Field(i).String() == "" {
				t.Errorf("%s: %s is empty", lang, v.Type().Field(i).Name)
			}
		}
	}
}

// TestFormNotFoundPage answers unknown paths and methods with a page, not
// the mux's plain text.
func TestFormNotFoundPage(t *testing.T) {
	env := newFormTestEnv(t, nil)
	for _, tc := range []struct{ method, target string }{
		{"GET", "/nera"}, {"GET", "/k/"}, {"GET", "/k/a/b"}, {"GET", "/static/"}, {"GET", "/static/nera.css"}, {"DELETE", "/"},
	} {
		rec := httptest.NewRecorder()
		env.h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: got status %d, want 404 or 405", tc.method, tc.target, rec.Code)
		}
		if rec.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("%s %s: no CSP header", tc.method, tc.target)
		}
	}
}
