package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/ledger"
)

// reminderPayload is what a queued reminder says: answer the unanswered
// suggestions of a consultation due on or before Due.
type reminderPayload struct {
	Slug string `json:"slug"`
	Due  string `json:"due"` // YYYY-MM-DD in the ledger's zone
}

// renderReminder builds a reminder listing the consultation's suggestions
// still unanswered and due by the payload's date, as they are at send
// time.
func (s *Sender) renderReminder(ctx context.Context, it *ledger.OutboxItem) (*gomail.Msg, error) {
	var p reminderPayload
	if err := json.Unmarshal([]byte(it.Payload), &p); err != nil {
		return nil, fmt.Errorf("decode payload: %w", err)
	}
	due, err := time.ParseInLocation(time.DateOnly, p.Due, s.db.Options().Location)
	if err != nil {
		return nil, fmt.Errorf("due date: %w", err)
	}
	c, err := s.db.Consultation(ctx, p.Slug)
	if err != nil {
		return nil, err
	}
	open, err := s.dueItems(ctx, c.ID, time.Time{}, due)
	if err != nil {
		return nil, err
	}
	return BuildReminder(ReminderData{
		Head:  s.head(s.opt.Lang, it.MessageID),
		To:    addrs(it.Recipients),
		Slug:  c.Slug,
		Title: c.Title,
		Due:   due,
		Open:  open,
	}, s.opt.Templates)
}

// EnqueueReminders queues, for every consultation that ended, one
// reminder to staff per date on which answers to unanswered suggestions
// fall due within days working days of now (today included). The dedupe
// key reminder:<slug>:<date> makes each reminder go out once however often
// this runs, on whatever day. It returns how many were newly queued.
func EnqueueReminders(ctx context.Context, db *ledger.DB, staff []string, days int, now time.Time) (int, error) {
	if len(staff) == 0 {
		return 0, errors.New("enqueue reminders: no staff addresses")
	}
	if days < 0 {
		return 0, fmt.Errorf("enqueue reminders: days %d is negative", days)
	}
	loc := db.Options().Location
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	dates, err := db.UnansweredDueDates(ctx, today, db.Calendar().AddWorkdays(today, days))
	if err != nil {
		return 0, fmt.Errorf("enqueue reminders: %w", err)
	}
	n := 0
	for _, dd := range dates {
		date := dd.Due.Format(time.DateOnly)
		p, err := json.Marshal(reminderPayload{Slug: dd.Slug, Due: date})
		if err != nil {
			return n, fmt.Errorf("enqueue reminder %s %s: %w", dd.Slug, date, err)
		}
		created, err := db.Enqueue(ctx, &ledger.OutboxItem{
			Kind: ledger.KindReminder, DedupeKey: "reminder:" + dd.Slug + ":" + date,
			ConsultationID: dd.ConsultationID, Recipients: staff, Payload: string(p),
		})
		if err != nil {
			return n, fmt.Errorf("enqueue reminder %s %s: %w", dd.Slug, date, err)
		}
		if created {
			n++
		}
	}
	return n, nil
}
