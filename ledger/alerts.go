package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// AlertRules say when the records call for a person's attention.
type AlertRules struct {
	// Mailbox is set when a mailbox is configured: it must then be read.
	Mailbox bool
	// Accounts are the mailbox accounts configured now
	// ("user@host:port"); the health of any other account is an old
	// configuration's and is ignored. Empty: every account counts.
	Accounts []string
	// SyncAlertAfter is how old the last good sync may get.
	SyncAlertAfter time.Duration
	// SMTPServer is the mail server the outbox sends through now
	// (host:port), "" when nothing sends: its failures and unsent
	// acknowledgements then do not alert.
	SMTPServer string
	// AckAlertAfter is how long the oldest acknowledgement may wait to
	// be sent; 0 = 30 minutes.
	AckAlertAfter time.Duration
	// FailedAlertFor is how long a failed item alerts unless staff
	// retry or dismiss it; 0 = 7 days.
	FailedAlertFor time.Duration
	// MinFreeBytes is the least disk space the ledger needs free; 0 =
	// 64 MiB. A message or an upload must fit, with its WAL pages.
	MinFreeBytes uint64
}

// Defaults of AlertRules.
const (
	DefaultAckAlertAfter  = 30 * time.Minute
	DefaultFailedAlertFor = 7 * 24 * time.Hour
	DefaultMinFreeBytes   = 64 << 20
	// ErasureAlertAfter is how long an erasure may stay unfinished.
	ErasureAlertAfter = 24 * time.Hour
)

// Alerts lists, in words for the operator, what needs attention now: a
// mailbox never read, refusing our credentials or not synced for too
// long; a mail server that cannot be reached or refuses our login while
// mail waits; an acknowledgement waiting too long; mail that failed for
// good and was neither retried nor dismissed; an erasure unfinished for a
// day; a nearly full disk.
// Alerts are about now: each one clears when its cause does, a failed
// item when staff retry or dismiss it or it ages out. `vvgintake status`
// prints them, /readyz answers 503 with them and /metrics counts them.
func (db *DB) Alerts(ctx context.Context, r AlertRules) ([]string, error) {
	if r.AckAlertAfter <= 0 {
		r.AckAlertAfter = DefaultAckAlertAfter
	}
	if r.FailedAlertFor <= 0 {
		r.FailedAlertFor = DefaultFailedAlertFor
	}
	if r.MinFreeBytes == 0 {
		r.MinFreeBytes = DefaultMinFreeBytes
	}
	now := db.now()
	var alerts []string
	if r.Mailbox {
		hs, err := db.MailboxHealth(ctx)
		if err != nil {
			return nil, err
		}
		hs = slices.DeleteFunc(hs, func(h MailboxHealth) bool {
			return len(r.Accounts) > 0 && !slices.Contains(r.Accounts, h.Account)
		})
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
	if r.SMTPServer != "" {
		hs, err := db.SMTPHealth(ctx)
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			// A server that failed while nothing waits to be sent
			// harms nobody; the next message tries it again.
			if h.Server != r.SMTPServer || !h.Failing() || st.Pending+st.Sending == 0 {
				continue
			}
			what := "cannot be reached"
			if h.AuthFailing {
				what = "refuses our login"
			}
			alerts = append(alerts, fmt.Sprintf("smtp %s %s since %s, %d mail(s) waiting: %s", h.Server, what,
				h.FailingSince.In(db.opt.Location).Format("2006-01-02 15:04"), st.Pending+st.Sending, h.LastError))
		}
		if !st.OldestAck.IsZero() {
			if age := now.Sub(st.OldestAck); age > r.AckAlertAfter {
				alerts = append(alerts, fmt.Sprintf("the oldest unsent acknowledgement was queued %s ago (alert after %s)",
					age.Round(time.Minute), r.AckAlertAfter))
			}
		}
	}
	var failed int
	err = db.r.QueryRowContext(ctx, `SELECT count(*) FROM outbox
		WHERE status = 'failed' AND dismissed_at IS NULL AND failed_at > ?`, fmtTime(now.Add(-r.FailedAlertFor))).Scan(&failed)
	if err != nil {
		return nil, fmt.Errorf("count failed mail: %w", err)
	}
	if failed > 0 {
		alerts = append(alerts, fmt.Sprintf("%d mail(s) failed permanently: see `vvgintake outbox --status failed`, "+
			"then `vvgintake outbox retry ID` or `vvgintake outbox dismiss ID`", failed))
	}
	// An erasure is owed to a person (GDPR Art. 12(3): without undue
	// delay); one left unfinished for a day (the mailbox keeps refusing)
	// needs someone to look.
	var (
		open   int
		oldest sql.NullString
	)
	err = db.r.QueryRowContext(ctx, `SELECT count(*), min(requested_at) FROM erasures WHERE finished_at IS NULL AND requested_at < ?`,
		fmtTime(now.Add(-ErasureAlertAfter))).Scan(&open, &oldest)
	if err != nil {
		return nil, fmt.Errorf("count unfinished erasures: %w", err)
	}
	if open > 0 {
		since, _ := parseNullTime(oldest)
		alerts = append(alerts, fmt.Sprintf("%d erasure(s) unfinished since %s (the mailbox copies are not deleted yet): "+
			"see `vvgintake person erasures`", open, since.In(db.opt.Location).Format("2006-01-02 15:04")))
	}
	if a := db.litestreamAlert(ctx); a != "" {
		alerts = append(alerts, a)
	}
	free, err := db.FreeBytes()
	if err != nil {
		alerts = append(alerts, err.Error())
	} else if free < r.MinFreeBytes {
		alerts = append(alerts, fmt.Sprintf("the disk that holds the ledger is nearly full: %d MiB free (alert below %d MiB)",
			free>>20, r.MinFreeBytes>>20))
	}
	return alerts, nil
}
