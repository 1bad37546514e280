package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
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
//
// Under Litestream (Checkpoints = CheckpointLitestream) none of this runs:
// Litestream copies the log page by page to its replica and must be the
// one that checkpoints, since a checkpoint that restarts the log behind
// its back makes it miss frames or start a whole new snapshot
// (https://litestream.io/tips/, "Disable autocheckpoints for high write
// load servers"; litestream db.go, verify: "wal overwritten by another
// process"). Litestream checkpoints itself: PASSIVE at 1,000 pages and
// every minute, TRUNCATE past its truncate-page-n.
const (
	// walBackstop is the writer's own wal_autocheckpoint, in pages: 32 MiB
	// of log with a new ledger's pages (pageSize), 16 MiB with the 4 KiB
	// pages of a ledger created before.
	walBackstop = 32 << 20 / pageSize
	// checkpointEvery is the shortest time between two background
	// checkpoints: commits that come faster share one (and one fsync).
	checkpointEvery = 50 * time.Millisecond
)

// Checkpointing says who copies the write-ahead log into the database
// file.
type Checkpointing string

const (
	// CheckpointLedger: the ledger does, in the background (the default).
	CheckpointLedger Checkpointing = "ledger"
	// CheckpointLitestream: Litestream, replicating the ledger, does. The
	// ledger never checkpoints: no background goroutine, the writer's
	// wal_autocheckpoint is 0, and Compact leaves the log to Litestream.
	CheckpointLitestream Checkpointing = "litestream"
)

// Valid reports whether c is one of the known values ("" is the default,
// CheckpointLedger).
func (c Checkpointing) Valid() bool {
	return c == "" || c == CheckpointLedger || c == CheckpointLitestream
}

type checkpointer struct {
	conn   *sql.DB
	log    *slog.Logger
	kick   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

func startCheckpointer(path string, log *slog.Logger) (*checkpointer, error) {
	conn, err := sql.Open("sqlite", dsn(path, false, false))
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
// A nil checkpointer (Litestream checkpoints) does nothing.
func (c *checkpointer) committed() {
	if c == nil {
		return
	}
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
	if c == nil {
		return nil
	}
	c.cancel()
	<-c.done
	return c.conn.Close()
}

// walLitestreamAlert is the write-ahead log's size past which a ledger
// left to Litestream is not being checkpointed: Litestream checkpoints at
// 1,000 pages (8 MiB) and, whatever readers do, truncates the log past
// 121,359 pages (its truncate-page-n: 950 MiB with 8 KiB pages).
const walLitestreamAlert = 1 << 30

// litestreamAlert says why a ledger left to Litestream is not safe: no
// Litestream has ever replicated it, or its log has grown past what a
// running Litestream allows. Either way nothing checkpoints the ledger, the
// log grows until the disk is full, and no replica is being kept.
func (db *DB) litestreamAlert(ctx context.Context) string {
	if db.opt.Checkpoints != CheckpointLitestream {
		return ""
	}
	if !db.replicated(ctx) {
		return "the ledger is left to Litestream (ledger.checkpoint = \"litestream\"), but Litestream has never " +
			"replicated it: start it (systemctl enable --now vvgintake-litestream), or nothing checkpoints the ledger"
	}
	if fi, err := os.Stat(db.path + "-wal"); err == nil && fi.Size() > walLitestreamAlert {
		return fmt.Sprintf("the ledger's write-ahead log is %d MiB: Litestream is not checkpointing it "+
			"(is vvgintake-litestream running?), and the replica is behind", fi.Size()>>20)
	}
	return ""
}

// replicated reports whether Litestream has replicated this ledger: it
// keeps its own table in the database it replicates (_litestream_seq).
func (db *DB) replicated(ctx context.Context) bool {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = '_litestream_seq'`).Scan(&n)
	return err == nil && n > 0
}
