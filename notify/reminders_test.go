package notify

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// TestEnqueueReminders calls EnqueueReminders the way the scheduler does,
// many times a day over several days, and checks that each (consultation,
// due date) gets exactly one reminder, queued when the date comes within
// five working days.
func TestEnqueueReminders(t *testing.T) {
	ctx := context.Background()
	loc := loadVilnius(t)
	at := wallClock(t, loc)
	clock := clocktest.New(at("2026-11-02 09:00"))
	db := openLedger(t, clock.Now)
	closed := openConsultation(t, db, "strategija", "Strategija", at("2026-11-01 00:00"), at("2026-12-14 00:00"))
	decided := openConsultation(t, db, "atsakyta", "Atsakyta", at("2026-11-01 00:00"), at("2026-12-14 00:00"))
	open := openConsultation(t, db, "vyksta", "Vyksta", at("2026-11-01 00:00"), at("2027-02-01 00:00"))
	add := func(c *ledger.Consultation, when string) *ledger.Submission {
		t.Helper()
		clock.Set(at(when))
		s, err := db.AddSubmission(ctx, &ledger.NewSubmission{ConsultationID: c.ID, Source: ledger.SourceStaff,
			ReceivedAt: at(when), Text: "pasiūlymas", Actor: "staff"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	onTime := add(closed, "2026-12-01 10:00")
	add(closed, "2026-12-02 10:00") // same due date, same reminder
	late := add(closed, "2026-12-16 10:00")
	gone := add(decided, "2026-12-01 10:00")
	add(open, "2026-12-01 10:00")
	// Answered: decided, and with no address the published table tells
	// the resident (a decision alone still waits for its answer).
	if _, err := db.DecideAnswer(ctx, gone.Ref, "partly", "iš dalies", "staff", &ledger.Answer{}); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"strategija", "atsakyta"} {
		if _, err := db.SetConsultationStatus(ctx, slug, ledger.StatusClosed, "test"); err != nil {
			t.Fatal(err)
		}
	}
	d1, d2 := onTime.ResponseDue.Format(time.DateOnly), late.ResponseDue.Format(time.DateOnly)
	if d1 != "2027-01-13" || d2 != "2027-01-18" {
		t.Fatalf("due dates %s and %s, want 2027-01-13 and 2027-01-18", d1, d2)
	}

	staff := []string{"admin@vvg.example.lt"}
	steps := []struct {
		now  string
		want int
	}{
		{"2027-01-05 09:00", 0}, // five working days reach 12 January
		{"2027-01-06 09:00", 1}, // 13 January comes in range
		{"2027-01-06 09:01", 0}, // the scheduler runs every minute
		{"2027-01-06 23:59", 0},
		{"2027-01-07 09:00", 0}, // the next day
		{"2027-01-11 09:00", 1}, // 18 January comes in range
		{"2027-01-12 09:00", 0},
		{"2027-01-14 09:00", 0}, // 13 January has passed
		{"2027-01-19 09:00", 0}, // everything has passed
	}
	for _, st := range steps {
		t.Run(st.now, func(t *testing.T) {
			clock.Set(at(st.now))
			for range 2 {
				n, err := EnqueueReminders(ctx, db, staff, 5, clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				if n != st.want {
					t.Errorf("EnqueueReminders = %d, want %d", n, st.want)
				}
				st.want = 0 // a second call the same minute queues nothing
			}
		})
	}
	var keys []string
	for _, it := range listOutbox(t, db) {
		if it.Kind == ledger.KindReminder {
			keys = append(keys, it.DedupeKey)
		}
	}
	if want := []string{"reminder:strategija:2027-01-13", "reminder:strategija:2027-01-18"}; !slices.Equal(keys, want) {
		t.Errorf("reminders = %v, want %v", keys, want)
	}

	if _, err := EnqueueReminders(ctx, db, nil, 5, clock.Now()); err == nil {
		t.Errorf("EnqueueReminders without staff: got nil error")
	}
}
