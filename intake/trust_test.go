package intake

import (
	"context"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/intake/spam"
	"github.com/vvgintake/vvgintake/internal/clocktest"
)

const residentText = "Siūlau įrengti dienos centrą senjorams Aleksote ir organizuoti kompiuterinio raštingumo užsiėmimus."

// TestJudgeSpam: an advert is recorded as spam and opens no case (it
// used to be acknowledged about two times in three).
func TestJudgeSpam(t *testing.T) {
	p, db := newTestPipeline(t, nil)
	addConsultation(t, db, "strategija", clocktest.At(t, "2026-11-01T00:00:00+02:00"), clocktest.At(t, "2026-12-01T00:00:00+02:00"))
	m := testMail{from: "Mr. Ibrahim <ibrahim@bank.example>", subject: "URGENT BUSINESS PROPOSAL",
		body: "Dear Friend,\nI am Mr. Ibrahim, a bank manager. I have a business proposal of $15,500,000 (Fifteen million five hundred " +
			"thousand US dollars) which I want to transfer to your account. You will receive 40% of the total sum. Reply with your full " +
			"name, phone number and bank details. Strictly confidential."}
	res, v, err := p.Ingest(context.Background(), m.raw(), &Origin{Source: SourceImport, InternalDate: clocktest.At(t, "2026-11-20T11:00:00+02:00"), Acks: true})
	if err != nil {
		t.Fatal(err)
	}
	if v.Disposition != mailparse.KindSpam || res.Ref != "" || res.Acked {
		t.Fatalf("got %s (%s) ref %q acked %v, want spam without a case", v.Disposition, v.Reason, res.Ref, res.Acked)
	}
	if !strings.Contains(v.Reason, "content spam score") {
		t.Errorf("reason %q does not name the content score", v.Reason)
	}
}

