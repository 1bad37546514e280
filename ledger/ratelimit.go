package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// rateBucketAge is how long a bucket is kept after it was last spent
// from: any budget of the form's refills within an hour, so a day is
// plenty.
const rateBucketAge = 24 * time.Hour

// RateBucket returns the web form's token bucket of a client (tokens
// left at last); ok is false when none is stored.
func (db *DB) RateBucket(ctx context.Context, key string) (tokens float64, last time.Time, ok bool, err error) {
	var at string
	err = db.r.QueryRowContext(ctx, `SELECT tokens, last FROM rate_limits WHERE key = ?`, key).Scan(&tokens, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, false, nil
	}
	if err != nil {
		return 0, time.Time{}, false, fmt.Errorf("read rate bucket: %w", err)
	}
	last, err = parseTime(at)
	return tokens, last, err == nil, err
}

// SetRateBucket stores a client's bucket, so that a restart does not
// refill it, and forgets buckets not spent from for a day.
func (db *DB) SetRateBucket(ctx context.Context, key string, tokens float64, last time.Time) error {
	return db.tx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rate_limits (key, tokens, last) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, last = excluded.last`,
			key, tokens, fmtTime(last)); err != nil {
			return fmt.Errorf("store rate bucket: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM rate_limits WHERE last < ?`, fmtTime(last.Add(-rateBucketAge))); err != nil {
			return fmt.Errorf("prune rate buckets: %w", err)
		}
		return nil
	})
}
