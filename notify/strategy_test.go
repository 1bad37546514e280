package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// kedainiaiMeasures are another VVG strategy's measures under the same
// codes as testMeasures: a code means what its consultation's strategy
// says.
var kedainiaiMeasures = []MeasureInfo{
	{"1.1", "Kėdainių socialinės paslaugos", "Social services in Kėdainiai"},
	{"5", "Savanorystės skatinimas Kėdainiuose", "Volunteering in Kėdainiai"},
	{"other", "Kita", "Other"},
}

// TestStrategyMeasures: the acknowledgement, the closing report and the
// digest name each consultation's measures as its strategy does.
func TestStrategyMeasures(t *testing.T) {
	ctx := context.Background()
	loc := loadVilnius(t)
	clock := clocktest.New(time.Date(2026, 11, 20, 10, 0, 0, 0, loc))
	db := openLedger(t, clock.Now)
	opens, closes := time.Date(2026, 11, 2, 0, 0, 0, 0, loc), time.Date(2026, 12, 14, 0, 0, 0, 0, loc)
	al := openConsultation(t, db, "aleksotas", "Aleksoto strategija", opens, closes)
	kd := &ledger.Consultation{Slug: "kedainiai", Title: "Kėdainių strategija", OpensAt: opens, ClosesAt: closes, Strategy: "kedainiai-2016"}
	if err := db.CreateConsultation(ctx, kd, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetConsultationStatus(ctx, "kedainiai", ledger.StatusOpen, "test"); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		c       *ledger.Consultation
		to      string
		measure string
	}{{al, "ona@example.lt", "1.1"}, {kd, "jonas@example.lt", "1.1"}, {kd, "rasa@example.lt", "5"}} {
		_, err := db.AddSubmission(ctx, &ledger.NewSubmission{ConsultationID: x.c.ID, Source: ledger.SourceForm,
			ReceivedAt: clock.Now(), SenderEmail: x.to, Text: "Pasiūlymas dienos centrui.",
			Class: ledger.Classification{Measure: x.measure, Confidence: 0.99}, Ack: &ledger.AckRequest{To: x.to}})
		if err != nil {
			t.Fatal(err)
		}
	}
	s := newTestSender(t, db, nopMailer{}, func(o *SenderOptions) {
		o.Strategies = map[string][]MeasureInfo{"kedainiai-2016": kedainiaiMeasures}
	})

	acks := map[string]string{}
	for _, it := range listOutbox(t, db) {
		acks[it.Recipients[0]] = renderItem(t, s, it).body(t, "text/plain")
	}
	for _, tt := range []struct{ to, want, unwanted string }{
		{"ona@example.lt", "Ūkio ir verslo plėtra", "Kėdainių socialinės"},
		{"jonas@example.lt", "Kėdainių socialinės paslaugos", "Ūkio ir verslo plėtra"},
		{"rasa@example.lt", "Savanorystės skatinimas Kėdainiuose", "Bendradarbiavimas"},
	} {
		checkText(t, "acknowledgement to "+tt.to, acks[tt.to], []string{tt.want}, []string{tt.unwanted})
	}

	report, err := s.ReportText(ctx, "kedainiai")
	if err != nil {
		t.Fatal(err)
	}
	checkText(t, "closing report of kedainiai", report, []string{"Kėdainių socialinės paslaugos", "Savanorystės skatinimas Kėdainiuose"},
		[]string{"Ūkio ir verslo plėtra", "Infrastruktūra"})

	msg, _, err := s.RenderDigest(ctx, ledger.DigestPayload{ToID: 3, PeriodStart: opens, PeriodEnd: closes}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	digest := strings.ReplaceAll(parse(t, render(t, msg)).body(t, "text/plain"), "\r\n", "\n")
	ai, ki := strings.Index(digest, "=== Aleksoto strategija ==="), strings.Index(digest, "=== Kėdainių strategija ===")
	if ai < 0 || ki < 0 {
		t.Fatalf("digest lacks a consultation:\n%s", digest)
	}
	first, second := digest[min(ai, ki):max(ai, ki)], digest[max(ai, ki):]
	alSection, kdSection := first, second
	if ki < ai {
		alSection, kdSection = second, first
	}
	checkText(t, "digest section of aleksotas", alSection, []string{"Infrastruktūra"}, []string{"Kėdainių socialinės"})
	checkText(t, "digest section of kedainiai", kdSection, []string{"Savanorystės skatinimas Kėdainiuose"}, []string{"Infrastruktūra"})
}
