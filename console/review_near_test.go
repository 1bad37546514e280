package console

import (
	"context"
	"net/http"
	"testing"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// TestReviewShowsNeighbours: a suggestion whose most similar earlier
// suggestions were filed under another measure than the one proposed
// says so on its review page, naming that measure, which is why a
// confident answer can still wait for a person; one whose neighbours
// agree with the proposal says nothing of them.
func TestReviewShowsNeighbours(t *testing.T) {
	env := newTestEnv(t, nil)
	ctx := context.Background()
	// A change of a contact person is other; the examples most like it
	// are about the VVG's contacts and publicity.
	s, err := env.pipe.AddStaff(ctx, intake.StaffEntry{Consultation: env.cons, Actor: "test",
		Text: "Gerbiamieji, prašom pakeisti mūsų organizacijos kontaktinį asmenį jūsų duomenų bazėje – nuo šiol tai Vilma Petrauskienė, tel. 8 612 34567."})
	if err != nil {
		t.Fatal(err)
	}
	near, _ := env.pipe.Nearest(s)
	if near == "" || near == s.Measure {
		t.Fatalf("the test's premise: its neighbours' measure %q differs from the proposed %q", near, s.Measure)
	}
	agrees, err := env.db.Submission(ctx, env.refs[1]) // computer courses for seniors
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := env.pipe.Nearest(agrees); n != agrees.Measure {
		t.Fatalf("the test's premise: %s's neighbours file it under %q, the model under %q", agrees.Ref, n, agrees.Measure)
	}

	c := env.client()
	c.login("staff@vvg.test")
	code, body := c.get("/review/" + s.Ref)
	if code != http.StatusOK {
		t.Fatalf("GET /review/%s: %d", s.Ref, code)
	}
	intaketest.CheckShows(t, "review of "+s.Ref, body,
		[]string{`<p id="near">Panašūs pasiūlymai dažniausiai priskirti: <strong>` + near + " "}, nil)
	code, body = c.get("/review/" + agrees.Ref)
	if code != http.StatusOK {
		t.Fatalf("GET /review/%s: %d", agrees.Ref, code)
	}
	intaketest.CheckShows(t, "review of "+agrees.Ref, body, nil, []string{`id="near"`})
}
