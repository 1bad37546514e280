package form

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const testSlug = "strategija-2026"

// TestFormCSRF refuses every token that is not this page's, for this
// browser, recent, and shows the form again with the text kept and a
// token that works.
func TestFormCSRF(t *testing.T) {
	tests := []struct {
		name     string
		prepare  func(t *testing.T, env *testEnv, b *browserSession) url.Values
		wantText string
	}{
		{name: "missing token", wantText: "Forma pateikta ne iš šio puslapio",
			prepare: func(t *testing.T, env *testEnv, b *browserSession) url.Values {
				b.open(t, testSlug)
				env.clock.Advance(time.Minute)
				return validFields()
			}},
		{name: "forged token", wantText: "Nepavyko patikrinti formos",
			prepare: func(t *testing.T, env *testEnv, b *browserSession) url.Values {
				tok := b.open(t, testSlug)
				env.clock.Advance(time.Minute)
				forged := []byte(tok)
				forged[len(forged)-3] ^= 1
				return fieldsWith("token", string(forged))
			}},
		{name: "garbage token", wantText: "Nepavyko patikrinti formos",
			prepare: func(t *testing.T, env *testEnv, b *browserSession) url.Values {
				b.open(t, testSlug)
				return fieldsWith("token", "<script>")
			}},
		{name: "token signed with another key", wantText: "Nepavyko patikrinti formos",
			prepare: func(t *testing.T, env *testEnv, b *browserSession) url.Values {
				b.open(t, testSlug)
				other := csrfGuard{key: []byte("another key")}
				return fieldsWith("token", other.issue(testSlug, b.cookie, env.clock.Now().Add(-time.Minute)))
			}},
		{name: "expired token", wantText: "Forma buvo atverta per seniai",
			prepare: func(t *testing.T, env *testEnv, b *browserSession) url.Values {
				tok := b.open(t, testSlug)
				env.clock.Advance(tokenTTL + time.Second)
				return fieldsWith("token", tok)
			}},
		{name: "token for another slug", wantText: "Nepavyko patikrinti formos",
			prepare: func(t *testing.T, env *testEnv, b *browserSession) url.Values {
				tok := b.open(t, "parkas")
				env.clock.Advance(time.Minute)
				return fieldsWith("token", tok)
			}},
		{name: "no cookie", wantText: "Leiskite slapukus",
			prepare: func(t *testing.T, env *testEnv, b *browserSession) url.Values {
				tok := b.open(t, testSlug)
				env.clock.Advance(time.Minute)
				b.cookie = ""
				return fieldsWith("token", tok)
			}},
		{name: "another browser's cookie", wantText: "Nepavyko patikrinti formos",
			prepare: func(t *testing.T, env *testEnv, b *browserSession) url.Values {
				tok := b.open(t, testSlug)
				env.clock.Advance(time.Minute)
				other := env.browser()
				other.open(t, testSlug)
				b.cookie = other.cookie
				return fieldsWith("token", tok)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFormTestEnv(t, nil)
			b := env.browser()
			fields := tc.prepare(t, env, b)
			rec := b.post(t, testSlug, fields, nil)
			body := rec.Body.String()
			if rec.Code != http.StatusForbidden {
				t.Fatalf("got status %d, want 403", rec.Code)
			}
			if n := len(env.store.submissions()); n != 0 {
				t.Fatalf("got %d stored, want 0", n)
			}
			mustContain(t, body, tc.wantText, `role="alert"`, "Siūlome įrengti dviračių taką palei Nemuną.</textarea>")
			// The form shown again works.
			env.clock.Advance(time.Minute)
			again := copyValues(fields)
			again.Set("token", tokenOf(t, body))
			rec = b.post(t, testSlug, again, nil)
			if rec.Code != http.StatusOK || refOf(rec.Body.String()) == "" {
				t.Fatalf("resend: got status %d, want 200 with a receipt", rec.Code)
			}
		})
	}
}

// TestFormReusedToken: a refresh of the receipt page (the same POST again)
// shows the first receipt and stores nothing more.
func TestFormReusedToken(t *testing.T) {
	env := newFormTestEnv(t, nil)
	b := env.browser()
	tok := b.open(t, testSlug)
	env.clock.Advance(time.Minute)
	fields := fieldsWith("token", tok, "email", "ona@example.lt", "consent", "yes")
	first := b.post(t, testSlug, fields, nil)
	env.clock.Advance(time.Hour)
	second := b.post(t, testSlug, fields, nil)
	if first.Code != http.StatusOK || second.Code != http.StatusOK {
		t.Fatalf("got statuses %d, %d, want 200, 200", first.Code, second.Code)
	}
	r1, r2 := refOf(first.Body.String()), refOf(second.Body.String())
	if r1 == "" || r1 != r2 {
		t.Errorf("got refs %q, %q, want the same receipt twice", r1, r2)
	}
	if n := len(env.store.submissions()); n != 1 {
		t.Errorf("got %d stored, want 1", n)
	}
	// Asking for the same receipt in English renders it in English.
	req := multipartRequest(t, "/k/"+testSlug+"?lang=en", fields)
	third := b.do(req)
	mustContain(t, third.Body.String(), `<html lang="en">`, r1, "Reference number")
}

