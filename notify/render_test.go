package notify

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// longText is a suggestion longer than an excerpt.
const longText = "Siūlau įrengti dviračių taką aplink ežerą, nuo kempingo iki paplūdimio, " +
	"kad vaikai galėtų saugiai važiuoti į mokyklą ir treniruotes. Šiuo metu visi važiuoja " +
	"siauru keliu be apšvietimo, o vasarą jame daug automobilių. Takas galėtų būti " +
	"apšviestas, su suoliukais ir dviračių stovais prie mokyklos, bibliotekos ir " +
	"bendruomenės namų. PABAIGOS-ŽODIS niekada neturi patekti į ištrauką."

// renderFixture is a ledger on a fixed clock (2026-12-01 10:00 in
// Vilnius) filled through the ledger API:
//   - "senesne", reported in April, one decided suggestion (VVG-2026-0001);
//   - "senoji", closed on 20 October: VVG-2026-0002 on time (answer due
//     17 November, overdue) and VVG-2026-0003 late (due 3 December);
//   - "strategija-2027", open until 14 December: VVG-2026-0004 by mail
//     before the digest week, then in the week of 23 November
//     VVG-2026-0005 (1.1), -0006 (needs review, in English) and -0007
//     (empty text, subject only).
type renderFixture struct {
	clock *clocktest.Clock
	db    *ledger.DB
	loc   *time.Location
	cons  map[string]*ledger.Consultation
	subs  map[string]*ledger.Submission
}

func newRenderFixture(t *testing.T) *renderFixture {
	t.Helper()
	ctx := context.Background()
	loc := loadVilnius(t)
	at := wallClock(t, loc)
	f := &renderFixture{clock: clocktest.New(at("2026-03-01 09:00")), loc: loc,
		cons: map[string]*ledger.Consultation{}, subs: map[string]*ledger.Submission{}}
	f.db = openLedger(t, f.clock.Now)
	f.cons["senesne"] = openConsultation(t, f.db, "senesne", "Senesnė konsultacija", at("2026-03-01 00:00"), at("2026-04-01 00:00"))
	f.cons["senoji"] = openConsultation(t, f.db, "senoji", "Senoji konsultacija", at("2026-09-01 00:00"), at("2026-10-20 00:00"))
	f.cons["strategija-2027"] = openConsultation(t, f.db, "strategija-2027", "Vietos plėtros strategijos keitimas",
		at("2026-11-01 00:00"), at("2026-12-14 00:00"))
	add := func(clock, slug string, ns ledger.NewSubmission) {
		t.Helper()
		f.clock.Set(at(clock))
		ns.ConsultationID, ns.ReceivedAt = f.cons[slug].ID, at(clock)
		if ns.Source == "" {
			ns.Source = ledger.SourceForm
		}
		s, err := f.db.AddSubmission(ctx, &ns)
		if err != nil {
			t.Fatalf("add submission: %v", err)
		}
		f.subs[s.Ref] = s
	}
	status := func(clock, slug, st string) {
		t.Helper()
		f.clock.Set(at(clock))
		if _, err := f.db.SetConsultationStatus(ctx, slug, st, "test"); err != nil {
			t.Fatalf("%s %s: %v", st, slug, err)
		}
	}
	add("2026-03-15 12:00", "senesne", ledger.NewSubmission{Text: "Senas pasiūlymas", Class: ledger.Classification{Measure: "3", Confidence: 0.9}})
	if _, err := f.db.DecideAnswer(ctx, "VVG-2026-0001", "rejected", "Netinka strategijai", "staff", &ledger.Answer{}); err != nil {
		t.Fatal(err)
	}
	status("2026-04-01 00:00", "senesne", ledger.StatusClosed)
	add("2026-10-01 12:00", "senoji", ledger.NewSubmission{Text: "Dėl tilto remonto", Class: ledger.Classification{Measure: "4", Confidence: 0.9}})
	status("2026-10-20 00:00", "senoji", ledger.StatusClosed)
	add("2026-11-05 12:00", "senoji", ledger.NewSubmission{Text: "Dėl kelio žvyravimo", Class: ledger.Classification{Measure: "4", Confidence: 0.9}})

	// VVG-2026-0004 comes by mail, threaded, with one stored and one
	// refused attachment.
	f.clock.Set(at("2026-11-10 10:30"))
	in := &ledger.Inbound{
		Message: ledger.Message{
			Source: "imap", Account: "vvg", Folder: "INBOX", UIDValidity: 1, UID: 1, InternalDate: at("2026-11-10 10:30"),
			MessageID: "CAF1234@mail.gmail.com", References: []string{"root-1@example.lt"},
			FromAddr: "zydrune@example.lt", FromName: "Žydrūnė Ąžuolaitė", Subject: "Pasiūlymas", HasSubject: true,
			Text: longText, Disposition: "suggestion", Route: ledger.RouteRouted,
			ConsultationID: f.cons["strategija-2027"].ID,
		},
		Raw: []byte("From: zydrune@example.lt\r\n\r\n" + longText),
		Attachments: []ledger.NewAttachment{
			{Filename: "planas.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4")},
			{Filename: "virusas.exe", ContentType: "application/octet-stream", Size: 4096, Refused: "executable"},
		},
		Submission: &ledger.NewSubmission{ConsultationID: f.cons["strategija-2027"].ID, Source: ledger.SourceEmail,
			ReceivedAt: at("2026-11-10 10:30"), SenderName: "Žydrūnė Ąžuolaitė", SenderEmail: "zydrune@example.lt",
			Subject: "Pasiūlymas", Text: longText, Language: "lt",
			Class: ledger.Classification{Measure: "1.1", Confidence: 0.92},
			Ack:   &ledger.AckRequest{To: "zydrune@example.lt"}},
	}
	in.ContentKey = ledger.ContentKey(in.MessageID, in.FromAddr, time.Time{}, in.Subject, in.Text, nil)
	res, err := f.db.Ingest(ctx, in)
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	if f.subs[res.Ref], err = f.db.Submission(ctx, res.Ref); err != nil {
		t.Fatal(err)
	}

	add("2026-11-24 09:00", "strategija-2027", ledger.NewSubmission{SenderName: "Jonas", SenderEmail: "jonas@example.lt",
		Text: "Daugiau renginių jaunimui", Class: ledger.Classification{Measure: "1.1", Confidence: 0.8},
		Ack: &ledger.AckRequest{To: "jonas@example.lt"}})
	add("2026-11-25 09:00", "strategija-2027", ledger.NewSubmission{SenderName: "Anna", SenderEmail: "anna@example.com",
		Text: "Please repair the community hall roof.", Language: "en",
		Class: ledger.Classification{Measure: "2.1", Confidence: 0.3, NeedsReview: true},
		Ack:   &ledger.AckRequest{To: "anna@example.com"}})
	add("2026-11-26 09:00", "strategija-2027", ledger.NewSubmission{SenderEmail: "petras@example.lt",
		Subject: "Dėl parko apšvietimo", Ack: &ledger.AckRequest{To: "petras@example.lt"}})
	f.clock.Set(at("2026-12-01 10:00"))
	return f
}

