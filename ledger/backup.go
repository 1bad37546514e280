package ledger

import (
	"context"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the live database to path with
// VACUUM INTO: it runs inside one read transaction, so writers carry on
// and the copy is a single point in time, compacted, without the WAL.
// An existing file is refused rather than overwritten.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup %s: file exists: %w", path, ErrConflict)
	}
	if _, err := db.w.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
