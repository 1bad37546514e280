package notify

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/ledger"
)

// publishFixture decides every suggestion of strategija-2027, closes it
// and publishes it, with letters to those who gave an address.
func publishFixture(t *testing.T) *renderFixture {
	t.Helper()
	ctx := context.Background()
	f := newRenderFixture(t)
	decisions := map[string][2]string{
		"VVG-2026-0004": {"accepted", "Įtraukta į 1.1 priemonę: dviračių takas numatytas 2027 m."},
		"VVG-2026-0005": {"partly", "Renginiai jaunimui – iš dalies, pagal 1.1 priemonę."},
		"VVG-2026-0006": {"rejected", "The hall is maintained by the municipality."},
		"VVG-2026-0007": {"rejected", "Apšvietimas – savivaldybės darbas."},
	}
	var answers []ledger.Answer
	for ref, d := range decisions {
		if _, err := f.db.Decide(ctx, ref, d[0], d[1], "staff"); err != nil {
			t.Fatal(err)
		}
		s, err := f.db.Submission(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		answers = append(answers, ledger.Answer{SubmissionID: s.ID, To: s.SenderEmail})
	}
	if _, err := f.db.SetConsultationStatus(ctx, "strategija-2027", ledger.StatusClosed, "staff"); err != nil {
		t.Fatal(err)
	}
	_, err := f.db.Publish(ctx, "strategija-2027", ledger.PublishPlan{Answers: answers, Actor: "staff",
		Report: []*ledger.OutboxItem{{Kind: ledger.KindResults, DedupeKey: "results:strategija-2027", Recipients: []string{"admin@vvg.example.lt"}}}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestRenderDecision: a decision letter names the decision in the
// results table's words, the reasons and where the table is published,
// threads under the resident's mail and is marked auto-generated; a
// resident who wrote in English is answered in English.
func TestRenderDecision(t *testing.T) {
	f := publishFixture(t)
	s := f.sender(t, func(o *SenderOptions) { o.Results.URL = "https://www.vvg.example.lt/rezultatai" })
	key := func(ref string) string { return "decision:" + itoa(f.subs[ref].ID) }
	tests := []struct {
		name, key, subject string
		headers            map[string]string
		text, html         []string
		unwanted           []string
	}{
		{
			name: "email, threaded", key: key("VVG-2026-0004"), subject: "[VVG-2026-0004] Sprendimas dėl Jūsų pasiūlymo",
			headers: map[string]string{"In-Reply-To": "<CAF1234@mail.gmail.com>", "References": "<root-1@example.lt> <CAF1234@mail.gmail.com>",
				"Auto-Submitted": "auto-generated", "To": "zydrune@example.lt"},
			text: []string{"numeriu VVG-2026-0004", "Sprendimas: į pasiūlymą atsižvelgta.", "Argumentai:\nĮtraukta į 1.1 priemonę",
				"priemonę 1.1 „Ūkio ir verslo plėtra“", "lentelė paskelbta adresu https://www.vvg.example.lt/rezultatai",
				"> Siūlau įrengti dviračių taką", "Lentelėje Jūsų vardas ir kontaktai neskelbiami."},
			html:     []string{"į pasiūlymą <strong>atsižvelgta</strong>", `href="https://www.vvg.example.lt/rezultatai"`},
			unwanted: []string{"PABAIGOS-ŽODIS", "pritarta"},
		},
		{
			name: "form, partly", key: key("VVG-2026-0005"), subject: "[VVG-2026-0005] Sprendimas dėl Jūsų pasiūlymo",
			headers: map[string]string{"In-Reply-To": "", "Auto-Submitted": "auto-generated"},
			text:    []string{"Sprendimas: į pasiūlymą iš dalies atsižvelgta.", "> Daugiau renginių jaunimui"},
		},
		{
			name: "English", key: key("VVG-2026-0006"), subject: "[VVG-2026-0006] Decision on your suggestion",
			text: []string{"your suggestion was not taken into account", "Reasons:\nThe hall is maintained", "is published at https://"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := renderItem(t, s, f.outboxItem(t, tt.key))
			if p.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", p.Subject, tt.subject)
			}
			for k, v := range tt.headers {
				got := p.Header.Get(k)
				if k == "To" {
					got = strings.Trim(got[strings.LastIndex(got, "<")+1:], "<> ")
				}
				if got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			checkText(t, "text", p.body(t, "text/plain"), tt.text, tt.unwanted)
			checkText(t, "html", p.body(t, "text/html"), tt.html, tt.unwanted)
		})
	}
}

// TestRenderDecisionWithdrawn: a letter queued before its case was
// withdrawn is not written.
func TestRenderDecisionWithdrawn(t *testing.T) {
	ctx := context.Background()
	f := publishFixture(t)
	if _, err := f.db.Withdraw(ctx, "VVG-2026-0005", "spam", "staff"); err != nil {
		t.Fatal(err)
	}
	_, err := f.sender(t, nil).Render(ctx, f.outboxItem(t, "decision:"+itoa(f.subs["VVG-2026-0005"].ID)))
	if err == nil || !strings.Contains(err.Error(), "withdrawn since its letter was queued") {
		t.Errorf("render a withdrawn case's letter: %v", err)
	}
}

// TestRenderResults: the results report to staff and the board counts
// the decisions and the letters and carries the published table as PDF
// and XLSX, its personal data hidden.
func TestRenderResults(t *testing.T) {
	f := publishFixture(t)
	s := f.sender(t, nil)
	p := renderItem(t, s, f.outboxItem(t, "results:strategija-2027"))
	if want := "Konsultacijos rezultatai paskelbti: „Vietos plėtros strategijos keitimas“ – 4 pasiūlymai"; p.Subject != want {
		t.Errorf("subject = %q, want %q", p.Subject, want)
	}
	checkText(t, "text", p.body(t, "text/plain"), []string{"Atsižvelgta: 1, iš dalies atsižvelgta: 1, neatsižvelgta: 2.",
		"Atsakymai gyventojams: 4 laiškai su sprendimu", "[VVG-2026-0005] iš dalies atsižvelgta, priemonė 1.1",
		"strategija-2027-rezultatai.pdf strategija-2027-rezultatai.xlsx"}, []string{"@example"})
	files := map[string][]byte{}
	for _, pt := range p.Parts {
		if pt.Filename != "" {
			files[pt.Filename] = pt.Body
		}
	}
	if pdf := files["strategija-2027-rezultatai.pdf"]; !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Errorf("no pdf attached: %v", p.partTypes())
	}
	if x := files["strategija-2027-rezultatai.xlsx"]; !strings.HasPrefix(string(x), "PK") {
		t.Errorf("no xlsx attached: %v", p.partTypes())
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
