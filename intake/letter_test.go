package intake

import (
	"context"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
)

func TestLetterTo(t *testing.T) {
	tests := []struct {
		name    string
		letters string
		a       ledger.Addressee
		want    string
		why     bool
	}{
		{"from", "", ledger.Addressee{SenderEmail: "Ona@Example.lt"}, "ona@example.lt", false},
		{"reply-to first", "", ledger.Addressee{SenderEmail: "ona@example.lt", ReplyTo: "ona.namai@example.lt"}, "ona.namai@example.lt", false},
		{"no address (form, erased)", "", ledger.Addressee{ReplyTo: "ona@example.lt"}, "", true},
		{"no-reply", "", ledger.Addressee{SenderEmail: "noreply@savivaldybe.example.lt"}, "", true},
		{"our own", "", ledger.Addressee{SenderEmail: ourMailbox}, "", true},
		{"blocked", "", ledger.Addressee{SenderEmail: "x@blocked.example"}, "", true},
		{"unsure spam score, reviewed", "", ledger.Addressee{SenderEmail: "ona@example.lt",
			AckWithheld: "content spam score unsure 0.62 (links)"}, "ona@example.lt", false},
		{"failed authentication", "", ledger.Addressee{SenderEmail: "ona@example.lt",
			AckWithheld: "content spam score unsure 0.62 (links); DMARC fails for example.lt (mx.google.com)"}, "", true},
		{"letters off", LettersOff, ledger.Addressee{SenderEmail: "ona@example.lt"}, "", true},
		{"letters by decision", LettersOnDecision, ledger.Addressee{SenderEmail: "ona@example.lt"}, "ona@example.lt", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := newTestPipeline(t, func(o *Options) {
				o.Letters = tt.letters
				o.BlockedSenders = []string{"@blocked.example"}
			})
			to, why := p.LetterTo(tt.a)
			if to != tt.want || (why != "") != tt.why {
				t.Errorf("LetterTo = %q, %q; want %q, a reason %v", to, why, tt.want, tt.why)
			}
		})
	}
}

// TestRecordDecision: a decision reaches the resident when the mode says:
// by decision at once; on publication not before it, and at once after.
func TestRecordDecision(t *testing.T) {
	ctx := context.Background()
	letters := func(db *ledger.DB) int {
		items, err := db.ListOutbox(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, it := range items {
			if it.Kind == ledger.KindDecision {
				n++
			}
		}
		return n
	}
	for _, mode := range []string{LettersOnPublish, LettersOnDecision} {
		t.Run(mode, func(t *testing.T) {
			p, db := newTestPipeline(t, func(o *Options) { o.Letters = mode })
			now := time.Now()
			c := addConsultation(t, db, "k", now.Add(-48*time.Hour), now.Add(-time.Hour))
			add := func(email string) *ledger.Submission {
				s, err := db.AddSubmission(ctx, &ledger.NewSubmission{ConsultationID: c.ID, Source: ledger.SourceForm,
					SenderEmail: email, Text: "Siūlau dienos centrą", ReceivedAt: now.Add(-2 * time.Hour)})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			a, b := add("ona@example.lt"), add("")
			setStatus(t, db, "k", ledger.StatusOpen)
			setStatus(t, db, "k", ledger.StatusClosed)
			if _, err := p.RecordDecision(ctx, a.Ref, "accepted", "Tinka", "staff"); err != nil {
				t.Fatal(err)
			}
			want := map[string]int{LettersOnPublish: 0, LettersOnDecision: 1}[mode]
			if got := letters(db); got != want {
				t.Errorf("letters after the decision = %d, want %d", got, want)
			}
			if _, err := p.RecordDecision(ctx, b.Ref, "rejected", "Netinka", "staff"); err != nil {
				t.Fatal(err)
			}
			if o, _ := db.Outcome(ctx, c.ID, 0); o.Answered != 0 {
				t.Errorf("answered before publication = %d, want 0", o.Answered)
			}
			if _, err := db.Publish(ctx, "k", ledger.PublishPlan{Actor: "staff", Answers: []ledger.Answer{
				{SubmissionID: a.ID, To: "ona@example.lt"}, {SubmissionID: b.ID}}}); err != nil {
				t.Fatal(err)
			}
			// A late suggestion after publication is answered with its
			// decision.
			late := add("rasa@example.lt")
			if _, err := p.RecordDecision(ctx, late.Ref, "partly", "Iš dalies", "staff"); err != nil {
				t.Fatal(err)
			}
			if got := letters(db); got != 2 {
				t.Errorf("letters after publication and a late decision = %d, want 2", got)
			}
		})
	}
}