// TestJudgeUnsure: a message the score is unsure of opens a case for
// staff review, without an acknowledgement, and says why.
func TestJudgeUnsure(t *testing.T) {
	unsure := spam.Default().WithCalibration(spam.Calibration{A: 1, B: 0, Unsure: 1e-9, Spam: 1})
	p, db := newTestPipeline(t, func(o *Options) { o.Spam = unsure })
	addConsultation(t, db, "strategija", clocktest.At(t, "2026-11-01T00:00:00+02:00"), clocktest.At(t, "2026-12-01T00:00:00+02:00"))
	m := testMail{from: "Ona <ona@example.net>", subject: "Pasiūlymas", body: residentText}
	ctx := context.Background()
	res, v, err := p.Ingest(ctx, m.raw(), &Origin{Source: SourceImport, InternalDate: clocktest.At(t, "2026-11-20T11:00:00+02:00"), Acks: true})
	if err != nil {
		t.Fatal(err)
	}
	if v.Disposition != mailparse.KindSuggestion || res.Ref == "" {
		t.Fatalf("got %s (%s) ref %q, want a suggestion with a case", v.Disposition, v.Reason, res.Ref)
	}
	if res.Acked || v.AckTo != "" {
		t.Errorf("acknowledged (to %q); an unsure message must wait for staff", v.AckTo)
	}
	sub, err := db.Submission(ctx, res.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if !sub.NeedsReview || !strings.Contains(sub.AckWithheld, "unsure") || sub.AckStatus != "" {
		t.Errorf("submission needs review %v, withheld %q, ack %q; want review, the reason, no ack", sub.NeedsReview, sub.AckWithheld, sub.AckStatus)
	}
	msg, err := db.MessageByID(ctx, res.MessageRow)
	if err != nil || !strings.Contains(msg.Reason, "not acknowledged") {
		t.Errorf("message reason %q, %v: want it to say why it was not acknowledged", msg.Reason, err)
	}
}

// TestAuthResults: the receiving server's verdict on the From domain,
// from our own server only.
func TestAuthResults(t *testing.T) {
	const from = "Ona <ona@example.net>"
	ar := func(id, rest string) string { return "Authentication-Results: " + id + ";\r\n " + rest }
	tests := []struct {
		name   string
		ids    []string
		header []string
		hold   string // "" when acknowledged
	}{
		{"dmarc pass", []string{"mx.google.com"}, []string{ar("mx.google.com", "dkim=pass header.i=@example.net; spf=pass smtp.mailfrom=ona@example.net; dmarc=pass header.from=example.net")}, ""},
		{"dmarc fail", []string{"mx.google.com"}, []string{ar("mx.google.com", "dkim=none; spf=softfail smtp.mailfrom=x@spam.example; dmarc=fail (p=REJECT) header.from=example.net")}, "DMARC fails"},
		{"neither spf nor dkim", []string{"mx.google.com"}, []string{ar("mx.google.com", "spf=neutral smtp.mailfrom=ona@example.net; dkim=none")}, "neither SPF nor DKIM"},
		{"spf passes for another domain", []string{"mx.google.com"}, []string{ar("mx.google.com", "spf=pass smtp.mailfrom=bounce@mailer.example.com; dkim=pass header.d=mailer.example.com")}, "neither SPF nor DKIM"},
		{"dkim of a subdomain is aligned", []string{"mx.google.com"}, []string{ar("mx.google.com", "spf=softfail smtp.mailfrom=x@other.example; dkim=pass header.d=mail.example.net")}, ""},
		{"spf only", []string{"mx.google.com"}, []string{ar("mx.google.com", "spf=pass smtp.mailfrom=ona@example.net; dkim=none")}, ""},
		{"another server's verdict is ignored", []string{"mx.google.com"}, []string{ar("mx.attacker.example", "dmarc=fail header.from=example.net")}, ""},
		{"only the topmost of ours counts", []string{"mx.google.com"}, []string{ar("mx.google.com", "dmarc=pass header.from=example.net"),
			ar("mx.google.com", "dmarc=fail header.from=example.net")}, ""},
		{"no authserv-id configured", nil, []string{ar("mx.google.com", "dmarc=fail header.from=example.net")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, db := newTestPipeline(t, func(o *Options) { o.AuthServIDs = tt.ids })
			addConsultation(t, db, "strategija", clocktest.At(t, "2026-11-01T00:00:00+02:00"), clocktest.At(t, "2026-12-01T00:00:00+02:00"))
			m := testMail{from: from, subject: "Pasiūlymas", body: residentText, extra: tt.header}
			v, err := p.Decide(context.Background(), m.raw(), &Origin{Source: SourceImport, InternalDate: clocktest.At(t, "2026-11-20T11:00:00+02:00"), Acks: true})
			if err != nil {
				t.Fatal(err)
			}
			if v.Disposition != mailparse.KindSuggestion || v.Consultation == nil {
				t.Fatalf("got %s (%s), want a routed suggestion whatever the verdict", v.Disposition, v.Reason)
			}
			if tt.hold == "" {
				if v.Hold != "" || v.AckTo != "ona@example.net" {
					t.Errorf("held %q, ack to %q; want acknowledged", v.Hold, v.AckTo)
				}
				return
			}
			if !strings.Contains(v.Hold, tt.hold) || v.AckTo != "" {
				t.Errorf("held %q, ack to %q; want held for %q", v.Hold, v.AckTo, tt.hold)
			}
		})
	}
}

// TestOwnAddressAliases: Gmail delivers vvg.aleksotas@, VVGAleksotas+x@
// and @googlemail.com to the same mailbox; all are our own.
func TestOwnAddressAliases(t *testing.T) {
	p, _ := newTestPipeline(t, func(o *Options) { o.Mailbox = "vvgaleksotas@gmail.com" })
	for _, from := range []string{"vvg.aleksotas@gmail.com", "VVGAleksotas+strategija@googlemail.com", "v.v.g.aleksotas@googlemail.com"} {
		m := testMail{from: from, subject: "Savaitės suvestinė", body: residentText}
		v, err := p.Decide(context.Background(), m.raw(), &Origin{Source: SourceImport, InternalDate: clocktest.At(t, "2026-11-20T11:00:00+02:00"), Acks: true})
		if err != nil {
			t.Fatal(err)
		}
		if v.Disposition != mailparse.KindOwn {
			t.Errorf("%s: got %s (%s), want own", from, v.Disposition, v.Reason)
		}
		if got := p.ackAddress(from); got != "" {
			t.Errorf("%s: acknowledgement to %q, want none", from, got)
		}
	}
	for _, other := range []string{"vvgaleksotas@example.lt", "vvg.aleksotas2@gmail.com"} {
		if p.isOwnAddress(other) {
			t.Errorf("%s taken for our own", other)
		}
	}
}
