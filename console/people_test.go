package console

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPeopleErase: an administrator finds a person by name, downloads
// their records, is shown everything an erasure removes and what stays,
// and erases them only after typing the address again; staff cannot
// open the screen.
func TestPeopleErase(t *testing.T) {
	env := newTestEnv(t, nil)
	admin := env.client()
	admin.login("admin@vvg.test")
	staff := env.client()
	staff.login("staff@vvg.test")
	if code, _ := staff.get("/people?q=ona"); code != http.StatusForbidden {
		t.Errorf("staff on the personal-data screen: %d, want 403", code)
	}

	code, body := admin.get("/people?q=" + url.QueryEscape("petraitiene ona"))
	if code != http.StatusOK || !strings.Contains(body, "ona@example.lt") || !strings.Contains(body, env.refs[2]) {
		t.Fatalf("find by name: %d\n%.2000s", code, body)
	}
	code, zipBody, resp := admin.post("/people/export", url.Values{"q": {"ona@example.lt"}}, true)
	if code != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("export: %d %s\n%.500s", code, resp.Header.Get("Content-Type"), zipBody)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(zipBody)), int64(len(zipBody)))
	if err != nil {
		t.Fatal(err)
	}
	var manifest string
	for _, f := range zr.File {
		if f.Name == "manifest.json" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			manifest = string(b)
		}
	}
	if !strings.Contains(manifest, "Please add more bike lanes.") {
		t.Errorf("the export's manifest lacks her suggestion:\n%s", manifest)
	}

	code, body = admin.get("/people/erase?email=ona@example.lt")
	if code != http.StatusOK || !strings.Contains(body, "To atšaukti negalima.") || !strings.Contains(body, env.refs[0]) ||
		!strings.Contains(body, "pasiūlymas: <strong>3</strong>") {
		t.Fatalf("confirmation: %d\n%.3000s", code, body)
	}
	if code, _, _ := admin.post("/people/erase", url.Values{"email": {"ona@example.lt"}, "confirm": {"kita@example.lt"}}, true); code != http.StatusBadRequest {
		t.Errorf("erase with the wrong address typed: %d, want 400", code)
	}
	if s, _ := env.db.Submission(context.Background(), env.refs[0]); !s.ErasedAt.IsZero() {
		t.Fatalf("erased without confirmation")
	}
	code, body, _ = admin.post("/people/erase", url.Values{"email": {"ona@example.lt"}, "confirm": {" ONA@example.lt "}}, true)
	if code != http.StatusOK || !strings.Contains(body, "Ištrinta iš registro: 3 pasiūlymai") {
		t.Fatalf("erase: %d\n%.2000s", code, body)
	}
	for _, ref := range env.refs {
		if s, err := env.db.Submission(context.Background(), ref); err != nil || s.ErasedAt.IsZero() || s.SenderEmail != "" {
			t.Errorf("%s after the erasure: %+v, %v", ref, s, err)
		}
	}
	if code, body := admin.get("/s/" + env.refs[0]); code != http.StatusOK || !strings.Contains(body, "Asmens duomenys ištrinti") {
		t.Errorf("an erased suggestion's page does not say so: %d\n%.1500s", code, body)
	}
	es, _ := env.db.Audit(context.Background(), "", 0)
	if es[0].Action != "person.erase" || es[0].Actor != "admin@vvg.test" || strings.Contains(es[0].Target+es[0].Detail, "ona@") {
		t.Errorf("audit entry of the erasure: %+v", es[0])
	}
}