// outboxItem finds the queued item with the given dedupe key.
func (f *renderFixture) outboxItem(t *testing.T, key string) *ledger.OutboxItem {
	t.Helper()
	for _, it := range listOutbox(t, f.db) {
		if it.DedupeKey == key {
			return it
		}
	}
	t.Fatalf("no outbox item %s", key)
	return nil
}

func (f *renderFixture) sender(t *testing.T, edit func(*SenderOptions)) *Sender {
	t.Helper()
	return newTestSender(t, f.db, nopMailer{}, func(o *SenderOptions) {
		o.Now = f.clock.Now
		if edit != nil {
			edit(o)
		}
	})
}

func TestRenderAck(t *testing.T) {
	f := newRenderFixture(t)
	subID := func(ref string) string { return fmt.Sprint("ack:", f.subs[ref].ID) }
	tests := []struct {
		name     string
		key      string
		ackLang  string
		subject  string
		headers  map[string]string
		text     []string
		unwanted []string
	}{
		{
			name: "email, filed, Lithuanian", key: subID("VVG-2026-0004"), ackLang: "auto",
			subject: "[VVG-2026-0004] Jūsų pasiūlymas gautas",
			headers: map[string]string{
				"In-Reply-To":    "<CAF1234@mail.gmail.com>",
				"References":     "<root-1@example.lt> <CAF1234@mail.gmail.com>",
				"Auto-Submitted": "auto-replied",
			},
			text: []string{
				"numeriu VVG-2026-0004", "2026 m. lapkričio 10 d. 10:30",
				"priemonei 1.1 „Ūkio ir verslo plėtra“",
				"Pasiūlymų teikimo terminas – 2026 m. gruodžio 13 d. 23:59",
				"Atsakymą Jums pateiksime iki 2027 m. sausio 13 d.",
				"> Siūlau įrengti dviračių taką aplink ežerą", "…",
				"Gauti priedai (1): planas.pdf",
			},
			unwanted: []string{"PABAIGOS-ŽODIS", "virusas.exe"},
		},
		{
			name: "form, needs review, English by detection", key: subID("VVG-2026-0006"), ackLang: "auto",
			subject: "[VVG-2026-0006] Your suggestion has been received",
			headers: map[string]string{"In-Reply-To": "", "References": ""},
			text: []string{"Dear Anna,", "registered it under number VVG-2026-0006", "Our staff will file it",
				"We will reply to you by 13 January 2027", "> Please repair the community hall roof."},
			unwanted: []string{"2.1", "Community initiatives"},
		},
		{
			name: "empty text quotes the subject", key: subID("VVG-2026-0007"), ackLang: "auto",
			subject: "[VVG-2026-0007] Jūsų pasiūlymas gautas",
			text:    []string{"> Dėl parko apšvietimo"},
		},
		{
			name: "fixed language overrides detection", key: subID("VVG-2026-0004"), ackLang: "en",
			subject: "[VVG-2026-0004] Your suggestion has been received",
			text:    []string{"under measure 1.1 “Farm and business development”", "13 January 2027"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := f.sender(t, func(o *SenderOptions) { o.AckLang = tt.ackLang })
			it := f.outboxItem(t, tt.key)
			p := renderItem(t, s, it)
			if p.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", p.Subject, tt.subject)
			}
			if got, want := p.Header.Get("Message-Id"), "<"+it.MessageID+">"; got != want {
				t.Errorf("Message-Id = %q, want %q", got, want)
			}
			if got := p.Header.Get("To"); !strings.Contains(got, it.Recipients[0]) {
				t.Errorf("To = %q, want %s", got, it.Recipients[0])
			}
			for k, want := range tt.headers {
				if got := p.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			checkText(t, "text part", p.body(t, "text/plain"), tt.text, tt.unwanted)
			checkText(t, "html part", p.body(t, "text/html"), []string{tt.subject[1:14]}, nil)
		})
	}
}

