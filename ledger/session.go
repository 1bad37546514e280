package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a logged-in browser, known by the digest of its cookie.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string
	Pending   bool // the password was right; the second factor is still due
	CreatedAt time.Time
	SeenAt    time.Time
}

// CreateSession records a new session (at login).
func (db *DB) CreateSession(ctx context.Context, s *Session) error {
	now := db.now()
	s.CreatedAt, s.SeenAt = now, now
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, pending, created_at, seen_at)
			VALUES (?, ?, ?, ?, ?, ?)`, s.TokenHash, s.UserID, s.CSRF, s.Pending, fmtTime(now), fmtTime(now))
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
}

// SessionByHash returns the session with this token digest.
func (db *DB) SessionByHash(ctx context.Context, hash string) (*Session, error) {
	var (
		s             Session
		created, seen string
	)
	err := db.r.QueryRowContext(ctx, `SELECT token_hash, user_id, csrf, pending, created_at, seen_at
		FROM sessions WHERE token_hash = ?`, hash).Scan(&s.TokenHash, &s.UserID, &s.CSRF, &s.Pending, &created, &seen)
	if err != nil {
		return nil, rowErr(err, "get", "session")
	}
	var ts times
	s.CreatedAt, s.SeenAt = ts.at(created), ts.at(seen)
	return &s, ts.err
}

// TouchSession notes that the session was used now (the idle timeout
// counts from it).
func (db *DB) TouchSession(ctx context.Context, hash string) error {
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET seen_at = ? WHERE token_hash = ?`, fmtTime(db.now()), hash)
		return err
	})
}

// CompleteSession marks the second factor as given.
func (db *DB) CompleteSession(ctx context.Context, hash string) error {
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET pending = 0, seen_at = ? WHERE token_hash = ?`, fmtTime(db.now()), hash)
		return err
	})
}

// DeleteSession ends a session (logout, timeout).
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash)
		return err
	})
}

// ExpireSessions deletes sessions idle since before idleBefore or
// created before createdBefore.
func (db *DB) ExpireSessions(ctx context.Context, idleBefore, createdBefore time.Time) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE seen_at < ? OR created_at < ?`,
			fmtTime(idleBefore), fmtTime(createdBefore))
		if err != nil {
			return fmt.Errorf("expire sessions: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// LoginLock says whether logins under key ("user:…", "ip:…") are held
// back, and until when.
func (db *DB) LoginLock(ctx context.Context, key string) (time.Time, error) {
	var until sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE key = ?`, key).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read login throttle: %w", err)
	}
	t, err := parseNullTime(until)
	if err != nil || !t.After(db.now()) {
		return time.Time{}, err
	}
	return t, nil
}

// LoginFailed counts a failed login under each key. When a key reaches
// its limit in a row, logins under it are held back for lock and the
// count starts again (so the next failures lock it again).
func (db *DB) LoginFailed(ctx context.Context, keys map[string]int, lock time.Duration) error {
	now := db.now()
	return db.tx(ctx, func(tx *txn) error {
		for key, limit := range keys {
			var n int
			err := tx.QueryRowContext(ctx, `INSERT INTO login_failures (key, failures, last_at) VALUES (?, 1, ?)
				ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last_at = excluded.last_at
				RETURNING failures`, key, fmtTime(now)).Scan(&n)
			if err != nil {
				return fmt.Errorf("count failed login: %w", err)
			}
			if n >= limit {
				if _, err := tx.ExecContext(ctx, `UPDATE login_failures SET failures = 0, locked_until = ? WHERE key = ?`,
					fmtTime(now.Add(lock)), key); err != nil {
					return fmt.Errorf("hold back logins: %w", err)
				}
			}
		}
		return nil
	})
}

// LoginSucceeded clears the count of failures under key.
func (db *DB) LoginSucceeded(ctx context.Context, key string) error {
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
		return err
	})
}
