package ledger

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// The ledger holds residents' names, addresses and letters: its files are
// readable by the service's user only, whatever the umask. SQLite gives
// the -wal and -shm files the database file's permissions, so creating
// the database file 0600 covers them.
const fileMode fs.FileMode = 0o600

// createPrivate makes sure the database file exists and is 0600 before
// SQLite opens it. An existing file that others may read is tightened:
// it was written by an earlier version, or copied in with cp.
func createPrivate(path string) error {
	if path == ":memory:" || path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, fileMode)
	if err != nil {
		return fmt.Errorf("create ledger %s: %w", path, err)
	}
	st, err := f.Stat()
	f.Close()
	if err != nil {
		return fmt.Errorf("stat ledger %s: %w", path, err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, fileMode); err != nil {
			return fmt.Errorf("restrict ledger %s to its owner: %w", path, err)
		}
		for _, side := range []string{"-wal", "-shm"} {
			if err := os.Chmod(path+side, fileMode); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("restrict %s to its owner: %w", path+side, err)
			}
		}
	}
	return nil
}

// FreeBytes returns the disk space left to the ledger: what an
// unprivileged writer may still use on the file system that holds it.
func (db *DB) FreeBytes() (uint64, error) {
	if db.opt.FreeSpace != nil {
		return db.opt.FreeSpace(db.dir)
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(db.dir, &st); err != nil {
		return 0, fmt.Errorf("free space of %s: %w", db.dir, err)
	}
	return st.Bavail * uint64(st.Bsize), nil
}

// ProbeWrite commits a tiny write, to learn whether the ledger can still
// be written (a full disk, a file system gone read-only, a lock held by a
// stuck process all fail it). /readyz asks it.
func (db *DB) ProbeWrite(ctx context.Context) error {
	if err := db.SetState(ctx, "probe.write", fmtTime(db.now())); err != nil {
		return fmt.Errorf("write to the ledger: %w", err)
	}
	return nil
}

// dirOf is the directory of the database file.
func dirOf(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return filepath.Dir(abs)
	}
	return filepath.Dir(path)
}
