package ledger

import (
	"context"
	"database/sql"
	"log/slog"
	"time"
)

// Checkpoints. In WAL mode a commit appends pages to the write-ahead log,
// and a checkpoint copies them into the database file and syncs it. By
// default SQLite has the writer do that itself every 1,000 pages, inside
// the commit that crosses the line: while mail is coming in, a fifth of the
// writer's time went to copying and syncing. Here a goroutine with its own
// connection checkpoints after commits instead, beside the writer (SQLite
// lets one checkpoint run while one transaction writes). The writer still
// checkpoints on its own once the log reaches walBackstop pages, so the log
// stays bounded if this goroutine ever falls behind.
const (
	// walBackstop is the writer's own wal_autocheckpoint, in pages: 32 MiB
	// of log with a new ledger's pages (pageSize), 16 MiB with the 4 KiB
	// pages of a ledger created before.
	walBackstop = 32 << 20 / pageSize
	// checkpointEvery is the shortest time between two background
	// checkpoints: commits that come faster share one (and one fsync).
	checkpointEvery = 50 * time.Millisecond
)

type checkpointer struct {
	conn   *sql.DB
	log    *slog.Logger
	kick   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

func startCheckpointer(path string, log *slog.Logger) (*checkpointer, error) {
	conn, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	conn.SetConnMaxIdleTime(idleConn)
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{conn: conn, log: log, kick: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	go c.run(ctx)
	return c, nil
}

// committed tells the checkpointer the log has grown; it never blocks.
func (c *checkpointer) committed() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run(ctx context.Context) {
	defer close(c.done)
	failing := "" // the error last logged, so a lasting one is logged once
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.kick:
		}
		t := time.Now()
		// PASSIVE neither waits for readers nor blocks the writer; what it
		// cannot copy now is copied next time.
		_, err := c.conn.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
		switch {
		case ctx.Err() != nil:
		case err != nil && err.Error() != failing:
			failing = err.Error()
			c.log.Warn("ledger: background checkpoint failed; the write-ahead log grows until one succeeds",
				"error", err)
		case err == nil && failing != "":
			failing = ""
			c.log.Info("ledger: background checkpoints work again")
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(checkpointEvery - time.Since(t)):
		}
	}
}

// close stops the goroutine; SQLite checkpoints what is left when the last
// connection closes.
func (c *checkpointer) close() error {
	c.cancel()
	<-c.done
	return c.conn.Close()
}
