package ledger

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// State returns a named value ("" and ok=false when unset).
func (db *DB) State(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `SELECT value FROM state WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read state %s: %w", key, err)
	}
	return v, true, nil
}

func setState(ctx context.Context, tx *txn, key, value, now string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, now)
	if err != nil {
		return fmt.Errorf("store state %s: %w", key, err)
	}
	return nil
}

// SetState stores a named value.
func (db *DB) SetState(ctx context.Context, key, value string) error {
	return db.tx(ctx, func(tx *txn) error { return setState(ctx, tx, key, value, fmtTime(db.now())) })
}

// randomState returns the state row key: n random bytes in hex, written
// on first use, for the secrets a ledger makes for itself once and keeps
// (its id, the key of the address hash). what names the value in the
// error of a failed read.
func randomState(ctx context.Context, tx *txn, key string, n int, what string) (string, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM state WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		b := make([]byte, n)
		rand.Read(b)
		v = hex.EncodeToString(b)
		return v, setState(ctx, tx, key, v, fmtTime(time.Now()))
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", what, err)
	}
	return v, nil
}
