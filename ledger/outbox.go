package ledger

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Outbox kinds and statuses.
const (
	KindAck      = "ack"
	KindDigest   = "digest"
	KindReport   = "report"
	KindReminder = "reminder"
	KindDecision = "decision" // a decision letter to a resident
	KindResults  = "results"  // the results report to staff and the board

	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// OutboxItem is one mail to send. The sender renders it at send time from
// the rows it refers to, always under the same Message-ID.
type OutboxItem struct {
	ID             int64
	Kind           string
	DedupeKey      string // at most one item per key: "ack:42", "digest:2026-11-23", ...
	SubmissionID   int64
	ConsultationID int64
	Recipients     []string
	MessageID      string // without <>
	Payload        string // JSON parameters for the renderer
	Status         string
	InDoubt        bool // a previous attempt may have reached the server; a copy may exist
	Attempts       int
	NextAttemptAt  time.Time
	LastError      string
	CreatedAt      time.Time
	SentAt         time.Time
	// FailedAt is when the item last failed for good; zero otherwise.
	FailedAt time.Time
	// DismissedAt is when staff dismissed its failure (outbox dismiss):
	// it no longer alerts. Zero otherwise.
	DismissedAt time.Time
}

func (db *DB) newMessageID(kind string) string {
	var b [8]byte
	rand.Read(b[:])
	domain := db.opt.MessageIDDomain
	if domain == "" {
		domain = "vvgintake.invalid"
	}
	return fmt.Sprintf("vvgintake.%s.%s@%s", kind, hex.EncodeToString(b[:]), domain)
}

// Enqueue adds an item unless one with the same dedupe key exists. It
// reports whether a new row was written.
func (db *DB) Enqueue(ctx context.Context, it *OutboxItem) (bool, error) {
	var created bool
	err := db.tx(ctx, func(tx *txn) error {
		var err error
		created, err = db.enqueue(ctx, tx, it, db.now())
		return err
	})
	return created, err
}

func (db *DB) enqueue(ctx context.Context, tx *txn, it *OutboxItem, now time.Time) (bool, error) {
	if len(it.Recipients) == 0 {
		return false, fmt.Errorf("enqueue %s: no recipients", it.Kind)
	}
	if it.MessageID == "" {
		it.MessageID = db.newMessageID(it.Kind)
	}
	if it.Payload == "" {
		it.Payload = "{}"
	}
	if it.NextAttemptAt.IsZero() {
		it.NextAttemptAt = now
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO outbox (kind, dedupe_key, submission_id, consultation_id, recipients, message_id,
			payload, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (dedupe_key) DO NOTHING`,
		it.Kind, it.DedupeKey, nullID(it.SubmissionID), nullID(it.ConsultationID),
		strings.Join(it.Recipients, ", "), it.MessageID, it.Payload, fmtTime(it.NextAttemptAt), fmtTime(now))
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", it.DedupeKey, err)
	}
	n, _ := res.RowsAffected()
	if n == 1 {
		it.ID, _ = res.LastInsertId()
		it.Status = OutboxPending
		it.CreatedAt = now
	}
	return n == 1, nil
}

// enqueueAck queues the one acknowledgement a case may ever get, unless
// the per-sender limit (ackAllowed) says the sender has had enough.
func (db *DB) enqueueAck(ctx context.Context, tx *txn, subID, consID int64, req *AckRequest, now time.Time) (bool, error) {
	k := ackKeysOf(*req)
	if ok, err := ackAllowed(ctx, tx, k, req.MaxPerDay, now, nil); err != nil || !ok {
		return false, err
	}
	it := &OutboxItem{Kind: KindAck, DedupeKey: fmt.Sprintf("ack:%d", subID), SubmissionID: subID,
		ConsultationID: consID, Recipients: []string{k.to}}
	created, err := db.enqueue(ctx, tx, it, now)
	if err != nil || !created {
		return created, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET ack_from = ?, ack_domain = ? WHERE id = ?`, k.from, k.ticket, it.ID); err != nil {
		return false, fmt.Errorf("enqueue %s: %w", it.DedupeKey, err)
	}
	return true, nil
}

// AckAllowed reports whether one more acknowledgement may go as req asks
// at the given time, counting besides those in the outbox the ones in
// pending, which the caller would queue first (`import --dry-run`
// records nothing, so it passes its own). It is the rule enqueueAck
// applies.
func (db *DB) AckAllowed(ctx context.Context, req AckRequest, at time.Time, pending []AckRequest) (bool, error) {
	return ackAllowed(ctx, db.r, ackKeysOf(req), req.MaxPerDay, at, pending)
}

// ackKeys are what the per-sender limit counts by: the recipient, the
// message's From, and for a tagged recipient (a +tag, a ticket number, a
// token: reply+8123@desk.example) its shape at its domain
// ("reply+#@desk.example").
type ackKeys struct{ to, from, ticket string }

func ackKeysOf(req AckRequest) ackKeys {
	to := strings.ToLower(strings.TrimSpace(req.To))
	from := strings.ToLower(strings.TrimSpace(req.From))
	if from == "" {
		from = to
	}
	return ackKeys{to: to, from: from, ticket: ticketKey(to)}
}

// ackAllowed is the per-sender limit: at most maxPerDay acknowledgements
// (0: no limit) in the 24 hours before at to one address, for one From
// address, or to one tagged address's shape. An autoresponder that
// answers each acknowledgement would otherwise get one back every time;
// one that answers from a new per-ticket address each time, or puts its
// ticket address in Reply-To under a fixed From, is still one sender. The
// limit is what ends such a loop.
// ackCountQuery counts the acknowledgements of the last day by each key.
// The "<> ”" terms repeat the partial indexes' conditions (0007): SQLite
// uses a partial index only when the query implies its WHERE clause, which
// a bound "= ?" alone does not, and without them every message scanned
// all acknowledgements ever sent (10,000 messages took 9 times as long).
const ackCountQuery = `SELECT
	(SELECT count(*) FROM outbox WHERE kind = 'ack' AND recipients = ? AND created_at > ?),
	(SELECT count(*) FROM outbox WHERE kind = 'ack' AND ack_from = ? AND ack_from <> '' AND created_at > ?),
	(SELECT count(*) FROM outbox WHERE kind = 'ack' AND ack_domain = ? AND ack_domain <> '' AND created_at > ?)`

func ackAllowed(ctx context.Context, q querier, k ackKeys, maxPerDay int, at time.Time, pending []AckRequest) (bool, error) {
	if maxPerDay <= 0 {
		return true, nil
	}
	since := fmtTime(at.Add(-24 * time.Hour))
	var byTo, byFrom, byTicket int
	err := q.QueryRowContext(ctx, ackCountQuery, k.to, since, k.from, since, k.ticket, since).Scan(&byTo, &byFrom, &byTicket)
	if err != nil {
		return false, fmt.Errorf("count acknowledgements to %s: %w", k.to, err)
	}
	for _, p := range pending {
		pk := ackKeysOf(p)
		if pk.to == k.to {
			byTo++
		}
		if pk.from == k.from {
			byFrom++
		}
		if k.ticket != "" && pk.ticket == k.ticket {
			byTicket++
		}
	}
	return max(byTo, byFrom, byTicket) < maxPerDay, nil
}

// ticketKey returns the shape of a tagged address, "" for a plain one:
// the local part with its +tag, digit runs of four or more and long
// letter-and-digit tokens replaced by "#", at the domain. A resident's
// own jonas+vvg@gmail.com keys as jonas+#@gmail.com, so residents of one
// big provider never share a budget; a help desk's reply+8123@ and
// reply+8124@ share one.
func ticketKey(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || domain == "" {
		return ""
	}
	shape, tagged := local, false
	if base, _, ok := strings.Cut(local, "+"); ok {
		shape, tagged = base+"+#", true
	}
	var b strings.Builder
	for _, part := range splitKeep(shape, "-_.=") {
		if t := ticketToken(part); t != part {
			b.WriteString(t)
			tagged = true
			continue
		}
		b.WriteString(part)
	}
	if !tagged {
		return ""
	}
	return b.String() + "@" + domain
}

// ticketToken returns a part of a local part with what names a ticket or
// a message rather than a person replaced by "#": a token that looks
// generated (twelve or more hexadecimal digits, or letters and digits
// alternating four times or more) as a whole, else each run of four or
// more digits ("ona1987" keys as "ona#", so two Onas born in other years
// share a budget, not everyone with a year in the address). A name with
// a number, "petraitiene582", is a person's and stays.
func ticketToken(s string) string {
	hex, switches, prevDigit := true, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		digit := c >= '0' && c <= '9'
		if !digit && !(c >= 'a' && c <= 'f') {
			hex = false
		}
		if i > 0 && digit != prevDigit {
			switches++
		}
		prevDigit = digit
	}
	if len(s) >= 12 && (hex || switches >= 4) {
		return "#"
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j-i >= 4 {
			b.WriteByte('#')
			i = j
			continue
		}
		if j > i {
			b.WriteString(s[i:j])
			i = j
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// splitKeep splits s after each separator, keeping the separators.
func splitKeep(s, seps string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(seps, s[i]) >= 0 {
			out = append(out, s[start:i], s[i:i+1])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

const outboxCols = `id, kind, dedupe_key, submission_id, consultation_id, recipients, message_id, payload,
	status, in_doubt, attempts, next_attempt_at, last_error, created_at, sent_at, failed_at, dismissed_at`

func scanOutbox(row interface{ Scan(...any) error }) (*OutboxItem, error) {
	var (
		it                 OutboxItem
		sub, cons          sql.NullInt64
		rcpt, next, creat  string
		sent, failed, dism sql.NullString
	)
	err := row.Scan(&it.ID, &it.Kind, &it.DedupeKey, &sub, &cons, &rcpt, &it.MessageID, &it.Payload,
		&it.Status, &it.InDoubt, &it.Attempts, &next, &it.LastError, &creat, &sent, &failed, &dism)
	if err != nil {
		return nil, err
	}
	it.SubmissionID, it.ConsultationID = sub.Int64, cons.Int64
	it.Recipients = splitList(rcpt, ", ")
	var ts times
	it.NextAttemptAt, it.CreatedAt = ts.at(next), ts.at(creat)
	it.SentAt, it.FailedAt, it.DismissedAt = ts.maybe(sent), ts.maybe(failed), ts.maybe(dism)
	if ts.err != nil {
		return nil, ts.err
	}
	return &it, nil
}

// OutboxItemByID returns one outbox item.
func (db *DB) OutboxItemByID(ctx context.Context, id int64) (*OutboxItem, error) {
	it, err := scanOutbox(db.r.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE id = ?`, id))
	if err != nil {
		return nil, rowErr(err, "get", "outbox item %d", id)
	}
	return it, nil
}

// OutboxByMessageID finds the item sent under a Message-ID (without <>),
// for matching a resident's reply to our acknowledgement.
func (db *DB) OutboxByMessageID(ctx context.Context, msgID string) (*OutboxItem, error) {
	it, err := scanOutbox(db.r.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE message_id = ?`, msgID))
	if err != nil {
		return nil, rowErr(err, "find", "outbox message %s", msgID)
	}
	return it, nil
}

// ListOutbox lists items, newest first; status "" means all.
func (db *DB) ListOutbox(ctx context.Context, status string, limit int) ([]*OutboxItem, error) {
	return queryAll(ctx, db.r, "list outbox", scanOutbox, `SELECT `+outboxCols+` FROM outbox
		WHERE ? = '' OR status = ? ORDER BY id DESC LIMIT ?`, status, status, sqlLimit(limit))
}

// NextDue returns the pending item due earliest, if it is due at now.
// ErrNotFound means nothing is due; next is then the time of the next
// attempt (zero when the outbox is empty).
func (db *DB) NextDue(ctx context.Context, now time.Time) (it *OutboxItem, next time.Time, err error) {
	it, err = scanOutbox(db.r.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM outbox
		WHERE status = 'pending' ORDER BY next_attempt_at, id LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, ErrNotFound
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("find due outbox item: %w", err)
	}
	if it.NextAttemptAt.After(now) {
		return nil, it.NextAttemptAt, ErrNotFound
	}
	return it, it.NextAttemptAt, nil
}

// Claim marks an item as being sent, before the SMTP transaction starts.
// If the process dies before MarkSent, the item is found in "sending" at
// the next start and retried as in doubt: the server may have accepted it.
func (db *DB) Claim(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sending', attempts = attempts + 1
			WHERE id = ? AND status = 'pending'`, id)
		if err != nil {
			return fmt.Errorf("claim outbox item %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("claim outbox item %d: %w", id, ErrState)
		}
		return nil
	})
}

// MarkSent records that the server accepted the item. A decision letter
// accepted answers its suggestion (answered_at), in the same
// transaction.
func (db *DB) MarkSent(ctx context.Context, id int64) error {
	now := fmtTime(db.now())
	return db.tx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '' WHERE id = ?`, now, id)
		if err != nil {
			return fmt.Errorf("update outbox item %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("outbox item %d: %w", id, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET answered_at = ?1 WHERE answered_at IS NULL
			AND id = (SELECT submission_id FROM outbox WHERE id = ?2 AND kind = 'decision')`, now, id); err != nil {
			return fmt.Errorf("mark the suggestion of outbox item %d answered: %w", id, err)
		}
		return nil
	})
}

// MarkRetry puts the item back in the queue after a temporary failure.
func (db *DB) MarkRetry(ctx context.Context, id int64, errText string, next time.Time) error {
	return db.setOutbox(ctx, id, `status = 'pending', last_error = ?, next_attempt_at = ?`, errText, fmtTime(next))
}

// MarkRetryInDoubt puts the item back after a failure that may have come
// after the server accepted it (connection lost after the final dot): a
// copy may exist, so the item is flagged in doubt.
func (db *DB) MarkRetryInDoubt(ctx context.Context, id int64, errText string, next time.Time) error {
	return db.setOutbox(ctx, id, `status = 'pending', in_doubt = 1, last_error = ?, next_attempt_at = ?`, errText, fmtTime(next))
}

// MarkFailed records a permanent failure with the server's answer, for
// staff. It alerts from now until staff retry or dismiss it, or it ages
// out (AlertRules.FailedAlertFor).
func (db *DB) MarkFailed(ctx context.Context, id int64, errText string) error {
	return db.setOutbox(ctx, id, `status = 'failed', last_error = ?, failed_at = ?, dismissed_at = NULL`, errText, fmtTime(db.now()))
}

func (db *DB) setOutbox(ctx context.Context, id int64, set string, args ...any) error {
	return db.tx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET `+set+` WHERE id = ?`, append(args, id)...)
		if err != nil {
			return fmt.Errorf("update outbox item %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("outbox item %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// RecoverOutbox runs at start: items left in "sending" by a crash are put
// back in the queue and marked in doubt. They are sent again under the
// same Message-ID, so a duplicate, if any, is recognisable.
func (db *DB) RecoverOutbox(ctx context.Context) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', in_doubt = 1 WHERE status = 'sending'`)
		if err != nil {
			return fmt.Errorf("recover outbox: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// RetryOutbox puts a failed item back in the queue now (staff action).
func (db *DB) RetryOutbox(ctx context.Context, id int64, actor string) error {
	now := db.now()
	return db.tx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', next_attempt_at = ?,
			failed_at = NULL, dismissed_at = NULL
			WHERE id = ? AND status IN ('failed', 'pending')`, fmtTime(now), id)
		if err != nil {
			return fmt.Errorf("retry outbox item %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := db.OutboxItemByID(ctx, id); err != nil {
				return err
			}
			return fmt.Errorf("outbox item %d was already sent: %w", id, ErrState)
		}
		return audit(ctx, tx, now, actor, "outbox.retry", fmt.Sprint(id), "")
	})
}

// DismissOutbox acknowledges a failed item (staff action): staff have
// seen it and dealt with it otherwise, so it stops alerting. It stays
// failed and listed.
func (db *DB) DismissOutbox(ctx context.Context, id int64, actor string) error {
	now := db.now()
	return db.tx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET dismissed_at = ? WHERE id = ? AND status = 'failed'`, fmtTime(now), id)
		if err != nil {
			return fmt.Errorf("dismiss outbox item %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			it, err := db.OutboxItemByID(ctx, id)
			if err != nil {
				return err
			}
			return fmt.Errorf("outbox item %d is %s, not failed: %w", id, it.Status, ErrState)
		}
		return audit(ctx, tx, now, actor, "outbox.dismiss", fmt.Sprint(id), "")
	})
}

// OutboxStats summarises the queue for metrics and status.
type OutboxStats struct {
	Pending, Sending, Sent, Failed, InDoubt int
	OldestPending                           time.Time
	// OldestAck is when the oldest acknowledgement not yet sent was
	// queued; zero when none waits.
	OldestAck time.Time
}

// Stats counts outbox items by status.
func (db *DB) OutboxStats(ctx context.Context) (OutboxStats, error) {
	var (
		s         OutboxStats
		oldest    sql.NullString
		oldestAck sql.NullString
	)
	err := db.r.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE status = 'pending'),
		count(*) FILTER (WHERE status = 'sending'),
		count(*) FILTER (WHERE status = 'sent'),
		count(*) FILTER (WHERE status = 'failed'),
		count(*) FILTER (WHERE in_doubt = 1),
		min(created_at) FILTER (WHERE status IN ('pending', 'sending')),
		min(created_at) FILTER (WHERE status IN ('pending', 'sending') AND kind = 'ack')
		FROM outbox`).Scan(&s.Pending, &s.Sending, &s.Sent, &s.Failed, &s.InDoubt, &oldest, &oldestAck)
	if err != nil {
		return s, fmt.Errorf("count outbox: %w", err)
	}
	if s.OldestPending, err = parseNullTime(oldest); err != nil {
		return s, err
	}
	s.OldestAck, err = parseNullTime(oldestAck)
	return s, err
}

// AddressKnown reports whether addr wrote to us or was answered by us
// before submission subID: an earlier suggestion from it, or an earlier
// acknowledgement sent to it. Acknowledgements to an address never seen
// before quote less (notify).
func (db *DB) AddressKnown(ctx context.Context, addr string, subID int64) (bool, error) {
	addr = strings.ToLower(strings.TrimSpace(addr))
	var known bool
	err := db.r.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM submissions WHERE sender_email = ?1 AND id < ?2)
		OR EXISTS (SELECT 1 FROM outbox WHERE kind = 'ack' AND recipients = ?1 AND status = 'sent' AND submission_id < ?2)`,
		addr, subID).Scan(&known)
	if err != nil {
		return false, fmt.Errorf("look up address %s: %w", addr, err)
	}
	return known, nil
}
