package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/vvgintake/vvgintake/internal/vilnius"
)

// Errors callers can test for with errors.Is.
var (
	// ErrNotFound means the consultation, submission or row asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the write would break a uniqueness or integrity rule.
	ErrConflict = errors.New("conflict")
	// ErrNewerSchema means the database was written by a newer vvgintake.
	ErrNewerSchema = errors.New("database schema is newer than this program")
	// ErrState means the operation is not allowed in the record's current state
	// (for example closing a draft consultation).
	ErrState = errors.New("not allowed in this state")
	// ErrInvalid means the caller asked for something malformed: a bad
	// slug, reference number or decision, a missing reason. The command
	// line reports it as a usage error.
	ErrInvalid = errors.New("invalid")
)

// invalidError is a malformed request, in words for the person who made
// it; errors.Is(err, ErrInvalid) holds.
type invalidError struct{ msg string }

func (e *invalidError) Error() string        { return e.msg }
func (e *invalidError) Is(target error) bool { return target == ErrInvalid }

// invalidf reports a malformed request (ErrInvalid).
func invalidf(format string, args ...any) error {
	return &invalidError{fmt.Sprintf(format, args...)}
}

// Options configure a ledger.
type Options struct {
	// RefPrefix starts every reference number, "VVG" gives VVG-2026-0001.
	RefPrefix string
	// ResponseDays is the number of Lithuanian working days after a
	// consultation closes by which the VVG answers each suggestion.
	ResponseDays int
	// Location renders dates (deadlines, reference years); Europe/Vilnius.
	Location *time.Location
	// MessageIDDomain is the right-hand side of our Message-IDs.
	MessageIDDomain string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger hears what the ledger does in the background (a checkpoint
	// that failed); slog.Default() when nil.
	Logger *slog.Logger
	// FreeSpace returns the bytes free to the ledger in its directory;
	// statfs(2) when nil. Tests fill the disk with it.
	FreeSpace func(dir string) (uint64, error)
	// Search splits a text into words, each with the terms the full-text
	// index finds it by (folded, stemmed); both the index and queries go
	// through it. Nil lower-cases and splits on non-letters (search.go).
	Search func(text string) [][]string
	// Checkpoints says who checkpoints the write-ahead log: the ledger
	// ("" or CheckpointLedger) or Litestream (checkpoint.go).
	Checkpoints Checkpointing
}

// DB is the ledger. It keeps one writer connection and a pool of readers:
// SQLite allows one writer at a time, and with immediate transactions on a
// single connection writers queue in Go instead of failing with SQLITE_BUSY.
type DB struct {
	w, r  *sql.DB
	opt   Options
	cal   *Calendar
	stmts stmtCache
	cons  consCache
	ckpt  *checkpointer
	refRE *regexp.Regexp // a reference number with opt.RefPrefix (ref.go)
	dir   string         // the directory of the database file
	path  string         // the database file
	// searchOn is set when the schema has the full-text index; a test
	// of migrations opens older schemas without it.
	searchOn bool
}

// Open opens (creating if needed) the ledger at path and brings its schema
// up to date. A database written by a newer program is refused.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	return open(ctx, path, opt, SchemaVersion())
}

