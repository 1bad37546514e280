package console

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/ledger"
)

// kedainiai is a second strategy for the console's tests: fewer measures
// than the default, titled otherwise.
var kedainiai = Strategy{Name: "kedainiai-2016", Title: "Kėdainių miesto VVG strategija", Measures: []Measure{
	{Code: "1.1", Title: "Kėdainių socialinės paslaugos"}, {Code: "5", Title: "Kėdainių savanorystė"}, {Code: "other", Title: "Kita"},
}}

// strategyEnv is testEnv with the Kėdainiai strategy beside the default
// one and an open consultation on it with one suggestion.
func strategyEnv(t *testing.T) (*testEnv, *classify.Classifier, *ledger.Submission) {
	t.Helper()
	ctx := context.Background()
	ms, cms, ex := testMeasures(t)
	def, err := classify.New(cms, ex, classify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var kcm []classify.Measure
	for _, m := range kedainiai.Measures {
		kcm = append(kcm, classify.Measure{Code: m.Code, Title: m.Title})
	}
	kd, err := classify.New(kcm, nil, classify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t, def)
	set, err := intake.NewStrategies(intake.Strategy{Default: true, Classifier: def}, intake.Strategy{Name: kedainiai.Name, Classifier: kd})
	if err != nil {
		t.Fatal(err)
	}
	env.pipe = intake.New(env.db, set, intake.Options{Mailbox: "vvg@vvg.test", Acknowledge: true})
	if env.srv, err = New(Options{OrgName: "Test VVG", Measures: ms, Strategies: []Strategy{kedainiai}},
		Deps{DB: env.db, Pipeline: env.pipe}); err != nil {
		t.Fatal(err)
	}
	env.http.Close()
	env.http = httptest.NewServer(env.srv.Handler())
	t.Cleanup(env.http.Close)
	c := &ledger.Consultation{Slug: "kedainiai", Title: "Kėdainių strategijos keitimas", Strategy: kedainiai.Name,
		OpensAt: env.cons.OpensAt, ClosesAt: env.cons.ClosesAt}
	if err := env.db.CreateConsultation(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	if c, err = env.db.SetConsultationStatus(ctx, c.Slug, ledger.StatusOpen, "test"); err != nil {
		t.Fatal(err)
	}
	s, err := env.pipe.AddStaff(ctx, intake.StaffEntry{Consultation: c, Text: "Agurkų šventei reikia savanorių.", Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return env, kd, s
}

// options lists a page's <option> values in order.
var optionRE = regexp.MustCompile(`<option value="([^"]*)"`)

// TestConsoleStrategies: a consultation on another strategy is listed with
// its own measures — its page, its suggestions' pages, the review queue's
// keys, the list's measure filter — and staff file its suggestions under
// those only; an admin chooses the strategy of a new consultation.
func TestConsoleStrategies(t *testing.T) {
	env, kd, s := strategyEnv(t)
	c := env.client()
	c.login("staff@vvg.test")

	pages := []struct {
		name, path string
		want       []string
		unwanted   []string
	}{
		{"consultation", "/c/kedainiai", []string{"Kėdainių miesto VVG strategija", "Kėdainių socialinės paslaugos", "Kėdainių savanorystė"},
			[]string{"Priemonė 2.1"}},
		{"default consultation", "/c/" + env.cons.Slug, []string{"Priemonė 2.1"}, []string{"Kėdainių"}},
		{"suggestion", "/s/" + s.Ref, []string{"Kėdainių socialinės paslaugos", "Kėdainių miesto VVG strategija"}, []string{"Priemonė 2.1"}},
		{"review", "/review/" + s.Ref, []string{`data-key="1"><kbd>1</kbd> <b>1.1</b> Kėdainių socialinės paslaugos`,
			`data-key="2"><kbd>2</kbd> <b>5</b> Kėdainių savanorystė`}, []string{"Priemonė 2.1", `data-key="4"`}},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			code, body := c.get(p.path)
			if code != http.StatusOK {
				t.Fatalf("GET %s: %d", p.path, code)
			}
			intaketest.CheckShows(t, "GET "+p.path, body, p.want, p.unwanted)
		})
	}
	_, body := c.get("/submissions?consultation=kedainiai")
	filter := body[strings.Index(body, `name="measure"`):]
	filter = filter[:strings.Index(filter, "</select>")]
	var got []string
	for _, m := range optionRE.FindAllStringSubmatch(filter, -1) {
		got = append(got, m[1])
	}
	if strings.Join(got, ",") != ",1.1,5,other" {
		t.Errorf("measure filter of kedainiai: %v, want all, 1.1, 5, other", got)
	}

	c.get("/review/" + s.Ref)
	if code, _, _ := c.post("/review/"+s.Ref, url.Values{"measure": {"2.1"}}, true); code != http.StatusBadRequest {
		t.Errorf("filing a Kėdainiai suggestion under the default strategy's 2.1: %d, want 400", code)
	}
	if code, _, _ := c.post("/review/"+s.Ref, url.Values{"measure": {"5"}}, true); code != http.StatusSeeOther {
		t.Errorf("filing it under 5: %d, want 303", code)
	}
	if got, _ := env.db.Submission(context.Background(), s.Ref); got.Measure != "5" {
		t.Errorf("measure after review: %q, want 5", got.Measure)
	}
	if got := kd.Classify(s.Text).Label; got != "5" {
		t.Errorf("the Kėdainiai classifier after the decision: %s, want 5", got)
	}

	admin := env.client()
	admin.login("admin@vvg.test")
	_, body = admin.get("/consultations")
	if !strings.Contains(body, `name="strategy"`) || !strings.Contains(body, "Pagrindinė strategija") || !strings.Contains(body, "Kėdainių miesto VVG strategija") {
		t.Errorf("the new consultation form offers no strategy:\n%s", body)
	}
	form := url.Values{"slug": {"kd2"}, "title": {"Antra"}, "opens": {"2026-11-02"}, "closes": {"2026-12-13"}, "strategy": {kedainiai.Name}}
	if code, _, _ := admin.post("/consultations", form, true); code != http.StatusSeeOther {
		t.Fatalf("create on kedainiai-2016: %d", code)
	}
	if k, err := env.db.Consultation(context.Background(), "kd2"); err != nil || k.Strategy != kedainiai.Name {
		t.Errorf("created consultation: %+v, %v", k, err)
	}
	admin.get("/consultations")
	form.Set("slug", "kd3")
	form.Set("strategy", "vps-2099")
	if code, _, _ := admin.post("/consultations", form, true); code != http.StatusBadRequest {
		t.Errorf("create on an unknown strategy: %d, want 400", code)
	}
}
