package notify

import (
	"context"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
)

func TestScheduleLast(t *testing.T) {
	loc := loadVilnius(t)
	s, err := ParseSchedule("Mon 08:00")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ now, want string }{
		{"2026-11-23T08:00:00+02:00", "2026-11-23T08:00:00+02:00"}, // Monday at the moment
		{"2026-11-23T07:59:00+02:00", "2026-11-16T08:00:00+02:00"}, // a minute early: last week's
		{"2026-11-25T12:00:00+02:00", "2026-11-23T08:00:00+02:00"}, // Wednesday
		{"2026-11-29T23:00:00+02:00", "2026-11-23T08:00:00+02:00"}, // Sunday night
		{"2026-03-30T09:00:00+03:00", "2026-03-30T08:00:00+03:00"}, // the Monday after the DST change
	}
	for _, tt := range tests {
		now, _ := time.Parse(time.RFC3339, tt.now)
		if got := s.Last(now, loc).Format(time.RFC3339); got != tt.want {
			t.Errorf("Last(%s) = %s, want %s", tt.now, got, tt.want)
		}
	}
	for _, bad := range []string{"", "Mon", "Funday 08:00", "Mon 25:00", "08:00 Mon"} {
		if _, err := ParseSchedule(bad); err == nil {
			t.Errorf("ParseSchedule(%q) accepted", bad)
		}
	}
}

// TestQueueDigest: the first call only notes the slot; each later slot
// queues one digest however often it is asked, and missed slots are
// caught up once.
func TestQueueDigest(t *testing.T) {
	ctx := context.Background()
	loc := loadVilnius(t)
	db := openLedger(t, time.Now)
	s := Schedule{Day: time.Monday, Hour: 8}
	to := []string{"board@example.lt"}
	at := func(v string) time.Time { tm, _ := time.Parse(time.RFC3339, v); return tm }
	steps := []struct {
		now    string
		queued bool
	}{
		{"2026-11-18T10:00:00+02:00", false}, // first start: notes the slot
		{"2026-11-20T10:00:00+02:00", false}, // same slot
		{"2026-11-23T08:00:00+02:00", true},  // the next Monday
		{"2026-11-23T09:00:00+02:00", false}, // asked again
		{"2026-12-14T09:00:00+02:00", true},  // three slots missed: one digest
		{"2026-12-14T10:00:00+02:00", false},
	}
	for _, st := range steps {
		it, err := QueueDigest(ctx, db, s, to, loc, at(st.now))
		if err != nil {
			t.Fatal(err)
		}
		if (it != nil) != st.queued {
			t.Errorf("at %s: queued %v, want %v", st.now, it != nil, st.queued)
		}
		if it != nil && it.Kind != ledger.KindDigest {
			t.Errorf("queued a %s", it.Kind)
		}
	}
}

func TestRecipients(t *testing.T) {
	r := Recipients{Staff: []string{"a@x.lt"}}
	if got := r.Digest(); len(got) != 1 || got[0] != "a@x.lt" {
		t.Errorf("digest without a board goes to %v, want staff", got)
	}
	r.Board = []string{"b@x.lt"}
	if got := r.Digest(); len(got) != 1 || got[0] != "b@x.lt" {
		t.Errorf("digest goes to %v, want the board", got)
	}
	if got := r.Report(); len(got) != 1 {
		t.Errorf("report goes to %v, want staff only", got)
	}
	r.ReportToBoard = true
	if got := r.ClosingReport("k"); len(got) != 1 || len(got[0].Recipients) != 2 || got[0].DedupeKey != "report:k" {
		t.Errorf("closing report %+v, want one item to staff and board", got)
	}
	if got := (Recipients{}).ClosingReport("k"); got != nil {
		t.Errorf("closing report with nobody to send it to: %+v", got)
	}
}
