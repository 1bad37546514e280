package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
)

// Schedule is a weekly moment in the VVG's zone, such as Monday 08:00:
// when the board's digest goes out.
type Schedule struct {
	Day          time.Weekday
	Hour, Minute int
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday, "mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tuesday": time.Tuesday, "wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thursday": time.Thursday, "fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// ParseSchedule reads "Mon 08:00" (a weekday, short or long, and a time).
func ParseSchedule(s string) (Schedule, error) {
	day, hm, ok := strings.Cut(strings.TrimSpace(s), " ")
	wd, okDay := weekdays[strings.ToLower(day)]
	t, err := time.Parse("15:04", strings.TrimSpace(hm))
	if !ok || !okDay || err != nil {
		return Schedule{}, fmt.Errorf("want a weekday and a time like \"Mon 08:00\", got %q", s)
	}
	return Schedule{Day: wd, Hour: t.Hour(), Minute: t.Minute()}, nil
}

// Last returns the most recent scheduled moment at or before now.
func (s Schedule) Last(now time.Time, loc *time.Location) time.Time {
	n := now.In(loc)
	t := time.Date(n.Year(), n.Month(), n.Day(), s.Hour, s.Minute, 0, 0, loc)
	for t.Weekday() != s.Day || t.After(n) {
		t = t.AddDate(0, 0, -1)
		t = time.Date(t.Year(), t.Month(), t.Day(), s.Hour, s.Minute, 0, 0, loc)
	}
	return t
}

// digestSlotKey is the ledger state key of the last digest slot handled.
const digestSlotKey = "digest.last_slot"

// QueueDigest queues the weekly digest once per scheduled slot. A slot
// missed while nothing ran is caught up once (the latest one); the
// ledger's watermark makes every submission appear in exactly one digest.
// The very first call only records the current slot, so installing
// vvgintake on a Tuesday does not mail the board at once. It returns the
// item queued, or nil.
func QueueDigest(ctx context.Context, db *ledger.DB, s Schedule, to []string, loc *time.Location, now time.Time) (*ledger.OutboxItem, error) {
	if len(to) == 0 {
		return nil, nil
	}
	slot := s.Last(now, loc)
	key := slot.Format("2006-01-02T15:04")
	last, ok, err := db.State(ctx, digestSlotKey)
	if err != nil || last >= key {
		return nil, err
	}
	var queued *ledger.OutboxItem
	if ok {
		it, created, err := db.EnqueueDigest(ctx, key, to, slot)
		if err != nil {
			return nil, err
		}
		if created {
			queued = it
		}
	}
	return queued, db.SetState(ctx, digestSlotKey, key)
}
