package form

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzFormSubmit posts random bodies (raw=true) and random field values
// with a valid token (raw=false) to the form. The handler must never
// panic, never answer 5xx (the fake store does not fail), and whatever it
// stores must obey every field rule.
func FuzzFormSubmit(f *testing.F) {
	env := newFormTestEnv(f, func(o *Options) { o.RatePerHour = 1 << 30 })
	f.Add(false, "", []byte(nil), "Siūlome įrengti taką.", "", "", "", "", false, "", []byte(nil))
	f.Add(false, "", []byte(nil), "Tekstas", "Ona", "ona@example.lt", "2.1", "ngo", true, "planas.pdf", pdfFile())
	f.Add(false, "", []byte(nil), "<script>alert(1)</script>", "Ona\r\nBcc: x@y.lt", "a@b.lt\n", "9.9", "x", false, "a.pdf", exeFile())
	f.Add(true, "multipart/form-data; boundary=b", []byte("--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nlabas\r\n--b--\r\n"),
		"", "", "", "", "", false, "", []byte(nil))
	f.Add(true, "application/x-www-form-urlencoded", []byte("text=labas&token=%00"), "", "", "", "", "", false, "", []byte(nil))
	f.Fuzz(func(t *testing.T, raw bool, ctype string, body []byte, text, name, email, measure, sector string,
		consent bool, fileName string, fileData []byte) {
		b := env.browser()
		before := len(env.store.submissions())
		var rec *httptest.ResponseRecorder
		if raw {
			b.open(t, testSlug)
			req := httptest.NewRequest(http.MethodPost, "/k/"+testSlug, bytes.NewReader(body))
			req.Header.Set("Content-Type", ctype)
			rec = b.do(req)
		} else {
			tok := b.open(t, testSlug)
			env.clock.Advance(time.Minute)
			fields := url.Values{"token": {tok}, "text": {text}, "name": {name}, "email": {email},
				"measure": {measure}, "sector": {sector}}
			if consent {
				fields.Set("consent", "yes")
			}
			var files []testFile
			if fileName != "" || len(fileData) > 0 {
				files = append(files, testFile{name: fileName, data: fileData})
			}
			rec = b.post(t, testSlug, fields, files)
		}
		if rec.Code >= 500 {
			t.Fatalf("got status %d, want no server error", rec.Code)
		}
		subs := env.store.submissions()
		if len(subs) == before {
			return
		}
		if rec.Code != http.StatusOK || len(subs) != before+1 {
			t.Fatalf("got status %d with %d new submissions, want 200 with 1", rec.Code, len(subs)-before)
		}
		checkStored(t, env, subs[len(subs)-1])
	})
}

// checkStored asserts the rules every stored submission obeys.
func checkStored(t *testing.T, env *testEnv, s *Submission) {
	t.Helper()
	o := env.form.opt
	if s.Text == "" || !utf8.ValidString(s.Text) || utf8.RuneCountInString(s.Text) > o.MaxTextRunes {
		t.Errorf("stored text %q breaks the text rules", s.Text)
	}
	if strings.ContainsAny(s.Name+s.Email, "\r\n") {
		t.Errorf("stored name %q / email %q hold CR or LF", s.Name, s.Email)
	}
	if s.Email != "" && !emailOK(s.Email) {
		t.Errorf("stored email %q is not a bare address", s.Email)
	}
	if (s.Name != "" || s.Email != "") && !s.Consent {
		t.Errorf("stored personal data without consent")
	}
	if _, ok := env.form.measures[""][s.Measure]; s.Measure != "" && !ok {
		t.Errorf("stored measure %q is not offered", s.Measure)
	}
	if s.Sector != "" && !slices.Contains(sectors(), s.Sector) {
		t.Errorf("stored sector %q is not offered", s.Sector)
	}
	if len(s.Files) > o.MaxFiles {
		t.Errorf("stored %d files, want at most %d", len(s.Files), o.MaxFiles)
	}
	for _, fl := range s.Files {
		if !env.form.allowed[fl.ContentType] || fl.Size > o.MaxUploadBytes || fl.Size == 0 {
			t.Errorf("stored file %q (%s, %d bytes) breaks the file rules", fl.Filename, fl.ContentType, fl.Size)
		}
	}
}
