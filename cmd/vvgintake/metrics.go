package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/ledger"
)

// metrics keeps the daemon's counters and renders them in the Prometheus
// text exposition format (version 0.0.4). Hand-written: a dozen series do
// not justify the client library's dependency tree.
type metrics struct {
	mu          sync.Mutex
	messages    map[string]float64 // by disposition
	submissions map[string]float64 // by measure
	sent        map[string]float64 // outbox results by kind and outcome
	confBuckets []float64          // upper bounds
	confCounts  []float64
	confSum     float64
	confN       float64
	health      map[string]mailbox.Health
	db          *ledger.DB
	now         func() time.Time
	rules       ledger.AlertRules // what `status` alerts on
	smtpServer  string            // host:port, "" when SMTP is off
}

func newMetrics(db *ledger.DB, now func() time.Time, rules ledger.AlertRules, smtpServer string) *metrics {
	b := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	return &metrics{messages: map[string]float64{}, submissions: map[string]float64{}, sent: map[string]float64{},
		confBuckets: b, confCounts: make([]float64, len(b)), health: map[string]mailbox.Health{}, db: db, now: now,
		rules: rules, smtpServer: smtpServer}
}

// MessageRecorded counts an inbound message (intake.Observer).
func (m *metrics) MessageRecorded(disposition mailparse.Kind) {
	m.mu.Lock()
	m.messages[string(disposition)]++
	m.mu.Unlock()
}

// SubmissionRecorded counts a suggestion and its confidence (intake.Observer).
func (m *metrics) SubmissionRecorded(measure string, confidence float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.submissions[measure]++
	m.confSum += confidence
	m.confN++
	for i, b := range m.confBuckets {
		if confidence <= b {
			m.confCounts[i]++
		}
	}
}

func (m *metrics) outboxResult(kind string, ok bool) {
	outcome := "sent"
	if !ok {
		outcome = "failed"
	}
	m.mu.Lock()
	m.sent[kind+"\x00"+outcome]++
	m.mu.Unlock()
}

func (m *metrics) setHealth(account string, h mailbox.Health) {
	m.mu.Lock()
	m.health[account] = h
	m.mu.Unlock()
}

// ServeHTTP writes every series.
func (m *metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	if err := m.write(r.Context(), w); err != nil {
		fmt.Fprintf(w, "# error: %v\n", err)
	}
}

func (m *metrics) write(ctx context.Context, w io.Writer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	family := func(name, typ, help string) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
	}
	family("vvgintake_messages_total", "counter", "Inbound messages recorded, by disposition.")
	for _, k := range slices.Sorted(maps.Keys(m.messages)) {
		fmt.Fprintf(w, "vvgintake_messages_total{disposition=%q} %g\n", k, m.messages[k])
	}
	family("vvgintake_submissions_total", "counter", "Suggestions recorded (mail and form), by measure.")
	for _, k := range slices.Sorted(maps.Keys(m.submissions)) {
		fmt.Fprintf(w, "vvgintake_submissions_total{measure=%q} %g\n", k, m.submissions[k])
	}
	family("vvgintake_outbox_results_total", "counter", "Outbox send results by kind (ack, digest, report, reminder) and outcome.")
	for _, k := range slices.Sorted(maps.Keys(m.sent)) {
		kind, outcome, _ := strings.Cut(k, "\x00")
		fmt.Fprintf(w, "vvgintake_outbox_results_total{kind=%q,outcome=%q} %g\n", kind, outcome, m.sent[k])
	}
	family("vvgintake_classification_confidence", "histogram", "Confidence of automatic classifications.")
	for i, b := range m.confBuckets {
		fmt.Fprintf(w, "vvgintake_classification_confidence_bucket{le=\"%g\"} %g\n", b, m.confCounts[i])
	}
	fmt.Fprintf(w, "vvgintake_classification_confidence_bucket{le=\"+Inf\"} %g\n", m.confN)
	fmt.Fprintf(w, "vvgintake_classification_confidence_sum %g\nvvgintake_classification_confidence_count %g\n", m.confSum, m.confN)
	family("vvgintake_imap_reconnects_total", "counter", "IMAP connections made after the first.")
	family("vvgintake_imap_last_sync_timestamp_seconds", "gauge", "When the mailbox was last fully synced.")
	family("vvgintake_imap_auth_failing", "gauge", "1 while the mail server refuses our credentials.")
	family("vvgintake_imap_connected", "gauge", "1 while connected to the mail server.")
	for _, a := range slices.Sorted(maps.Keys(m.health)) {
		h := m.health[a]
		fmt.Fprintf(w, "vvgintake_imap_reconnects_total{account=%q} %d\n", a, h.Reconnects)
		if !h.LastSync.IsZero() {
			fmt.Fprintf(w, "vvgintake_imap_last_sync_timestamp_seconds{account=%q} %d\n", a, h.LastSync.Unix())
		}
		fmt.Fprintf(w, "vvgintake_imap_auth_failing{account=%q} %d\n", a, b2i(h.AuthFailing))
		fmt.Fprintf(w, "vvgintake_imap_connected{account=%q} %d\n", a, b2i(h.Connected))
	}
	st, err := m.db.OutboxStats(ctx)
	if err != nil {
		return err
	}
	family("vvgintake_outbox_depth", "gauge", "Mail waiting to be sent.")
	fmt.Fprintf(w, "vvgintake_outbox_depth %d\n", st.Pending+st.Sending)
	family("vvgintake_outbox_failed", "gauge", "Mail that failed permanently (see `vvgintake outbox`).")
	fmt.Fprintf(w, "vvgintake_outbox_failed %d\n", st.Failed)
	family("vvgintake_outbox_oldest_age_seconds", "gauge", "Age of the oldest unsent mail.")
	age := 0.0
	if !st.OldestPending.IsZero() {
		age = m.now().Sub(st.OldestPending).Seconds()
	}
	fmt.Fprintf(w, "vvgintake_outbox_oldest_age_seconds %.0f\n", age)
	family("vvgintake_ack_oldest_unsent_age_seconds", "gauge", "Age of the oldest acknowledgement not yet sent.")
	age = 0
	if !st.OldestAck.IsZero() {
		age = m.now().Sub(st.OldestAck).Seconds()
	}
	fmt.Fprintf(w, "vvgintake_ack_oldest_unsent_age_seconds %.0f\n", age)
	if m.smtpServer != "" {
		hs, err := m.db.SMTPHealth(ctx)
		if err != nil {
			return err
		}
		up, auth := 1, 0
		for _, h := range hs {
			if h.Server == m.smtpServer {
				up, auth = b2i(h.Reachable), b2i(h.AuthFailing)
			}
		}
		family("vvgintake_smtp_up", "gauge", "0 while the SMTP server cannot be reached (as the outbox last found it).")
		fmt.Fprintf(w, "vvgintake_smtp_up{server=%q} %d\n", m.smtpServer, up)
		family("vvgintake_smtp_auth_failing", "gauge", "1 while the SMTP server or the OAuth token endpoint refuses our login.")
		fmt.Fprintf(w, "vvgintake_smtp_auth_failing{server=%q} %d\n", m.smtpServer, auth)
	}
	alerts, err := m.db.Alerts(ctx, m.rules)
	if err != nil {
		return err
	}
	family("vvgintake_alerts", "gauge", "Alerts raised now (the ALERT lines of `vvgintake status`); 0 when all is well.")
	fmt.Fprintf(w, "vvgintake_alerts %d\n", len(alerts))
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
