package form

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// TestFormStrategyMeasures: a consultation on another strategy offers
// that strategy's measures, refuses the default's codes it does not have,
// and its receipt names the measure as that strategy does.
func TestFormStrategyMeasures(t *testing.T) {
	env := newFormTestEnv(t, func(o *Options) {
		o.Strategies = map[string][]Measure{"kedainiai-2016": {
			{Code: "1.1", Title: "Socialinių paslaugų teikimas Kėdainių mieste", TitleEN: "Social services in Kėdainiai"},
			{Code: "5", Title: "Savanorystės skatinimas"},
			{Code: "other", Title: "Kita"},
		}}
	})
	env.store.consultations[1].Strategy = "kedainiai-2016" // "parkas"

	tests := []struct {
		name, slug   string
		offered, not []string
	}{
		{"default strategy", "strategija-2026", []string{"1.1 – Bendruomenių veikla", "2.1 – Verslumas"},
			[]string{"Kėdainių", "Savanorystės"}},
		{"its own strategy", "parkas", []string{"1.1 – Socialinių paslaugų teikimas Kėdainių mieste", "5 – Savanorystės skatinimas"},
			[]string{"Bendruomenių veikla", "Verslumas"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := env.browser().get("/k/" + tt.slug).Body.String()
			intaketest.CheckShows(t, "the form of "+tt.slug, body, tt.offered, tt.not)
		})
	}

	b := env.browser()
	rec := b.submit(t, "parkas", url.Values{"text": {"Daugiau savanorių Kėdainiuose."}, "measure": {"2.1"}}, nil)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("a measure of the default strategy on a Kėdainiai consultation: status %d, want 422", rec.Code)
	}
	rec = b.submit(t, "parkas", url.Values{"text": {"Daugiau savanorių Kėdainiuose."}, "measure": {"5"}}, nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "5 – Savanorystės skatinimas") {
		t.Errorf("receipt: status %d, want 200 naming 5 as the Kėdainiai strategy does:\n%s", rec.Code, rec.Body.String())
	}
	subs := env.store.submissions()
	if len(subs) != 1 || subs[0].Measure != "5" || subs[0].Consultation != "parkas" {
		t.Errorf("stored: %+v", subs)
	}
}
