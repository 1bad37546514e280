package ledger

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Backup writes a consistent copy of the live database to path with
// VACUUM INTO: it runs inside one read transaction, so writers carry on
// and the copy is a single point in time, compacted, without the WAL.
// An existing file is refused rather than overwritten. The copy holds
// what the ledger holds, so it is created readable by its owner only:
// VACUUM INTO accepts an empty file, which is made 0600 first.
func (db *DB) Backup(ctx context.Context, path string) error {
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
