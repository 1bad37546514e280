package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// vacuumDueState is set (by the privacy migration) on a ledger that held data
// before secure_delete was on: its free pages may still hold deleted
// content, so the first erasure rewrites the file once.
const vacuumDueState = "privacy.vacuum_due"

// ErrBusy means another process kept reading an old snapshot of the
// ledger, so the write-ahead log could not be emptied yet; the next
// attempt (the next run of the erasure) finishes it.
var ErrBusy = errors.New("the ledger is busy: another process is reading it")

// compactTries and compactWait bound how long Compact waits for readers
// of an older snapshot (another vvgintake process in a long read) to
// finish, beyond SQLite's own busy timeout.
const (
	compactTries = 5
	compactWait  = 200 * time.Millisecond
)

// Compact takes deleted content out of the ledger's files. secure_delete
// has zeroed it in the database's pages, but until a checkpoint those
// zeroed pages are only in the write-ahead log, the file keeps the old
// ones, and the log keeps older frames with the content as it was
// written. A TRUNCATE checkpoint copies every frame into the file and
// empties the log (https://sqlite.org/pragma.html#pragma_wal_checkpoint).
// A ledger upgraded from before the privacy migration is rewritten once first
// (VACUUM), for the free pages deleted before secure_delete was on.
// ErrBusy means a reader in another process kept the log from being
// emptied.
//
// Under Litestream (CheckpointLitestream) the log is left to Litestream:
// it holds a read transaction open at all times, so a TRUNCATE here would
// hold the write lock for the whole busy timeout and still fail, and one
// that got through would restart the log behind its back (checkpoint.go).
// Litestream's own checkpoints copy the zeroed pages into the file within
// a minute; the replica keeps the old pages until its retention passes
// (README, "Records off the machine").
func (db *DB) Compact(ctx context.Context) error {
	if _, due, err := db.State(ctx, vacuumDueState); err != nil {
		return err
	} else if due {
		start := time.Now()
		// VACUUM cannot run in a transaction; the writer pool has one
		// connection, so nothing else writes meanwhile.
		if _, err := db.w.ExecContext(ctx, `VACUUM`); err != nil {
			return fmt.Errorf("compact the ledger: %w", err)
		}
		if _, err := db.w.ExecContext(ctx, `DELETE FROM state WHERE key = ?`, vacuumDueState); err != nil {
			return fmt.Errorf("compact the ledger: %w", err)
		}
		db.opt.Logger.Info("ledger rewritten once so that no free page keeps deleted content",
			"took", time.Since(start).Round(time.Millisecond))
	}
	if db.opt.Checkpoints == CheckpointLitestream {
		return nil
	}
	for try := 1; ; try++ {
		var busy, logFrames, done int
		err := db.w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done)
		var se *sqlite.Error
		switch {
		case errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY:
			// Another connection is checkpointing (the background
			// checkpointer, another process): wait and try again.
			busy = 1
		case err != nil:
			return fmt.Errorf("checkpoint the ledger: %w", err)
		}
		if busy == 0 {
			return nil
		}
		if try == compactTries {
			return fmt.Errorf("checkpoint the ledger: %d of %d log frames copied: %w", done, logFrames, ErrBusy)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(compactWait):
		}
	}
}
