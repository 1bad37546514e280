package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// MailboxState is how far one IMAP folder has been read.
type MailboxState struct {
	UIDValidity uint32
	LastUID     uint32
}

// MailboxState returns the stored state of a folder (zero when new).
func (db *DB) MailboxState(ctx context.Context, account, folder string) (MailboxState, error) {
	var st MailboxState
	err := db.r.QueryRowContext(ctx, `SELECT uidvalidity, last_uid FROM mailboxes WHERE account = ? AND folder = ?`,
		account, folder).Scan(&st.UIDValidity, &st.LastUID)
	if errors.Is(err, sql.ErrNoRows) {
		return MailboxState{}, nil
	}
	if err != nil {
		return st, fmt.Errorf("read mailbox state %s/%s: %w", account, folder, err)
	}
	return st, nil
}

// SetMailboxState stores how far a folder has been read.
func (db *DB) SetMailboxState(ctx context.Context, account, folder string, st MailboxState) error {
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO mailboxes (account, folder, uidvalidity, last_uid, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, folder) DO UPDATE SET
			uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
			account, folder, st.UIDValidity, st.LastUID, fmtTime(db.now()))
		if err != nil {
			return fmt.Errorf("store mailbox state %s/%s: %w", account, folder, err)
		}
		return nil
	})
}

// MailboxHealth is the last known state of the mailbox connection, kept
// in the ledger so that `vvgintake status` (another process) can see it.
type MailboxHealth struct {
	Account     string
	Connected   bool
	LastSync    time.Time
	LastError   string
	AuthFailing bool
	Reconnects  int64
	UpdatedAt   time.Time
}

// SetMailboxHealth stores the connection health of an account.
func (db *DB) SetMailboxHealth(ctx context.Context, h MailboxHealth) error {
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO mailbox_health (account, connected, last_sync, last_error,
				auth_failing, reconnects, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account) DO UPDATE SET
			connected = excluded.connected, last_sync = coalesce(excluded.last_sync, last_sync),
			last_error = excluded.last_error, auth_failing = excluded.auth_failing,
			reconnects = excluded.reconnects, updated_at = excluded.updated_at`,
			h.Account, h.Connected, nullTime(h.LastSync), h.LastError, h.AuthFailing, h.Reconnects, fmtTime(db.now()))
		if err != nil {
			return fmt.Errorf("store mailbox health %s: %w", h.Account, err)
		}
		return nil
	})
}

// MailboxHealth lists the stored health of every account.
func (db *DB) MailboxHealth(ctx context.Context) ([]MailboxHealth, error) {
	return queryAll(ctx, db.r, "read mailbox health", func(r rowScanner) (MailboxHealth, error) {
		var (
			h       MailboxHealth
			last    sql.NullString
			updated string
		)
		err := r.Scan(&h.Account, &h.Connected, &last, &h.LastError, &h.AuthFailing, &h.Reconnects, &updated)
		if err != nil {
			return h, err
		}
		if h.LastSync, err = parseNullTime(last); err != nil {
			return h, err
		}
		h.UpdatedAt, err = parseTime(updated)
		return h, err
	}, `SELECT account, connected, last_sync, last_error, auth_failing,
		reconnects, updated_at FROM mailbox_health ORDER BY account`)
}

// PruneHealth forgets the health of mailbox accounts and mail servers no
// longer configured (keep lists the accounts, server the SMTP server, ""
// when none): an account removed from the configuration must not alert
// for ever. It returns how many rows went.
func (db *DB) PruneHealth(ctx context.Context, keep []string, server string) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx *txn) error {
		// Few rows: read them and delete by key rather than build an IN list.
		accounts, err := queryAll(ctx, tx, "prune mailbox health", scanOne[string], `SELECT account FROM mailbox_health`)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if slices.Contains(keep, a) {
				continue
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM mailbox_health WHERE account = ?`, a)
			if err != nil {
				return fmt.Errorf("prune mailbox health %s: %w", a, err)
			}
			d, _ := res.RowsAffected()
			n += d
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM smtp_health WHERE server <> ?`, server)
		if err != nil {
			return fmt.Errorf("prune smtp health: %w", err)
		}
		d, _ := res.RowsAffected()
		n += d
		return nil
	})
	return int(n), err
}
