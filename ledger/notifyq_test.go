package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

// TestUnanswered: a suggestion waits for its answer until the decision
// reached the resident, not merely until staff decided it.
func TestUnanswered(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: clocktest.At(t, "2026-12-01T10:00:00+02:00")}
	db := openTest(t, clock)
	c := newConsultation(t, db, "strategija")
	other := newConsultation(t, db, "kita")
	add := func(cons *Consultation, text string, at time.Time) *Submission {
		t.Helper()
		s, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: cons.ID, Source: SourceForm,
			ReceivedAt: at, SenderEmail: "ona@example.lt", Text: text})
		if err != nil {
			t.Fatalf("add submission: %v", err)
		}
		return s
	}
	onTime := clocktest.At(t, "2026-12-01T10:00:00+02:00")
	a := add(c, "pirmas", onTime)
	b := add(c, "antras", onTime)
	d := add(c, "trečias", onTime)
	add(other, "kitos konsultacijos", onTime)
	late := add(c, "pavėluotas", clocktest.At(t, "2026-12-20T10:00:00+02:00"))
	// b is decided and answered (the published table holds it); d is
	// decided, and nobody told the resident yet.
	if _, err := db.DecideAnswer(ctx, b.Ref, "accepted", "gera mintis", "staff", &Answer{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Decide(ctx, d.Ref, "rejected", "ne šiai strategijai", "staff"); err != nil {
		t.Fatal(err)
	}
	loc := db.Options().Location
	day := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// On time: due 2027-01-13; late (received 20 Dec): 20 working days later.
	if got, want := a.ResponseDue.Format("2006-01-02"), "2027-01-13"; got != want {
		t.Fatalf("on-time due = %s, want %s", got, want)
	}
	lateDue := late.ResponseDue.Format("2006-01-02")
	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"all open bounds", time.Time{}, time.Time{}, []string{a.Ref, d.Ref, late.Ref}},
		{"up to the on-time date", time.Time{}, day("2027-01-13"), []string{a.Ref, d.Ref}},
		{"from the day after", day("2027-01-14"), time.Time{}, []string{late.Ref}},
		{"exactly the late date", day(lateDue), day(lateDue), []string{late.Ref}},
		{"nothing due", day("2026-12-01"), day("2026-12-31"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Unanswered(ctx, c.ID, tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			var refs []string
			for _, s := range got {
				refs = append(refs, s.Ref)
			}
			if len(refs) != len(tt.want) {
				t.Fatalf("got %v, want %v", refs, tt.want)
			}
			for i := range refs {
				if refs[i] != tt.want[i] {
					t.Errorf("got %v, want %v", refs, tt.want)
				}
			}
		})
	}

	// Due dates only count consultations that ended.
	from, to := day("2027-01-01"), day("2027-12-31")
	dates, err := db.UnansweredDueDates(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(dates) != 0 {
		t.Errorf("due dates of open consultations = %+v, want none", dates)
	}
	if _, err := db.SetConsultationStatus(ctx, c.Slug, StatusClosed, "test"); err != nil {
		t.Fatal(err)
	}
	dates, err = db.UnansweredDueDates(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	want := []DueDate{
		{ConsultationID: c.ID, Slug: c.Slug, Due: day("2027-01-13"), Count: 2},
		{ConsultationID: c.ID, Slug: c.Slug, Due: day(lateDue), Count: 1},
	}
	if len(dates) != len(want) {
		t.Fatalf("due dates = %+v, want %+v", dates, want)
	}
	for i := range want {
		if dates[i].Slug != want[i].Slug || !dates[i].Due.Equal(want[i].Due) || dates[i].Count != want[i].Count ||
			dates[i].ConsultationID != want[i].ConsultationID {
			t.Errorf("due date %d = %+v, want %+v", i, dates[i], want[i])
		}
	}
}