// TestFormDoubleClick: two posts of one page at once store one
// submission, and both answers show it.
func TestFormDoubleClick(t *testing.T) {
	env := newFormTestEnv(t, nil)
	b := env.browser()
	tok := b.open(t, testSlug)
	env.clock.Advance(time.Minute)
	env.store.block = make(chan struct{})
	fields := fieldsWith("token", tok)
	var wg sync.WaitGroup
	refs := make([]string, 2)
	for i := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := multipartRequest(t, "/k/"+testSlug, fields)
			req.RemoteAddr = b.remote
			req.AddCookie(&http.Cookie{Name: cookieName, Value: b.cookie})
			rec := httptest.NewRecorder()
			env.h.ServeHTTP(rec, req)
			refs[i] = refOf(rec.Body.String())
		}()
	}
	time.Sleep(50 * time.Millisecond) // let both reach the store or the wait
	close(env.store.block)
	wg.Wait()
	if refs[0] == "" || refs[0] != refs[1] {
		t.Errorf("got refs %q, want one receipt twice", refs)
	}
	if n := len(env.store.submissions()); n != 1 {
		t.Errorf("got %d stored, want 1", n)
	}
}

func multipartRequest(t testing.TB, target string, fields url.Values) *http.Request {
	t.Helper()
	ct, body := multipartBody(t, fields, nil)
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	return req
}

func TestFormRobotTraps(t *testing.T) {
	tests := []struct {
		name     string
		wait     time.Duration
		honeypot string
		wantText string
	}{
		{name: "honeypot filled", wait: time.Minute, honeypot: "http://spam.example", wantText: "Palikite tuščią"},
		{name: "too fast", wait: time.Second, wantText: "Palaukite kelias sekundes ir pateikite dar kartą"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFormTestEnv(t, nil)
			b := env.browser()
			tok := b.open(t, testSlug)
			env.clock.Advance(tc.wait)
			rec := b.post(t, testSlug, fieldsWith("token", tok, "website", tc.honeypot), nil)
			body := rec.Body.String()
			if rec.Code != http.StatusForbidden || len(env.store.submissions()) != 0 {
				t.Fatalf("got status %d, %d stored, want 403 and none", rec.Code, len(env.store.submissions()))
			}
			mustContain(t, body, tc.wantText, `name="website" value=""`, "Nemuną.</textarea>")
			// A person reads the message, waits, and sends again.
			env.clock.Advance(5 * time.Second)
			rec = b.post(t, testSlug, fieldsWith("token", tokenOf(t, body)), nil)
			if rec.Code != http.StatusOK || len(env.store.submissions()) != 1 {
				t.Fatalf("resend: got status %d, %d stored, want 200 and 1", rec.Code, len(env.store.submissions()))
			}
		})
	}
}

func TestFormBodyTooLarge(t *testing.T) {
	env := newFormTestEnv(t, nil)
	b := env.browser()
	tok := b.open(t, testSlug)
	env.clock.Advance(time.Minute)
	big := bytes.Repeat([]byte("x"), int(env.form.opt.bodyLimit())+1)
	rec := b.post(t, testSlug, fieldsWith("token", tok), []testFile{{name: "a.pdf", data: big}})
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("got status %d, want 413", rec.Code)
	}
	mustContain(t, rec.Body.String(), "Per dideli failai", "8 KB")
	if n := len(env.store.submissions()); n != 0 {
		t.Errorf("got %d stored, want 0", n)
	}
}

func TestFormBadBody(t *testing.T) {
	tests := []struct{ name, ctype, body string }{
		{"plain text", "text/plain", "text=labas"},
		{"no content type", "", "text=labas"},
		{"broken multipart", "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nlabas"},
		{"multipart without boundary", "multipart/form-data", "--xyz--"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFormTestEnv(t, nil)
			b := env.browser()
			b.open(t, testSlug)
			req := httptest.NewRequest(http.MethodPost, "/k/"+testSlug, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			rec := b.do(req)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("got status %d, want 400", rec.Code)
			}
			mustContain(t, rec.Body.String(), "Nepavyko perskaityti formos")
		})
	}
}

