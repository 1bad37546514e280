package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/intake"
)

// campaignCopy is a campaign letter as resident i sends it.
func campaignCopy(i int) string {
	return fmt.Sprintf("Laba diena,\nprašome į strategiją įtraukti senjorų dienos centro Aleksote įkūrimą. Centre turėtų vykti "+
		"mankšta, rankdarbiai, paskaitos apie sveikatą ir bendravimas prie arbatos puodelio. Svarbu, kad centras būtų "+
		"pasiekiamas pėsčiomis.\nPagarbiai,\nGyventojas Nr. %d", i)
}

// TestThemeScreens works the themes and a near-duplicate group in the
// console: the board reads them, staff name a theme, split a suggestion
// off and move it back, decide a campaign's group at once (one decision
// each) and tell the console one copy is no copy.
func TestThemeScreens(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, nil)
	var refs []string
	for i := range 4 {
		s, err := env.pipe.AddStaff(ctx, intake.StaffEntry{Consultation: env.cons, Name: fmt.Sprintf("Gyventojas %d", i),
			Email: fmt.Sprintf("g%d@example.lt", i), Text: campaignCopy(i), Measure: "1.1", Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, s.Ref)
	}
	staff, board := env.client(), env.client()
	staff.login("staff@vvg.test")
	board.login("board@vvg.test")

	code, body := board.get("/c/strategija/themes")
	if code != http.StatusOK || !strings.Contains(body, `id="groups-link"`) || strings.Contains(body, "rename") {
		t.Fatalf("themes page for the board: %d\n%s", code, body)
	}
	g, err := env.db.Grouping(ctx, refs[0])
	if err != nil || g.Theme == 0 || g.Root != g.ID {
		t.Fatalf("first copy: %+v, %v", g, err)
	}
	theme := fmt.Sprintf("/c/strategija/themes/%d", g.Theme)
	if _, body := board.get(theme); !strings.Contains(body, refs[3]) || strings.Contains(body, "members-form") {
		t.Errorf("theme page for the board: want its suggestions and no forms\n%s", body)
	}

	staff.get(theme)
	if code, body, _ := staff.post(theme+"/rename", url.Values{"label": {"Senjorų dienos centras"}}, true); code != http.StatusSeeOther {
		t.Fatalf("rename: %d\n%s", code, body)
	}
	if _, body := staff.get(theme); !strings.Contains(body, `<span id="theme-label">Senjorų dienos centras</span>`) {
		t.Errorf("renamed theme page:\n%s", body)
	}
	// Split the second letter (a copy) off, then move it back.
	second, _ := env.db.Grouping(ctx, refs[1])
	code, _, resp := staff.post(theme+"/split", url.Values{"sub": {fmt.Sprint(second.ID)}}, true)
	if code != http.StatusSeeOther {
		t.Fatalf("split: %d", code)
	}
	apart := strings.Split(resp.Header.Get("Location"), "?")[0]
	if apart == theme {
		t.Fatalf("split went back to the same theme")
	}
	staff.get(apart)
	if code, body, _ := staff.post(apart+"/move", url.Values{"sub": {fmt.Sprint(second.ID)}, "to": {fmt.Sprint(g.Theme)}}, true); code != http.StatusSeeOther {
		t.Fatalf("move: %d\n%s", code, body)
	}
	if g2, _ := env.db.Grouping(ctx, refs[1]); g2.Theme != g.Theme {
		t.Errorf("moved back: in theme %d, want %d", g2.Theme, g.Theme)
	}

	// The group: the board sees it without the forms; staff decide it.
	if code, body := board.get("/s/" + refs[2] + "/group"); code != http.StatusOK || strings.Contains(body, `id="group-decide"`) ||
		!strings.Contains(body, refs[0]) {
		t.Errorf("group page for the board: %d\n%s", code, body)
	}
	if _, body := staff.get("/s/" + refs[2]); !strings.Contains(body, `id="group"`) || !strings.Contains(body, "Senjorų dienos centras") {
		t.Errorf("a copy's page names neither its group nor its theme\n%s", body)
	}
	staff.get("/s/" + refs[2] + "/group")
	form := url.Values{"decision": {"partly"}, "reason": {"Įtraukta į 1.1 priemonę."}}
	if code, body, _ := staff.post("/s/"+refs[2]+"/group/decide", form, true); code != http.StatusSeeOther {
		t.Fatalf("decide the group: %d\n%s", code, body)
	}
	for _, ref := range refs {
		if s, _ := env.db.Submission(ctx, ref); s.Decision != "partly" {
			t.Errorf("%s after the group's decision: %q", ref, s.Decision)
		}
	}
	if _, body := staff.get("/s/" + refs[2] + "/group?ok=group-decided"); !strings.Contains(body, `<strong id="group-decided">4</strong>`) {
		t.Errorf("group page after deciding:\n%s", body)
	}
	// "Not a copy".
	if code, body, _ := staff.post("/s/"+refs[3]+"/detach", nil, true); code != http.StatusSeeOther {
		t.Fatalf("detach: %d\n%s", code, body)
	}
	if g3, _ := env.db.Grouping(ctx, refs[3]); g3.Root != g3.ID {
		t.Errorf("detached: root %d, want itself", g3.Root)
	}
	if code, _, _ := staff.post("/s/"+refs[0]+"/detach", nil, true); code != http.StatusConflict {
		t.Errorf("detach the first letter: %d, want 409", code)
	}
	var actions []string
	for _, e := range mustAudit(t, env) {
		if e.Actor == "staff@vvg.test" {
			actions = append(actions, e.Action)
		}
	}
	for _, want := range []string{"theme.rename", "theme.split", "theme.move", "submission.decide", "submission.detach"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit lacks %s by staff: %v", want, actions)
		}
	}
}
