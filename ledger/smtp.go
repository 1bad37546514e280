package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// SMTPHealth is the outbox sender's last view of the mail server, kept in
// the ledger so that `vvgintake status` (another process) can see it.
type SMTPHealth struct {
	Server      string // host:port
	Reachable   bool
	AuthFailing bool // the server, or the OAuth token endpoint, refuses our credentials
	LastError   string
	// FailingSince is when the current failure began; zero while healthy.
	FailingSince time.Time
	LastOK       time.Time // when the server last accepted a message
	UpdatedAt    time.Time
}

// Failing reports whether the server is unreachable or refuses our login.
func (h SMTPHealth) Failing() bool { return !h.Reachable || h.AuthFailing }

// SetSMTPHealth stores the sender's view of server: failing (why is
// lastError) or healthy. A failure keeps the time it began; success
// clears it.
func (db *DB) SetSMTPHealth(ctx context.Context, server string, reachable, authFailing bool, lastError string) error {
	now := fmtTime(db.now())
	ok := reachable && !authFailing
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO smtp_health (server, reachable, auth_failing, last_error,
				failing_since, last_ok, updated_at)
			VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 THEN NULL ELSE ?6 END, CASE WHEN ?5 THEN ?6 END, ?6)
			ON CONFLICT (server) DO UPDATE SET
			reachable = excluded.reachable, auth_failing = excluded.auth_failing, last_error = excluded.last_error,
			failing_since = CASE WHEN ?5 THEN NULL ELSE coalesce(failing_since, excluded.failing_since) END,
			last_ok = coalesce(excluded.last_ok, last_ok), updated_at = excluded.updated_at`,
			server, reachable, authFailing, lastError, ok, now)
		if err != nil {
			return fmt.Errorf("store smtp health %s: %w", server, err)
		}
		return nil
	})
}

// SMTPHealth lists the stored view of every mail server.
func (db *DB) SMTPHealth(ctx context.Context) ([]SMTPHealth, error) {
	return queryAll(ctx, db.r, "read smtp health", func(r rowScanner) (SMTPHealth, error) {
		var (
			h             SMTPHealth
			since, lastOK sql.NullString
			updated       string
		)
		if err := r.Scan(&h.Server, &h.Reachable, &h.AuthFailing, &h.LastError, &since, &lastOK, &updated); err != nil {
			return h, err
		}
		var ts times
		h.FailingSince, h.LastOK, h.UpdatedAt = ts.maybe(since), ts.maybe(lastOK), ts.at(updated)
		return h, ts.err
	}, `SELECT server, reachable, auth_failing, last_error, failing_since,
		last_ok, updated_at FROM smtp_health ORDER BY server`)
}
