package intake

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// kedainiaiMeasures are the Kėdainių miesto VVG's measures (strategy
// 2016–2022, seed 004): the same codes as Aleksotas', other wording. The
// classifier learns them from their titles, descriptions and keywords
// alone, as a strategy does before staff correct it.
func kedainiaiMeasures() []classify.Measure {
	return []classify.Measure{
		{Code: "1.1", Title: "Bendrųjų ir specialiųjų socialinės priežiūros paslaugų teikimas",
			Description: "maitinimas, transportas, asmeninė higiena, savipagalbos grupės, pagalba į namus, krizių įveikimo pagalba",
			Keywords:    []string{"dienos centras", "pietūs", "pagalba į namus", "senjorams"}},
		{Code: "1.2", Title: "Informacijos apie prieinamas paslaugas sklaida ir tarpininkavimas",
			Keywords: []string{"informacija", "kur kreiptis", "lankstinukas"}},
		{Code: "2.1", Title: "Naujų profesinių ir kitų reikalingų įgūdžių įgijimas", Keywords: []string{"kursai", "mokymai", "kvalifikacija"}},
		{Code: "2.2", Title: "Informavimas, konsultavimas, tarpininkavimas įdarbinant", Keywords: []string{"darbo paieška", "darbdaviai", "CV"}},
		{Code: "3", Title: "Gyventojų verslumo didinimas", Keywords: []string{"verslas", "verslo planas", "mentorystė"}},
		{Code: "4", Title: "Bendradarbiavimo ir informacijos sklaidos tinklai", Keywords: []string{"bendradarbiavimas", "NVO", "partnerystė"}},
		{Code: "5", Title: "Savanoriškos veiklos skatinimas ir savanorių mokymas", Keywords: []string{"savanoriai", "savanorystė", "talka"}},
		{Code: "other", Title: "Kita", Keywords: []string{"duobė", "gatvė", "apšvietimas"}},
	}
}

// twoStrategies is a pipeline with the Aleksotas measures as the default
// and the Kėdainiai ones as strategy kedainiai-2016, and an open
// consultation on each: "strategija" and "kedainiai".
type twoStrategies struct {
	p          *Pipeline
	db         *ledger.DB
	set        *Strategies
	al, kd     *classify.Classifier
	alC, kdC   *ledger.Consultation
	receivedAt time.Time
}

func newTwoStrategies(t *testing.T) *twoStrategies {
	t.Helper()
	ctx := context.Background()
	db := newTestLedger(t)
	ts := &twoStrategies{db: db, receivedAt: clocktest.At(t, "2026-11-20T11:00:00+02:00")}
	ts.al, ts.kd = newAleksotas(t), newKedainiai(t)
	var err error
	if ts.set, err = NewStrategies(Strategy{Default: true, Classifier: ts.al}, Strategy{Name: "kedainiai-2016", Classifier: ts.kd}); err != nil {
		t.Fatal(err)
	}
	ts.p = New(db, ts.set, Options{Mailbox: ourMailbox, MessageIDDomain: "example.lt", Acknowledge: true})
	nov1, dec1 := clocktest.At(t, "2026-11-01T00:00:00+02:00"), clocktest.At(t, "2026-12-01T00:00:00+02:00")
	ts.alC = addConsultation(t, db, "strategija", nov1, dec1, "strategij")
	kd := &ledger.Consultation{Slug: "kedainiai", Title: "Kėdainių strategija", OpensAt: nov1, ClosesAt: dec1,
		SubjectKeywords: []string{"kėdain"}, Strategy: "kedainiai-2016"}
	if _, err := db.SyncConsultation(ctx, kd); err != nil {
		t.Fatal(err)
	}
	ts.kdC = kd
	return ts
}

