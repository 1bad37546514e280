package intake

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// TestRoute covers every branch of route and pickConsultation against a
// ledger holding the consultations each case needs.
func TestRoute(t *testing.T) {
	nov1, dec1 := clocktest.At(t, "2026-11-01T00:00:00+02:00"), clocktest.At(t, "2026-12-01T00:00:00+02:00")
	at := clocktest.At(t, "2026-11-20T11:00:00+02:00")
	type cons struct {
		slug          string
		opens, closes time.Time
		keywords      []string
		draft         bool // left a draft: the scheduler never opened it
	}
	tests := []struct {
		name      string
		cons      []cons
		mail      testMail
		at        time.Time
		only      string // Origin.Consultation (import --consultation)
		wantRoute string
		wantSlug  string
		wantLate  bool
	}{
		{name: "one open", cons: []cons{{slug: "strategija", opens: nov1, closes: dec1}},
			mail: testMail{from: "ona@example.net", subject: "Pasiūlymas", body: "Siūlau dienos centrą."},
			at:   at, wantRoute: ledger.RouteRouted, wantSlug: "strategija"},
		{name: "none open: out of window", cons: []cons{{slug: "strategija", opens: dec1, closes: dec1.AddDate(0, 1, 0)}},
			mail: testMail{from: "ona@example.net", subject: "Pasiūlymas", body: "Siūlau dienos centrą."},
			at:   at, wantRoute: ledger.RouteOutOfWindow},
		{name: "no consultation at all", mail: testMail{from: "ona@example.net", subject: "x", body: "Siūlau."},
			at: at, wantRoute: ledger.RouteOutOfWindow},
		{name: "after the deadline, within the late window", cons: []cons{{slug: "strategija", opens: nov1.AddDate(0, -1, 0), closes: nov1}},
			mail: testMail{from: "ona@example.net", subject: "Vėluoju", body: "Siūlau dienos centrą."},
			at:   at, wantRoute: ledger.RouteLate, wantSlug: "strategija", wantLate: true},
		{name: "late goes to the consultation closed last",
			cons: []cons{{slug: "senesne", opens: nov1.AddDate(0, -2, 0), closes: nov1.AddDate(0, -1, 0)},
				{slug: "naujesne", opens: nov1.AddDate(0, -1, 0), closes: nov1}},
			mail: testMail{from: "ona@example.net", subject: "Vėluoju", body: "Siūlau."},
			at:   at, wantRoute: ledger.RouteLate, wantSlug: "naujesne", wantLate: true},
		{name: "a draft never opened takes no late mail", cons: []cons{{slug: "strategija", opens: nov1.AddDate(0, -1, 0), closes: nov1, draft: true}},
			mail: testMail{from: "ona@example.net", subject: "Vėluoju", body: "Siūlau."},
			at:   at, wantRoute: ledger.RouteOutOfWindow},
		{name: "a draft whose window is now takes mail", cons: []cons{{slug: "strategija", opens: nov1, closes: dec1, draft: true}},
			mail: testMail{from: "ona@example.net", subject: "Pasiūlymas", body: "Siūlau."},
			at:   at, wantRoute: ledger.RouteRouted, wantSlug: "strategija"},
		{name: "after the late window", cons: []cons{{slug: "strategija", opens: nov1.AddDate(0, -3, 0), closes: nov1.AddDate(0, -2, 0)}},
			mail: testMail{from: "ona@example.net", subject: "x", body: "Siūlau."},
			at:   at, wantRoute: ledger.RouteOutOfWindow},
		{name: "several open: plus-address",
			cons: []cons{{slug: "strategija", opens: nov1, closes: dec1}, {slug: "jaunimas", opens: nov1, closes: dec1}},
			mail: testMail{from: "ona@example.net", to: "VVG+jaunimas@example.lt", subject: "Pasiūlymas", body: "Siūlau."},
			at:   at, wantRoute: ledger.RouteRouted, wantSlug: "jaunimas"},
		{name: "several open: plus-address of another domain is ignored",
			cons: []cons{{slug: "strategija", opens: nov1, closes: dec1}, {slug: "jaunimas", opens: nov1, closes: dec1}},
			mail: testMail{from: "ona@example.net", to: "vvg+jaunimas@example.com", subject: "Pasiūlymas", body: "Siūlau."},
			at:   at, wantRoute: ledger.RouteUnrouted},
		{name: "several open: slug in the subject",
			cons: []cons{{slug: "strategija", opens: nov1, closes: dec1}, {slug: "jaunimas", opens: nov1, closes: dec1}},
			mail: testMail{from: "ona@example.net", subject: "Dėl konsultacijos JAUNIMAS", body: "Siūlau."},
			at:   at, wantRoute: ledger.RouteRouted, wantSlug: "jaunimas"},
		{name: "several open: subject keyword",
			cons: []cons{{slug: "strategija", opens: nov1, closes: dec1, keywords: []string{"VPS"}}, {slug: "jaunimas", opens: nov1, closes: dec1}},
			mail: testMail{from: "ona@example.net", subject: "Pastabos vps projektui", body: "Siūlau."},
			at:   at, wantRoute: ledger.RouteRouted, wantSlug: "strategija"},
		{name: "several open: subject names two",
			cons: []cons{{slug: "strategija", opens: nov1, closes: dec1}, {slug: "jaunimas", opens: nov1, closes: dec1}},
			mail: testMail{from: "ona@example.net", subject: "strategija ir jaunimas", body: "Siūlau."},
			at:   at, wantRoute: ledger.RouteUnrouted},
		{name: "several open: nothing says which",
			cons: []cons{{slug: "strategija", opens: nov1, closes: dec1}, {slug: "jaunimas", opens: nov1, closes: dec1}},
			mail: testMail{from: "ona@example.net", subject: "Pasiūlymas", body: "Siūlau."},
			at:   at, wantRoute: ledger.RouteUnrouted},
		{name: "import --consultation files it whatever the window",
			cons: []cons{{slug: "strategija", opens: dec1, closes: dec1.AddDate(0, 1, 0)}},
			mail: testMail{from: "ona@example.net", subject: "x", body: "Siūlau."}, only: "strategija",
			at: at, wantRoute: ledger.RouteRouted, wantSlug: "strategija"},
		{name: "import --consultation after its deadline is late",
			cons: []cons{{slug: "strategija", opens: nov1.AddDate(0, -1, 0), closes: nov1}},
			mail: testMail{from: "ona@example.net", subject: "x", body: "Siūlau."}, only: "strategija",
			at: at, wantRoute: ledger.RouteLate, wantSlug: "strategija", wantLate: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, db := newTestPipeline(t, nil)
			for _, c := range tt.cons {
				addConsultation(t, db, c.slug, c.opens, c.closes, c.keywords...)
				if c.draft || tt.at.Before(c.opens) {
					continue
				}
				// What the scheduler would have done by tt.at.
				setStatus(t, db, c.slug, ledger.StatusOpen)
				if !tt.at.Before(c.closes) {
					setStatus(t, db, c.slug, ledger.StatusClosed)
				}
			}
			o := &Origin{Source: SourceImport, File: "t.eml", InternalDate: tt.at, Consultation: tt.only, Acks: true}
			v, err := p.Decide(context.Background(), tt.mail.raw(), o)
			if err != nil {
				t.Fatal(err)
			}
			slug := ""
			if v.Consultation != nil {
				slug = v.Consultation.Slug
			}
			if v.Route != tt.wantRoute || slug != tt.wantSlug || v.Late != tt.wantLate {
				t.Errorf("got route %q, consultation %q, late %v; want %q, %q, %v", v.Route, slug, v.Late, tt.wantRoute, tt.wantSlug, tt.wantLate)
			}
			if (v.Consultation != nil) != (v.AckTo != "") {
				t.Errorf("ack to %q with consultation %q: a routed suggestion is acknowledged, an unrouted one is not", v.AckTo, slug)
			}
		})
	}
}

func TestRouteUnknownImportConsultation(t *testing.T) {
	p, _ := newTestPipeline(t, nil)
	o := &Origin{Source: SourceImport, InternalDate: clocktest.At(t, "2026-11-20T11:00:00+02:00"), Consultation: "nera"}
	_, err := p.Decide(context.Background(), testMail{from: "ona@example.net", subject: "x", body: "y"}.raw(), o)
	if !errors.Is(err, ledger.ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
}
