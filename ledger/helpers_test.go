package ledger

import (
	"bytes"
	"context"
	"os"
)

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }

// blob reads stored content whole.
func (db *DB) blob(ctx context.Context, sha string) ([]byte, error) {
	var buf bytes.Buffer
	_, err := db.WriteBlob(ctx, sha, &buf)
	return buf.Bytes(), err
}