func TestRenderDigest(t *testing.T) {
	f := newRenderFixture(t)
	s := f.sender(t, nil)
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, f.loc)
	p := ledger.DigestPayload{FromID: f.subs["VVG-2026-0004"].ID, ToID: f.subs["VVG-2026-0007"].ID,
		PeriodStart: start, PeriodEnd: start.AddDate(0, 0, 7)}
	msg, html, err := s.RenderDigest(context.Background(), p, nil, "")
	if err != nil {
		t.Fatalf("RenderDigest: %v", err)
	}
	parsed := parse(t, render(t, msg))
	if want := "Savaitės suvestinė: 3 nauji pasiūlymai (2026-11-23 – 2026-11-29)"; parsed.Subject != want {
		t.Errorf("subject = %q, want %q", parsed.Subject, want)
	}
	if got := parsed.Header.Get("To"); !strings.Contains(got, "valdyba@vvg.example.lt") {
		t.Errorf("To = %q, want the board", got)
	}
	if got := parsed.Header.Get("Message-Id"); got != "<vvgintake.digest.preview@vvg.example.lt>" {
		t.Errorf("Message-Id = %q, want the preview id", got)
	}
	text := parsed.body(t, "text/plain")
	checkText(t, "digest", text, []string{
		"=== Vietos plėtros strategijos keitimas ===",
		"=== Senoji konsultacija ===",
		"[VVG-2026-0005]", "[VVG-2026-0006]", "[VVG-2026-0007]",
		"Dėl parko apšvietimo",
		"Praleistas atsakymo terminas:\n  [VVG-2026-0002] reikėjo atsakyti iki 2026 m. lapkričio 17 d.",
		"Artėja atsakymo terminas:\n  [VVG-2026-0003] atsakyti iki 2026 m. gruodžio 3 d.",
	}, []string{"Senesnė konsultacija", "[VVG-2026-0004]", "PABAIGOS-ŽODIS"})
	rows := []struct{ code, title, counts string }{
		{"1.1", "Ūkio ir verslo plėtra", "1 / 2"},
		{"2.1", "Bendruomenių iniciatyvos", "1 / 1"}, // the classifier's guess, still to review
		{"5", "Bendradarbiavimas", "0 / 0"},          // zero rows are listed
		{"?", "dar nepriskirta", "1 / 1"},            // the subject-only one, never classified
	}
	for _, r := range rows {
		if want := padRight(6, r.code) + " " + padRight(42, r.title) + " " + r.counts; !strings.Contains(text, want) {
			t.Errorf("digest lacks row %q", want)
		}
	}
	if !strings.Contains(string(html), "data:image/png;base64,") {
		t.Errorf("standalone html has no inlined chart")
	}

	// The queued form of the same digest renders under its own id.
	it, _, err := f.db.EnqueueDigest(context.Background(), "2026-48", []string{"valdyba@vvg.example.lt"}, p.PeriodEnd)
	if err != nil {
		t.Fatal(err)
	}
	msg, err = s.Render(context.Background(), it)
	if err != nil {
		t.Fatalf("Render queued digest: %v", err)
	}
	queued := parse(t, render(t, msg))
	if got := queued.Header.Get("Message-Id"); got != "<"+it.MessageID+">" {
		t.Errorf("queued digest Message-Id = %q, want <%s>", got, it.MessageID)
	}
}