func newKedainiai(t *testing.T) *classify.Classifier {
	t.Helper()
	clf, err := classify.New(kedainiaiMeasures(), nil, classify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return clf
}

// ingest records m as received at ts.receivedAt.
func (ts *twoStrategies) ingest(t *testing.T, m testMail) (*ledger.Submission, *Verdict) {
	t.Helper()
	ctx := context.Background()
	res, v, err := ts.p.Ingest(ctx, m.raw(), &Origin{Source: SourceIMAP, InternalDate: ts.receivedAt, Acks: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ref == "" {
		t.Fatalf("%s opened no case: %s %s", m.subject, v.Disposition, v.Route)
	}
	s, err := ts.db.Submission(ctx, res.Ref)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

// TestStrategiesSideBySide: mail routed to each of two open consultations
// is classified by its consultation's strategy's classifier; a staff
// decision teaches that classifier only, and a measure the strategy does
// not have is refused; retraining after a restart learns each strategy's
// corrections into its own model.
func TestStrategiesSideBySide(t *testing.T) {
	ctx := context.Background()
	ts := newTwoStrategies(t)
	const text = "Siūlau dienos centrą vienišiems senjorams su pietumis."
	mails := []struct {
		name string
		mail testMail
		slug string
		clf  *classify.Classifier
	}{
		{"plus-address to Aleksotas", testMail{from: "ona@example.net", to: "vvg+strategija@example.lt", subject: "Pasiūlymas", body: text},
			"strategija", ts.al},
		{"plus-address to Kėdainiai", testMail{from: "jonas@example.net", to: "vvg+kedainiai@example.lt", subject: "Pasiūlymas", body: text},
			"kedainiai", ts.kd},
		{"subject to Kėdainiai", testMail{from: "rasa@example.net", subject: "Kėdainių VVG: savanoriai",
			body: "Agurkų šventei reikia savanorių koordinatoriaus."}, "kedainiai", ts.kd},
	}
	subs := map[string]*ledger.Submission{}
	for _, m := range mails {
		t.Run(m.name, func(t *testing.T) {
			s, v := ts.ingest(t, m.mail)
			if s.Consultation != m.slug {
				t.Fatalf("routed to %s, want %s", s.Consultation, m.slug)
			}
			want := m.clf.Classify(classifyText(m.mail.subject, m.mail.body))
			if v.Class.Label != want.Label || v.Class.Confidence != want.Confidence || s.Measure != want.Label {
				t.Errorf("classified %s (%.4f), recorded %s; want %s (%.4f), the classifier of its strategy",
					v.Class.Label, v.Class.Confidence, s.Measure, want.Label, want.Confidence)
			}
			subs[m.name] = s
		})
	}
	alConf := ts.al.Classify(classifyText("Pasiūlymas", text)).Confidence
	if kdConf := ts.kd.Classify(classifyText("Pasiūlymas", text)).Confidence; alConf == kdConf {
		t.Fatalf("both models give %.4f: the test cannot tell them apart", alConf)
	}

	kd := subs["plus-address to Kėdainiai"]
	if kd == nil {
		t.FailNow()
	}
	if _, err := ts.p.Review(ctx, kd.Ref, "9.9", "ona"); !errors.Is(err, ErrUnknownMeasure) {
		t.Errorf("review under 9.9: err %v, want ErrUnknownMeasure", err)
	}
	alBefore := ts.al.Classify(classifyText(kd.Subject, kd.Text)).Label
	if _, err := ts.p.Review(ctx, kd.Ref, "4", "ona"); err != nil {
		t.Fatal(err)
	}
	if got := ts.kd.Classify(classifyText(kd.Subject, kd.Text)).Label; got != "4" {
		t.Errorf("the Kėdainiai classifier after the decision files it under %s, want 4", got)
	}
	if got := ts.al.Classify(classifyText(kd.Subject, kd.Text)).Label; got != alBefore {
		t.Errorf("the Aleksotas classifier learnt a Kėdainiai decision: %s, was %s", got, alBefore)
	}

	// A restart: fresh models, then the ledger's corrections, each to its
	// own strategy's.
	al2, kd2 := newAleksotas(t), newKedainiai(t)
	set2, err := NewStrategies(Strategy{Default: true, Classifier: al2}, Strategy{Name: "kedainiai-2016", Classifier: kd2})
	if err != nil {
		t.Fatal(err)
	}
	alModel := al2.Model()
	if err := Retrain(ctx, set2, ts.db); err != nil {
		t.Fatal(err)
	}
	if al2.Model() != alModel {
		t.Errorf("the Aleksotas model was retrained with no correction of its own")
	}
	if got := kd2.Classify(kd.Text).Label; got != "4" {
		t.Errorf("after Retrain the Kėdainiai classifier files the corrected text under %s, want 4", got)
	}
	kdModel := kd2.Model()
	if err := Retrain(ctx, set2, ts.db); err != nil || kd2.Model() != kdModel {
		t.Errorf("a second Retrain with the same corrections trained again (err %v)", err)
	}

	// A restart that trains once: the Kėdainiai model is built with the
	// ledger's corrections, and Retrain finds it has them already.
	corr, err := ts.db.Corrections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kdCorr := GroupCorrections(corr, func(c ledger.Correction) (string, bool) {
		return c.Strategy, c.Strategy == "kedainiai-2016"
	})["kedainiai-2016"]
	kd3, err := classify.NewWithCorrections(kedainiaiMeasures(), nil, kdCorr, classify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	set3, err := NewStrategies(Strategy{Default: true, Classifier: newAleksotas(t)},
		Strategy{Name: "kedainiai-2016", Classifier: kd3, Corrections: kdCorr})
	if err != nil {
		t.Fatal(err)
	}
	if got := kd3.Classify(kd.Text).Label; got != "4" {
		t.Errorf("trained with its corrections, the Kėdainiai classifier files the corrected text under %s, want 4", got)
	}
	kdModel = kd3.Model()
	if err := Retrain(ctx, set3, ts.db); err != nil || kd3.Model() != kdModel {
		t.Errorf("Retrain trained again a model built with the same corrections (err %v)", err)
	}
}

// TestStrategyNotConfigured: a consultation naming a strategy the
// configuration no longer has still records its mail, unfiled and for
// review; a consultation naming none with no default is the same.
func TestStrategyNotConfigured(t *testing.T) {
	ctx := context.Background()
	ts := newTwoStrategies(t)
	gone := &ledger.Consultation{Slug: "vps", Title: "VPS 2028", OpensAt: ts.alC.OpensAt, ClosesAt: ts.alC.ClosesAt, Strategy: "vps-2028"}
	if _, err := ts.db.SyncConsultation(ctx, gone); err != nil {
		t.Fatal(err)
	}
	s, _ := ts.ingest(t, testMail{from: "ona@example.net", to: "vvg+vps@example.lt", subject: "Pasiūlymas", body: "Dienos centras."})
	if s.Consultation != "vps" || s.Measure != "" || !s.NeedsReview {
		t.Errorf("recorded %s under %q, needs review %v; want vps, unfiled, for review", s.Consultation, s.Measure, s.NeedsReview)
	}
	if _, err := ts.p.Review(ctx, s.Ref, "1.1", "ona"); !errors.Is(err, ErrUnknownStrategy) {
		t.Errorf("review on a strategy not configured: err %v, want ErrUnknownStrategy", err)
	}

	named, err := NewStrategies(Strategy{Name: "a", Classifier: ts.al}, Strategy{Name: "b", Classifier: ts.kd})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := named.Get(""); !errors.Is(err, ErrUnknownStrategy) {
		t.Errorf("no default among two named: err %v, want ErrUnknownStrategy", err)
	}
	for _, bad := range [][]Strategy{
		{{Name: "a", Classifier: ts.al}, {Name: "a", Classifier: ts.kd}},
		{{Default: true, Classifier: ts.al}, {Name: "b", Default: true, Classifier: ts.kd}},
		{{Name: "a"}},
		nil,
	} {
		if _, err := NewStrategies(bad...); err == nil {
			t.Errorf("NewStrategies(%+v): nil error", bad)
		}
	}
}

// TestFormStoreStrategy: the form learns each consultation's strategy,
// and a form suggestion is classified by it.
func TestFormStoreStrategy(t *testing.T) {
	ctx := context.Background()
	ts := newTwoStrategies(t)
	cs, err := NewFormStore(ts.p).Consultations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range cs {
		got[c.Slug] = c.Strategy
	}
	if got["kedainiai"] != "kedainiai-2016" || got["strategija"] != "" {
		t.Errorf("form consultations' strategies: %v", got)
	}
}
