package ledger

import (
	"context"
	"fmt"
	"testing"
)

func TestTicketKey(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"ona@example.lt", ""},
		{"jonas.petraitis@gmail.com", ""},
		{"jonas+vvg@gmail.com", "jonas+#@gmail.com"},
		{"reply+8123@desk.example", "reply+#@desk.example"},
		{"reply+8124@desk.example", "reply+#@desk.example"},
		{"ticket-100234@desk.example", "ticket-#@desk.example"},
		{"support.4821@desk.example", "support.#@desk.example"},
		{"r-7f3a9b2c41de88@help.example", "r-#@help.example"},
		{"ona1987@example.lt", "ona#@example.lt"}, // a person's year: keyed apart from other names
		{"petras2@example.lt", ""},
		{"ona.petraitiene582@gmail.com", ""}, // a name and a number: a person (the crash test's residents)
		{"jonas.kazlauskas1999@gmail.com", "jonas.kazlauskas#@gmail.com"},
		{"reply-a1b2c3d4e5f6@desk.example", "reply-#@desk.example"},
		{"ona.2026@example.lt", "ona.#@example.lt"},
	}
	for _, tt := range tests {
		if got := ticketKey(tt.addr); got != tt.want {
			t.Errorf("ticketKey(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// TestAckLimitKeys: the per-sender limit counts by recipient, by From and
// by a tagged recipient's shape. An autoresponder answering from a new
// per-ticket Reply-To each round was acknowledged every round before.
func TestAckLimitKeys(t *testing.T) {
	type ack struct{ to, from string }
	tests := []struct {
		name  string
		acks  []ack
		limit int
		want  int // acknowledgements queued
	}{
		{"per-ticket Reply-To under one From", func() (a []ack) {
			for i := range 8 {
				a = append(a, ack{fmt.Sprintf("reply+%d@desk.example", 8000+i), "support@desk.example"})
			}
			return
		}(), 3, 3},
		{"per-ticket From and Reply-To", func() (a []ack) {
			for i := range 8 {
				r := fmt.Sprintf("ticket-%d@desk.example", 10000+i)
				a = append(a, ack{r, r})
			}
			return
		}(), 3, 3},
		{"one Reply-To under many Froms", func() (a []ack) {
			for i := range 8 {
				a = append(a, ack{"victim@example.org", fmt.Sprintf("forged%d@spam.example", i)})
			}
			return
		}(), 3, 3},
		{"residents of one provider with plus-addresses", []ack{{"jonas+vvg@gmail.com", ""}, {"ona+vvg@gmail.com", ""},
			{"rasa+vvg@gmail.com", ""}, {"tomas+vvg@gmail.com", ""}}, 1, 4},
		{"plain residents", []ack{{"jonas@example.lt", ""}, {"ona@example.lt", ""}, {"rasa@example.lt", ""}}, 1, 3},
		{"namesakes with numbers at one provider", []ack{{"ona.petraitiene582@gmail.com", ""}, {"ona.petraitiene583@gmail.com", ""},
			{"ona.jonaitiene584@gmail.com", ""}, {"ona.kazlauskiene585@gmail.com", ""}}, 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, dry := openTest(t, nil), openTest(t, nil)
			c := newConsultation(t, db, "s")
			queued := 0
			var pending []AckRequest
			for i, a := range tt.acks {
				req := AckRequest{To: a.to, From: a.from, MaxPerDay: tt.limit}
				// `import --dry-run` asks a ledger that records
				// nothing, passing what it would have queued: it must
				// agree with what recording does.
				ok, err := dry.AckAllowed(ctx, req, db.now(), pending)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					pending = append(pending, req)
				}
				sub, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceEmail,
					SenderEmail: a.from, Text: fmt.Sprintf("tekstas %d", i), Ack: &req})
				if err != nil {
					t.Fatal(err)
				}
				if got := sub.AckStatus != ""; got != ok {
					t.Errorf("ack %d: queued %v, but the dry run's AckAllowed said %v", i, got, ok)
				}
				if sub.AckStatus != "" {
					queued++
				}
			}
			if queued != tt.want {
				t.Errorf("queued %d acknowledgements, want %d", queued, tt.want)
			}
		})
	}
}
