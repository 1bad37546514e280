package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LoadRefreshToken returns the OAuth refresh token stored under key (the
// token endpoint rotated to it), "" when none is. The ledger is the
// mailbox package's TokenStore: one file, already private and backed up.
func (db *DB) LoadRefreshToken(ctx context.Context, key string) (string, error) {
	var tok string
	err := db.r.QueryRowContext(ctx, `SELECT refresh_token FROM oauth_tokens WHERE key = ?`, key).Scan(&tok)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read oauth refresh token: %w", err)
	}
	return tok, nil
}

// SaveRefreshToken stores the refresh token the endpoint rotated to, in
// a committed transaction before it is used (RFC 6749 §6: the old one
// may already be revoked).
func (db *DB) SaveRefreshToken(ctx context.Context, key, token string) error {
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO oauth_tokens (key, refresh_token, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET refresh_token = excluded.refresh_token, updated_at = excluded.updated_at`,
			key, token, fmtTime(db.now()))
		if err != nil {
			return fmt.Errorf("store oauth refresh token: %w", err)
		}
		return nil
	})
}