func TestRenderReport(t *testing.T) {
	ctx := context.Background()
	f := newRenderFixture(t)
	if _, err := f.db.Decide(ctx, "VVG-2026-0005", "accepted", "Įtraukta į strategiją", "staff"); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2026, 12, 14, 0, 5, 0, 0, f.loc))
	if _, err := f.db.SetConsultationStatus(ctx, "strategija-2027", ledger.StatusClosed, "scheduler", &ledger.OutboxItem{
		Kind: ledger.KindReport, DedupeKey: "report:strategija-2027", Recipients: []string{"admin@vvg.example.lt"},
	}); err != nil {
		t.Fatal(err)
	}
	it := f.outboxItem(t, "report:strategija-2027")
	srv := newCapture(t, "127.0.0.1:0")
	s := newTestSender(t, f.db, mailerTo(t, srv.Addr, SMTPOptions{}), func(o *SenderOptions) { o.Now = f.clock.Now })

	p := renderItem(t, s, it)
	if want := "Konsultacijos ataskaita: „Vietos plėtros strategijos keitimas“ – 4 pasiūlymai"; p.Subject != want {
		t.Errorf("subject = %q, want %q", p.Subject, want)
	}
	checkText(t, "report", p.body(t, "text/plain"), []string{
		"Iš viso pasiūlymų: 4 (laiku: 4, po termino: 0).",
		"Laukia priskyrimo priemonei: 1.",
		"Pasiūlymų teikėjams reikia atsakyti iki 2027 m. sausio 13 d.",
		"[VVG-2026-0004]", "[VVG-2026-0007]",
		"Sprendimas: atsižvelgta: Įtraukta į strategiją",
	}, []string{"[VVG-2026-0001]", "[VVG-2026-0002]"})
	files := map[string]string{}
	for _, pt := range p.Parts {
		if pt.Filename != "" {
			files[pt.Filename] = string(pt.Body)
		}
	}
	if csv := files["strategija-2027.csv"]; !strings.Contains(csv, "VVG-2026-0007") || strings.Contains(csv, "VVG-2026-0002") {
		t.Errorf("csv attachment = %q, want this consultation's rows", csv)
	}
	if x := files["strategija-2027.xlsx"]; !strings.HasPrefix(x, "PK") {
		t.Errorf("xlsx attachment missing or not a zip (%d bytes)", len(x))
	}

	if _, err := s.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := f.db.Consultation(ctx, "strategija-2027")
	if err != nil {
		t.Fatal(err)
	}
	if c.ReportedAt.IsZero() || c.Status != ledger.StatusClosed {
		t.Errorf("after the report: status %s, reported at %v; want closed (the report changes no status), stamped reported", c.Status, c.ReportedAt)
	}
}

func TestRenderReminder(t *testing.T) {
	ctx := context.Background()
	f := newRenderFixture(t)
	n, err := EnqueueReminders(ctx, f.db, []string{"admin@vvg.example.lt"}, 5, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("EnqueueReminders = %d, want 1 (senoji, 3 December)", n)
	}
	it := f.outboxItem(t, "reminder:senoji:2026-12-03")
	p := renderItem(t, f.sender(t, nil), it)
	if want := "Priminimas: iki 2026 m. gruodžio 3 d. reikia atsakyti į 2 pasiūlymus („Senoji konsultacija“)"; p.Subject != want {
		t.Errorf("subject = %q, want %q", p.Subject, want)
	}
	checkText(t, "reminder", p.body(t, "text/plain"), []string{
		"[VVG-2026-0002] atsakyti iki 2026 m. lapkričio 17 d. – Dėl tilto remonto",
		"[VVG-2026-0003] atsakyti iki 2026 m. gruodžio 3 d. – Dėl kelio žvyravimo",
	}, []string{"VVG-2026-0004"})
}
