package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// State keys of backups: which ledger a copy is of, when it was taken,
// and the folder of the last one (the retention job prunes there).
const (
	ledgerIDState = "ledger.id"
	backupAtState = "backup.taken_at"
	backupDir     = "backup.dir"
)

// Backup writes a consistent copy of the live database to path with
// VACUUM INTO: it runs inside one read transaction, so writers carry on
// and the copy is a single point in time, compacted, without the WAL.
// An existing file is refused rather than overwritten. The copy holds
// what the ledger holds, so it is created readable by its owner only:
// VACUUM INTO accepts an empty file, which is made 0600 first.
//
// The copy carries the ledger's id and when it was taken, by which
// PruneBackups knows it; the ledger remembers the copy's folder.
func (db *DB) Backup(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	now := fmtTime(db.now())
	err = db.tx(ctx, func(tx *txn) error {
		if _, err := ledgerID(ctx, tx); err != nil {
			return err
		}
		if err := setState(ctx, tx, backupAtState, now, now); err != nil {
			return err
		}
		return setState(ctx, tx, backupDir, filepath.Dir(abs), now)
	})
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("backup %s: file exists: %w", path, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	f.Close()
	if _, err := db.w.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// ledgerID returns the ledger's random id, created on first use.
func ledgerID(ctx context.Context, tx *txn) (string, error) {
	return randomState(ctx, tx, ledgerIDState, 16, "the ledger's id")
}

// BackupDir is the folder of the last backup, "" when none was taken.
func (db *DB) BackupDir(ctx context.Context) (string, error) {
	dir, _, err := db.State(ctx, backupDir)
	return dir, err
}

// BackupFile is one backup copy of this ledger.
type BackupFile struct {
	Path    string
	TakenAt time.Time
}

// PruneBackups deletes backup copies of this ledger in dir so that they
// do not outlive the retention of what they hold: those taken before
// olderThan (zero: none by age) and, with keep > 0, all but the keep
// newest. A copy is known by the ledger's id inside it, so nothing else
// in the folder — another ledger's backups, the live ledger — is touched.
// It returns the copies deleted and those kept.
func (db *DB) PruneBackups(ctx context.Context, dir string, keep int, olderThan time.Time) (removed, kept []BackupFile, err error) {
	var id string
	if err := db.tx(ctx, func(tx *txn) error {
		var err error
		id, err = ledgerID(ctx, tx)
		return err
	}); err != nil {
		return nil, nil, err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil // the folder went, and its copies with it
	}
	if err != nil {
		return nil, nil, fmt.Errorf("list backups in %s: %w", dir, err)
	}
	var found []BackupFile
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if db.isOwnFile(p) {
			continue
		}
		at, ok := backupOf(ctx, p, id)
		if ok {
			found = append(found, BackupFile{Path: p, TakenAt: at})
		}
	}
	slices.SortFunc(found, func(a, b BackupFile) int { return b.TakenAt.Compare(a.TakenAt) })
	var errs []error
	for i, b := range found {
		if (keep > 0 && i >= keep) || (!olderThan.IsZero() && b.TakenAt.Before(olderThan)) {
			if err := os.Remove(b.Path); err != nil {
				errs = append(errs, fmt.Errorf("remove backup %s: %w", b.Path, err))
				continue
			}
			removed = append(removed, b)
			continue
		}
		kept = append(kept, b)
	}
	return removed, kept, errors.Join(errs...)
}

// isOwnFile reports whether p is the live ledger or one of its files.
func (db *DB) isOwnFile(p string) bool {
	st, err := os.Stat(p)
	if err != nil {
		return true
	}
	for _, suffix := range []string{"", "-wal", "-shm", ".lock"} {
		if own, err := os.Stat(db.path + suffix); err == nil && os.SameFile(st, own) {
			return true
		}
	}
	return false
}

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// backupOf reads a file's backup marks: ok when it is an SQLite database
// that is a backup of the ledger with id, with when it was taken. It is
// opened read-only and immutable: reading it writes nothing beside it.
func backupOf(ctx context.Context, path, id string) (time.Time, bool) {
	f, err := os.Open(path)
	if err != nil {
		return time.Time{}, false
	}
	head := make([]byte, len(sqliteMagic))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, sqliteMagic) {
		return time.Time{}, false
	}
	v := url.Values{}
	v.Set("mode", "ro")
	v.Set("immutable", "1")
	conn, err := sql.Open("sqlite", "file:"+escapePath(path)+"?"+v.Encode())
	if err != nil {
		return time.Time{}, false
	}
	defer conn.Close()
	var got, at string
	err = conn.QueryRowContext(ctx, `SELECT (SELECT value FROM state WHERE key = ?), (SELECT value FROM state WHERE key = ?)`,
		ledgerIDState, backupAtState).Scan(&got, &at)
	if err != nil || got != id {
		return time.Time{}, false
	}
	t, err := parseTime(at)
	return t, err == nil
}
