package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
)

// TestOutcomeScreens runs a consultation's outcome in the console: staff
// decide every suggestion and review one's redaction (untick a piece,
// add one), an admin publishes after the confirmation, and the results
// table downloads with the staff's redaction applied.
func TestOutcomeScreens(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, nil)
	// A suggestion with personal data in it.
	s, err := env.pipe.AddStaff(ctx, intake.StaffEntry{Consultation: env.cons, Name: "Rasa", Email: "rasa@example.lt",
		Text: "Siūlau suoliukus prie Nemuno. Skambinkite +370 612 34567, klauskite Jono Petraičio.", Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	refs := append(append([]string(nil), env.refs...), s.Ref)
	staff, admin, board := env.client(), env.client(), env.client()
	staff.login("staff@vvg.test")
	admin.login("admin@vvg.test")
	board.login("board@vvg.test")

	staff.get("/s/" + refs[0])
	for _, ref := range refs {
		form := url.Values{"decision": {"accepted"}, "reason": {"Įtraukta į strategiją."}}
		if code, body, _ := staff.post("/s/"+ref+"/decide", form, true); code != http.StatusSeeOther {
			t.Fatalf("decide %s: %d\n%s", ref, code, body)
		}
	}
	// Still open: nothing to publish yet.
	if _, body := admin.get("/c/strategija/outcome"); !strings.Contains(body, `id="not-ready"`) || strings.Contains(body, `id="publish-button"`) {
		t.Errorf("open consultation: want no publish button\n%s", body)
	}
	if _, err := env.db.SetConsultationStatus(ctx, "strategija", ledger.StatusClosed, "test"); err != nil {
		t.Fatal(err)
	}

	// The redaction review: the phone and the neighbour's name are
	// found; staff untick the name and add the river (it stays hidden
	// wherever it occurs).
	code, body := staff.get("/s/" + s.Ref + "/redact")
	if code != http.StatusOK || !strings.Contains(body, "612 34567</mark>") || !strings.Contains(body, "<mark>Jono Petraičio</mark>") {
		t.Fatalf("redact page: %d\n%s", code, body)
	}
	var hide []string
	for _, m := range strings.Split(body, `name="hide" value="`)[1:] {
		v := m[:strings.IndexByte(m, '"')]
		if !strings.HasSuffix(v, "-name") {
			hide = append(hide, v)
		}
	}
	sha := body[strings.Index(body, `name="sha" value="`)+len(`name="sha" value="`):]
	sha = sha[:strings.IndexByte(sha, '"')]
	form := url.Values{"hide": hide, "sha": {sha}, "add": {"Nemuno"}, "kind": {"address"}}
	if code, body, _ := staff.post("/s/"+s.Ref+"/redact", form, true); code != http.StatusSeeOther {
		t.Fatalf("save redaction: %d\n%s", code, body)
	}
	if _, body := staff.get("/s/" + s.Ref + "/redact"); !strings.Contains(body, "Siūlau suoliukus prie […]. Skambinkite […], klauskite Jono Petraičio.") {
		t.Errorf("after saving: %s", body)
	}
	form.Set("add", "Kauno")
	if code, _, _ := staff.post("/s/"+s.Ref+"/redact", form, true); code != http.StatusBadRequest {
		t.Errorf("adding words not in the text: %d, want 400", code)
	}
	form.Set("sha", "other")
	if code, _, _ := staff.post("/s/"+s.Ref+"/redact", form, true); code != http.StatusConflict {
		t.Errorf("saving over a changed text: %d, want 409", code)
	}

	// The board sees the page without addresses and cannot publish.
	if _, body := board.get("/c/strategija/outcome"); strings.Contains(body, "@example.lt") || strings.Contains(body, `id="publish-button"`) {
		t.Errorf("board's outcome page shows addresses or the publish button")
	}
	if code, _, _ := board.post("/c/strategija/publish", url.Values{"confirm": {"1"}}, true); code != http.StatusForbidden {
		t.Errorf("board publishes: %d, want 403", code)
	}

	// Publishing asks first.
	_, body = admin.get("/c/strategija/outcome")
	if !strings.Contains(body, `id="publish-button"`) {
		t.Fatalf("decided consultation: no publish button\n%s", body)
	}
	code, _, resp := admin.post("/c/strategija/publish", nil, true)
	if code != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "confirm=publish") {
		t.Fatalf("publish without confirmation: %d to %s", code, resp.Header.Get("Location"))
	}
	if _, body = admin.get("/c/strategija/outcome?confirm=publish"); !strings.Contains(body, "4 decision letters") && !strings.Contains(body, "4 laiškų") {
		t.Errorf("confirmation does not say how many letters:\n%s", body)
	}
	if !strings.Contains(body, `action="/c/strategija/publish" class="panel stack"`) || !strings.Contains(body, `id="publish-confirm"`) ||
		strings.Contains(body, `name="to"`) {
		t.Errorf("confirmation form:\n%s", body)
	}
	if code, body, _ := admin.post("/c/strategija/publish", url.Values{"confirm": {"1"}}, true); code != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", code, body)
	}
	c, _ := env.db.Consultation(ctx, "strategija")
	o, _ := env.db.Outcome(ctx, c.ID, 0)
	if c.Status != ledger.StatusPublished || o.LettersQueued != 4 {
		t.Errorf("after publishing: status %s, %d letters queued; want published, 4", c.Status, o.LettersQueued)
	}

	// The downloads carry the staff's redaction.
	code, csv := board.get("/c/strategija/results/csv")
	if code != http.StatusOK || !strings.Contains(csv, "prie […]. Skambinkite […], klauskite Jono Petraičio.") ||
		!strings.Contains(csv, ";atsižvelgta;") || strings.Contains(csv, "@example.lt") {
		t.Errorf("results csv: %d\n%s", code, csv)
	}
	for _, f := range []string{"html", "pdf", "xlsx"} {
		if code, _ := board.get("/c/strategija/results/" + f); code != http.StatusOK {
			t.Errorf("results %s: %d", f, code)
		}
	}
	if code, _ := board.get("/c/strategija/results/doc"); code != http.StatusNotFound {
		t.Errorf("results doc: %d, want 404", code)
	}
}
