package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

func cmdStatus() *command {
	return &command{
		name: "status", short: "health of the mailbox, outbox and consultations, with alerts", everyVVG: true,
		runDir: func(ctx context.Context, e *env, args []string) error {
			bad, failed, err := eachVVG(ctx, e, args, cmdStatus().run)
			return dirResult(e, bad, failed, err, false)
		},
		long: `Prints the essentials the daemon records in the ledger: per mailbox account whether it is
connected, when it was last synced and the last error; outbox depth, oldest unsent mail and
failures; messages by disposition; suggestions per consultation. An ALERT line is printed, and the
exit code is 1, when the mailbox refuses our login or was last synced longer ago than
status.sync_alert_after (while IMAP is enabled); when the SMTP server cannot be reached or
refuses our login (or the OAuth token endpoint refuses us) while mail waits; when the oldest
unsent acknowledgement is older than status.alert_after; when mail failed permanently and was
neither retried nor dismissed (outbox retry/dismiss; older failures stop alerting after
status.failed_alert_for); or when less than status.min_free_mb is free where the ledger is.

With -config-dir DIR and no --vvg: each VVG's status under its "== SLUG" heading, a VVG whose
file does not load as an ALERT; exit 1 when any VVG has an alert.`,
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usagef("status takes no arguments")
			}
			db, err := e.ledger(ctx)
			if err != nil {
				return err
			}
			alerts, err := writeStatus(ctx, e.stdout, e.cfg, db, e.clock())
			if err != nil {
				return err
			}
			if alerts > 0 {
				return fmt.Errorf("%d alert(s)", alerts)
			}
			return nil
		},
	}
}

// statusAlerts lists what needs a person's attention; /readyz and
// /metrics use it too.
func statusAlerts(ctx context.Context, cfg *config.Config, db *ledger.DB) ([]string, error) {
	return db.Alerts(ctx, cfg.AlertRules())
}

func writeStatus(ctx context.Context, out io.Writer, cfg *config.Config, db *ledger.DB, now time.Time) (int, error) {
	loc := cfg.Location()
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	hs, err := db.MailboxHealth(ctx)
	if err != nil {
		return 0, err
	}
	if !cfg.IMAP.Enabled {
		fmt.Fprintf(w, "mailbox\tIMAP disabled in the configuration\n")
	}
	for _, h := range hs {
		last := "never"
		if !h.LastSync.IsZero() {
			last = fmt.Sprintf("%s (%s ago)", h.LastSync.In(loc).Format("2006-01-02 15:04:05"), now.Sub(h.LastSync).Round(time.Second))
		}
		fmt.Fprintf(w, "mailbox %s\tconnected=%v, last sync %s, reconnects %d, auth failing=%v\n", h.Account,
			h.Connected, last, h.Reconnects, h.AuthFailing)
		if h.LastError != "" {
			fmt.Fprintf(w, "  last error\t%s\n", h.LastError)
		}
	}
	st, err := db.OutboxStats(ctx)
	if err != nil {
		return 0, err
	}
	oldest := "–"
	if !st.OldestPending.IsZero() {
		oldest = now.Sub(st.OldestPending).Round(time.Second).String()
	}
	fmt.Fprintf(w, "outbox\t%d pending, %d sending, %d sent, %d failed, %d in doubt; oldest unsent %s\n",
		st.Pending, st.Sending, st.Sent, st.Failed, st.InDoubt, oldest)
	ss, err := db.SMTPHealth(ctx)
	if err != nil {
		return 0, err
	}
	for _, h := range ss {
		if h.Server != cfg.SMTPServer() {
			continue // an old configuration's
		}
		state := "ok"
		switch {
		case h.AuthFailing:
			state = "refuses our login since " + h.FailingSince.In(loc).Format("2006-01-02 15:04:05")
		case !h.Reachable:
			state = "unreachable since " + h.FailingSince.In(loc).Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(w, "smtp %s\t%s\n", h.Server, state)
		if h.Failing() && h.LastError != "" {
			fmt.Fprintf(w, "  last error\t%s\n", h.LastError)
		}
	}
	counts, err := db.MessageCounts(ctx)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(w, "messages")
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(w, "\t%s %d\n", k, counts[k])
	}
	if len(counts) == 0 {
		fmt.Fprintf(w, "\tnone yet\n")
	}
	cs, err := db.Consultations(ctx)
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		t, err := db.Totals(ctx, c.ID)
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(w, "consultation %s\t%s, closes %s: %d suggestions, %d need review, %d late, %d decided, %d answered\n", c.Slug, c.Status,
			deadline(c.ClosesAt, loc), t.Total, t.NeedsReview, t.Late, t.Decided, t.Answered)
	}
	alerts, err := statusAlerts(ctx, cfg, db)
	if err != nil {
		return 0, err
	}
	for _, a := range alerts {
		fmt.Fprintf(w, "ALERT\t%s\n", a)
	}
	if len(alerts) == 0 {
		fmt.Fprintf(w, "ok\tno alerts\n")
	}
	return len(alerts), w.Flush()
}
