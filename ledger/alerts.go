package ledger

import (
	"context"
	"fmt"
	"time"
)

// AlertRules say when the records call for a person's attention.
type AlertRules struct {
	// Mailbox is set when a mailbox is configured: it must then be read.
	Mailbox bool
	// SyncAlertAfter is how old the last good sync may get.
	SyncAlertAfter time.Duration
}

// Alerts lists, in words for the operator, what needs attention now:
// a mailbox never read, refusing our credentials or not synced for too
// long, and mail that failed for good. `vvgintake status` prints them and
// /readyz answers 503 with them.
func (db *DB) Alerts(ctx context.Context, r AlertRules) ([]string, error) {
	now := db.now()
	var alerts []string
	if r.Mailbox {
		hs, err := db.MailboxHealth(ctx)
		if err != nil {
			return nil, err
		}
		if len(hs) == 0 {
			alerts = append(alerts, "the mailbox has never been read (is `vvgintake run` running?)")
		}
		for _, h := range hs {
			if h.AuthFailing {
				alerts = append(alerts, fmt.Sprintf("%s: the mail server refuses our credentials: %s", h.Account, h.LastError))
			}
			if h.LastSync.IsZero() {
				alerts = append(alerts, fmt.Sprintf("%s: never synced successfully", h.Account))
			} else if age := now.Sub(h.LastSync); age > r.SyncAlertAfter {
				alerts = append(alerts, fmt.Sprintf("%s: last successful sync %s ago (alert after %s)", h.Account,
					age.Round(time.Minute), r.SyncAlertAfter))
			}
		}
	}
	st, err := db.OutboxStats(ctx)
	if err != nil {
		return nil, err
	}
	if st.Failed > 0 {
		alerts = append(alerts, fmt.Sprintf("%d mail(s) failed permanently: see `vvgintake outbox --status failed`", st.Failed))
	}
	return alerts, nil
}