// open opens the ledger and migrates it up to schema version target; tests
// use an older target to build the databases earlier programs wrote.
func open(ctx context.Context, path string, opt Options, target int) (*DB, error) {
	if opt.RefPrefix == "" {
		opt.RefPrefix = "VVG"
	}
	if opt.ResponseDays <= 0 {
		opt.ResponseDays = 20
	}
	var err error
	if opt.Location, err = vilnius.Or(opt.Location); err != nil {
		return nil, err
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if !opt.Checkpoints.Valid() {
		return nil, fmt.Errorf("open ledger %s: checkpoints by %q: want %q or %q", path, opt.Checkpoints,
			CheckpointLedger, CheckpointLitestream)
	}
	litestream := opt.Checkpoints == CheckpointLitestream
	if err := createPrivate(path); err != nil {
		return nil, explainOpen(path, err, osAccess())
	}
	w, err := sql.Open("sqlite", dsn(path, false, litestream))
	if err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(idleConn)
	r, err := sql.Open("sqlite", dsn(path, true, litestream))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(1)
	r.SetConnMaxIdleTime(idleConn)
	var ckpt *checkpointer
	if !litestream {
		if ckpt, err = startCheckpointer(path, opt.Logger); err != nil {
			w.Close()
			r.Close()
			return nil, fmt.Errorf("open ledger %s: %w", path, err)
		}
	}
	db := &DB{w: w, r: r, opt: opt, cal: NewCalendar(opt.Location), ckpt: ckpt, refRE: refPattern(opt.RefPrefix),
		dir: dirOf(path), path: path}
	if err := db.migrate(ctx, target); err != nil {
		db.Close()
		return nil, fmt.Errorf("open ledger %s: %w", path, explainOpen(path, err, osAccess()))
	}
	if !litestream && db.replicated(ctx) {
		opt.Logger.Warn("ledger: Litestream replicates this ledger, but the ledger checkpoints it too; " +
			"leave checkpoints to Litestream (ledger.checkpoint = \"litestream\"): " +
			"an erasure cannot empty the write-ahead log while Litestream reads it")
	}
	if db.searchOn = db.hasSearch(ctx); db.searchOn {
		if n, err := db.indexMissing(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open ledger %s: %w", path, err)
		} else if n > 0 {
			opt.Logger.Info("submissions indexed for search", "count", n)
		}
	}
	return db, nil
}

// idleConn is how long a pooled connection may sit unused before it is
// closed. Each holds its own copy of the schema and its page cache (a
// few hundred KB to 2 MB): a host serving sixty mostly idle VVGs would
// otherwise keep three of them open per ledger for nothing. Opening one
// again costs a millisecond.
const idleConn = time.Minute

// pageSize is the SQLite page size of a new ledger. Most of what the ledger
// writes is raw mail, in chains of overflow pages, and SQLite writes each
// page to the WAL with two system calls and copies it again at the
// checkpoint with two more: 8 KiB pages halve those calls (10,000 typical
// messages: 527,000 pwrite calls with 4 KiB pages, 334,000 with 8 KiB).
// 16 KiB made fewer calls still but wrote more bytes for the small
// index pages each message touches. A ledger keeps the page size it was
// created with.
const pageSize = 8192

// dsn builds the modernc.org/sqlite connection string. The pragmas run on
// every new pooled connection: busy_timeout first so the others can wait,
// the page size before anything creates the file, WAL so readers never
// block the writer, foreign keys because SQLite has them off by default,
// synchronous=NORMAL which is durable in WAL mode except for the last
// transactions on power loss (not on a process kill), secure_delete so
// that erased data leaves the file.
// With litestream the writer never checkpoints on its own (checkpoint.go).
func dsn(path string, readOnly, litestream bool) string {
	v := url.Values{}
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", fmt.Sprintf("page_size(%d)", pageSize))
	// The driver runs the _pragma list in alphabetical order, which
	// would put journal_mode before page_size, and setting WAL mode
	// writes the database header, page size included. The _journal_mode
	// key runs after the list.
	v.Set("_journal_mode", "WAL")
	v.Add("_pragma", "foreign_keys(1)")
	// Deleted content is overwritten with zeros, in its page and in the
	// pages freed (https://sqlite.org/pragma.html#pragma_secure_delete):
	// a person's erased data must not stay in the file (GDPR Art. 17).
	// It costs writes only where something is deleted or shrinks.
	v.Add("_pragma", "secure_delete(1)")
	v.Add("_pragma", "synchronous(NORMAL)")
	// Immediate transactions take the write lock at BEGIN, so a
	// read-then-write transaction cannot fail halfway on lock upgrade.
	v.Set("_txlock", "immediate")
	switch {
	case readOnly:
		v.Set("mode", "ro")
	case litestream:
		// Litestream checkpoints; 0 turns SQLite's own off
		// (https://sqlite.org/pragma.html#pragma_wal_autocheckpoint).
		v.Add("_pragma", "wal_autocheckpoint(0)")
	default:
		// A background goroutine checkpoints (checkpoint.go); this is
		// the writer's backstop.
		v.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walBackstop))
	}
	return "file:" + escapePath(path) + "?" + v.Encode()
}