// TestFormURLEncoded accepts the form without files as
// application/x-www-form-urlencoded too.
func TestFormURLEncoded(t *testing.T) {
	env := newFormTestEnv(t, nil)
	b := env.browser()
	tok := b.open(t, testSlug)
	env.clock.Advance(time.Minute)
	req := httptest.NewRequest(http.MethodPost, "/k/"+testSlug, strings.NewReader(fieldsWith("token", tok).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := b.do(req)
	if rec.Code != http.StatusOK || len(env.store.submissions()) != 1 {
		t.Fatalf("got status %d, %d stored, want 200 and 1", rec.Code, len(env.store.submissions()))
	}
}

func TestFormRateLimit(t *testing.T) {
	env := newFormTestEnv(t, func(o *Options) { o.RatePerHour = 3 })
	b := env.browser()
	for i := range 3 {
		if rec := b.submit(t, testSlug, validFields(), nil); rec.Code != http.StatusOK {
			t.Fatalf("post %d: got status %d, want 200", i+1, rec.Code)
		}
	}
	tok := b.open(t, testSlug)
	env.clock.Advance(10 * time.Second)
	rec := b.post(t, testSlug, fieldsWith("token", tok), nil)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("flood: got status %d, want 429", rec.Code)
	}
	mustContain(t, rec.Body.String(), "Per daug pasiūlymų", "Pabandykite vėl po")
	if ra := rec.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("got Retry-After %q, want seconds", ra)
	}
	// Another client is not affected.
	other := env.browser()
	other.remote = "198.51.100.7:1000"
	if rec := other.submit(t, testSlug, validFields(), nil); rec.Code != http.StatusOK {
		t.Errorf("other client: got status %d, want 200", rec.Code)
	}
	// One token comes back every 20 minutes.
	env.clock.Advance(20 * time.Minute)
	if rec := b.post(t, testSlug, fieldsWith("token", tok), nil); rec.Code != http.StatusOK {
		t.Fatalf("after refill: got status %d, want 200", rec.Code)
	}
	if got := len(env.store.submissions()); got != 5 {
		t.Errorf("got %d stored, want 5", got)
	}
}

func TestFormConsultationStates(t *testing.T) {
	tests := []struct {
		slug              string
		wantGet, wantPost int
		wantText          string
	}{
		{"senoji", http.StatusOK, http.StatusForbidden, "Ši konsultacija baigėsi: pasiūlymų buvo laukiama iki 2026 m. sausio 31 d."},
		{"ataskaita", http.StatusOK, http.StatusForbidden, "Ši konsultacija baigėsi"},
		{"busima", http.StatusOK, http.StatusForbidden, "Pasiūlymus bus galima teikti nuo 2027 m. sausio 10 d."},
		{"juodrastis", http.StatusNotFound, http.StatusNotFound, "Puslapis nerastas"},
		{"nera-tokios", http.StatusNotFound, http.StatusNotFound, "Puslapis nerastas"},
	}
	for _, tc := range tests {
		t.Run(tc.slug, func(t *testing.T) {
			env := newFormTestEnv(t, nil)
			b := env.browser()
			rec := b.get("/k/" + tc.slug)
			if rec.Code != tc.wantGet {
				t.Fatalf("GET: got status %d, want %d", rec.Code, tc.wantGet)
			}
			body := rec.Body.String()
			mustContain(t, body, tc.wantText)
			if strings.Contains(body, "<form") {
				t.Errorf("GET: page has a form, want none")
			}
			// A token issued for an open form of the same slug does not help.
			tok := csrfGuard{key: env.opt.Secret}.issue(tc.slug, b.cookie, env.clock.Now())
			env.clock.Advance(time.Minute)
			rec = b.post(t, tc.slug, fieldsWith("token", tok), nil)
			if rec.Code != tc.wantPost {
				t.Fatalf("POST: got status %d, want %d", rec.Code, tc.wantPost)
			}
			if n := len(env.store.submissions()); n != 0 {
				t.Errorf("got %d stored, want 0", n)
			}
		})
	}
}

func TestFormStoreError(t *testing.T) {
	env := newFormTestEnv(t, nil)
	b := env.browser()
	env.store.setErr(errFormTestStore)
	tok := b.open(t, testSlug)
	env.clock.Advance(time.Minute)
	fields := fieldsWith("token", tok)
	rec := b.post(t, testSlug, fields, nil)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("got status %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	mustContain(t, body, "Nepavyko išsaugoti, bandykite dar kartą", "Nemuną.</textarea>")
	if refOf(body) != "" {
		t.Errorf("page shows a reference number after a failed save")
	}
	// Nothing was stored, so the same page may be sent again.
	env.store.setErr(nil)
	rec = b.post(t, testSlug, fields, nil)
	if rec.Code != http.StatusOK || refOf(rec.Body.String()) != "VVG-2026-0001" {
		t.Fatalf("resend: got status %d ref %q, want 200 VVG-2026-0001", rec.Code, refOf(rec.Body.String()))
	}
}

func TestFormListError(t *testing.T) {
	env := newFormTestEnv(t, nil)
	env.store.listErr = errFormTestStore
	for _, target := range []string{"/", "/k/" + testSlug} {
		rec := env.browser().get(target)
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("GET %s: got status %d, want 500", target, rec.Code)
		}
		mustContain(t, rec.Body.String(), "Nepavyko išsaugoti, bandykite dar kartą")
	}
}
