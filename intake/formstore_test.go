package intake

import (
	"context"
	"testing"

	"github.com/vvgintake/vvgintake/intake/form"
	"github.com/vvgintake/vvgintake/internal/clocktest"
)

// TestFormStoreAck: a form submission is acknowledged by the same rules as
// mail (ackAddress), with no message to pretend.
func TestFormStoreAck(t *testing.T) {
	tests := []struct {
		name, email string
		blocked     []string
		wantAck     bool
	}{
		{name: "address given", email: "Ona@example.net", wantAck: true},
		{name: "no address", email: ""},
		{name: "our own address", email: "vvg+test@example.lt"},
		{name: "blocked domain", email: "ona@spam.example", blocked: []string{"@spam.example"}},
		{name: "no-reply address", email: "noreply@example.net"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			p, db := newTestPipeline(t, func(o *Options) { o.BlockedSenders = tt.blocked })
			at := clocktest.At(t, "2026-11-20T11:00:00+02:00")
			addConsultation(t, db, "strategija", at.AddDate(0, 0, -10), at.AddDate(0, 0, 10))
			rc, err := NewFormStore(p).Submit(ctx, &form.Submission{Consultation: "strategija", Email: tt.email,
				Text: "Siūlau vasaros stovyklas vaikams.", ReceivedAt: at, Language: "lt"})
			if err != nil {
				t.Fatal(err)
			}
			if rc.Ref == "" || rc.AckQueued != tt.wantAck {
				t.Errorf("receipt %+v, want a reference and ack queued %v", rc, tt.wantAck)
			}
			s, err := db.Submission(ctx, rc.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if s.Measure == "" {
				t.Errorf("submission %s was not classified", s.Ref)
			}
		})
	}
}