func escapePath(p string) string {
	return strings.NewReplacer("?", "%3f", "#", "%23").Replace(p)
}

// Close closes the ledger.
func (db *DB) Close() error {
	return errors.Join(db.ckpt.close(), db.stmts.close(), db.r.Close(), db.w.Close())
}

// Options returns the options the ledger was opened with.
func (db *DB) Options() Options { return db.opt }

// Calendar returns the working-day calendar used for deadlines.
func (db *DB) Calendar() *Calendar { return db.cal }

func (db *DB) now() time.Time { return db.opt.Now().UTC() }

// tx runs fn in an immediate transaction on the writer connection.
func (db *DB) tx(ctx context.Context, fn func(*txn) error) error {
	sqltx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &txn{Tx: sqltx, cache: &db.stmts}
	defer func() { db.stmts.prepare(ctx, db.w, tx.misses) }()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return mapErr(err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", mapErr(err))
	}
	db.ckpt.committed()
	return nil
}

// txn is a write transaction that runs its statements through the
// ledger's cache of prepared statements. SQLite compiles every statement
// it is given, and recording one message takes a dozen: compiling them
// anew each time cost a fifth of the ingest CPU.
type txn struct {
	*sql.Tx
	cache  *stmtCache
	misses []string
}

// stmt returns the cached statement for query bound to this transaction,
// or nil (and notes the miss) when it has not been prepared yet.
func (tx *txn) stmt(ctx context.Context, query string) *sql.Stmt {
	if s := tx.cache.get(query); s != nil {
		return tx.Tx.StmtContext(ctx, s)
	}
	tx.misses = append(tx.misses, query)
	return nil
}

func (tx *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := tx.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

func (tx *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := tx.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

func (tx *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := tx.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// stmtCache holds statements prepared on the writer pool, keyed by their
// text. Statements are prepared after the transaction that first ran them
// has ended: the pool has one connection, and preparing on it while a
// transaction holds it would wait forever.
type stmtCache struct {
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

// maxStmts bounds the cache; the ledger's write statements are far fewer,
// so the bound only matters if a query were ever built with values in it.
const maxStmts = 128

func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[query]
}

func (c *stmtCache) prepare(ctx context.Context, w *sql.DB, queries []string) {
	for _, q := range queries {
		c.mu.RLock()
		_, ok := c.m[q]
		full := len(c.m) >= maxStmts
		c.mu.RUnlock()
		if ok || full {
			continue
		}
		// Prepare without the lock: it waits for the writer connection,
		// and the transaction holding that connection may be looking up
		// statements. A statement that does not prepare (the context
		// ended) simply stays uncached.
		s, err := w.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, ok := c.m[q]; ok || len(c.m) >= maxStmts {
			s.Close()
		} else {
			if c.m == nil {
				c.m = make(map[string]*sql.Stmt)
			}
			c.m[q] = s
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, s := range c.m {
		errs = append(errs, s.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}

// mapErr turns SQLite constraint violations into ErrConflict.
func mapErr(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY,
			sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK,
			sqlite3.SQLITE_CONSTRAINT:
			return fmt.Errorf("%w: %v", ErrConflict, err)
		}
	}
	return err
}

// querier is what a read needs: the reader pool or a write transaction,
// so one rule can run inside a write or on its own.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
