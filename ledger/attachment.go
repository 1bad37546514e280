package ledger

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// Attachment is a file that came with a message or a form submission.
type Attachment struct {
	ID          int64
	Filename    string
	ContentType string
	Size        int64
	SHA256      string // "" when refused
	Refused     string // why it was not stored, "" when stored
}

// NewAttachment is an attachment to store. Data is nil for a refused one.
type NewAttachment struct {
	Filename    string
	ContentType string
	Size        int64
	Data        []byte
	Refused     string
	// SHA256 (hex) with no Data, for an e-mail's attachment: the content is
	// not stored apart but decoded from the message's raw bytes when wanted
	// (see InMessageError).
	SHA256 string
	// Open, with SHA256 and Size, gives content too large to hold (a web
	// form's upload, on disk): it is read in chunkSize pieces while it is
	// stored, and must match the digest.
	Open func() (io.ReadCloser, error)
}

// InMessageError is what WriteBlob returns for content that is not stored
// apart: an e-mail's attachment, to be decoded from the raw bytes of the
// message (its row and the digest of its raw bytes).
type InMessageError struct {
	SHA256    string
	Message   int64
	RawSHA256 string
}

func (e *InMessageError) Error() string {
	return fmt.Sprintf("blob %s is an attachment inside message %d", e.SHA256, e.Message)
}

// chunkSize bounds one row of blob_chunks: what the driver and SQLite copy
// at a time when content is written.
const chunkSize = 256 << 10

// putBlob stores content once by its SHA-256 and returns the hex digest.
func putBlob(ctx context.Context, tx *txn, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	return h, storeBlob(ctx, tx, h, data)
}

// storeBlob stores content whose hex SHA-256 the caller already has,
// unless it is stored already. It is written as rows of at most chunkSize,
// so a large upload is never copied whole.
func storeBlob(ctx context.Context, tx *txn, sum string, data []byte) error {
	r, err := tx.ExecContext(ctx, `INSERT INTO blobs (sha256, size, data) VALUES (?, ?, x'')
		ON CONFLICT (sha256) DO NOTHING`, sum, len(data))
	if err != nil {
		return fmt.Errorf("store blob %s: %w", sum[:12], err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		if own, err := ownContent(ctx, tx, sum); err != nil || !own {
			return err // stored before
		}
	}
	if err := insertChunks(ctx, tx, `INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)`, sum, data); err != nil {
		return fmt.Errorf("store blob %s: %w", sum[:12], err)
	}
	return nil
}

// storeBlobFrom stores a's content, read from a.Open in chunkSize pieces,
// unless content with its digest is stored already. The content must
// have a.SHA256 and a.Size, or nothing is stored.
func storeBlobFrom(ctx context.Context, tx *txn, a *NewAttachment) error {
	if len(a.SHA256) != 64 {
		return fmt.Errorf("attachment %q: content to read needs its 64-digit digest", a.Filename)
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO blobs (sha256, size, data) VALUES (?, ?, x'')
		ON CONFLICT (sha256) DO NOTHING`, a.SHA256, a.Size)
	if err != nil {
		return fmt.Errorf("store blob %s: %w", a.SHA256[:12], err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		if own, err := ownContent(ctx, tx, a.SHA256); err != nil || !own {
			return err // stored before
		}
	}
	f, err := a.Open()
	if err != nil {
		return fmt.Errorf("read attachment %q: %w", a.Filename, err)
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, chunkSize)
	var size int64
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(f, buf)
		if n > 0 || seq == 0 {
			h.Write(buf[:n])
			size += int64(n)
			if _, err := tx.ExecContext(ctx, `INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)`, a.SHA256, seq, buf[:n]); err != nil {
				return fmt.Errorf("store blob %s: %w", a.SHA256[:12], err)
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read attachment %q: %w", a.Filename, err)
		}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != a.SHA256 || size != a.Size {
		// The transaction rolls back: nothing half-stored stays.
		return fmt.Errorf("attachment %q changed while stored: %d bytes %s, want %d bytes %s", a.Filename, size, got[:12], a.Size, a.SHA256[:12])
	}
	return nil
}

// ownContent is called for content with a digest already recorded: when
// it was recorded only as an attachment inside an e-mail (in_message),
// the caller, who has the bytes, stores them now and the row stops
// pointing into the message. Otherwise an upload of the same file would
// be readable only from another person's e-mail, and would go when that
// e-mail is erased.
func ownContent(ctx context.Context, tx *txn, sum string) (bool, error) {
	n, err := execCount(ctx, tx, `UPDATE blobs SET in_message = NULL WHERE sha256 = ? AND in_message IS NOT NULL`, sum)
	if err != nil {
		return false, fmt.Errorf("store blob %s: %w", sum[:12], err)
	}
	return n > 0, nil
}

// storeRaw stores the raw bytes of message row msg under the message
// (schema version 5).
func storeRaw(ctx context.Context, tx *txn, msg int64, raw []byte) error {
	if err := insertChunks(ctx, tx, `INSERT INTO message_raw (message, seq, data) VALUES (?, ?, ?)`, msg, raw); err != nil {
		return fmt.Errorf("store raw message: %w", err)
	}
	return nil
}

// insertChunks writes data with insert (key, seq, data) in rows of at most
// chunkSize, in order of seq; at least one row, so that empty content is
// told from missing content.
func insertChunks(ctx context.Context, tx *txn, insert string, key any, data []byte) error {
	for seq := 0; seq == 0 || len(data) > 0; seq++ {
		k := min(len(data), chunkSize)
		if _, err := tx.ExecContext(ctx, insert, key, seq, data[:k]); err != nil {
			return err
		}
		data = data[k:]
	}
	return nil
}

// insertAttachments records atts of a message (msgRow) and/or a
// submission (subID); 0 means none.
func insertAttachments(ctx context.Context, tx *txn, atts []NewAttachment, msgRow, subID int64) error {
	for i := range atts {
		if err := insertAttachment(ctx, tx, &atts[i], msgRow, subID); err != nil {
			return err
		}
	}
	return nil
}

func insertAttachment(ctx context.Context, tx *txn, a *NewAttachment, msgRow, subID int64) error {
	var sum sql.NullString
	switch {
	case a.Refused == "" && a.Open != nil:
		if err := storeBlobFrom(ctx, tx, a); err != nil {
			return err
		}
		sum = sql.NullString{String: a.SHA256, Valid: true}
	case a.Refused == "" && a.Data == nil && a.SHA256 != "":
		if msgRow == 0 || len(a.SHA256) != 64 {
			return fmt.Errorf("attachment %q: a digest without content needs a message holding it and 64 hex digits, have message %d and %q",
				a.Filename, msgRow, a.SHA256)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO blobs (sha256, size, data, in_message) VALUES (?, ?, x'', ?)
			ON CONFLICT (sha256) DO NOTHING`, a.SHA256, a.Size, msgRow); err != nil {
			return fmt.Errorf("store attachment %q: %w", a.Filename, err)
		}
		sum = sql.NullString{String: a.SHA256, Valid: true}
	case a.Refused == "":
		h, err := putBlob(ctx, tx, a.Data)
		if err != nil {
			return err
		}
		sum = sql.NullString{String: h, Valid: true}
		a.Size = int64(len(a.Data))
	}
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO attachments (message_id, submission_id, filename, content_type, size, sha256, refused)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, nullID(msgRow), nullID(subID), a.Filename, ct, a.Size, sum, a.Refused)
	if err != nil {
		return fmt.Errorf("store attachment %q: %w", a.Filename, err)
	}
	return nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id > 0} }

func (db *DB) submissionAttachments(ctx context.Context, subID int64) ([]Attachment, error) {
	return db.attachments(ctx, `submission_id = ?`, subID)
}

// MessageAttachments lists the attachments of an inbound message.
func (db *DB) MessageAttachments(ctx context.Context, msgRow int64) ([]Attachment, error) {
	return db.attachments(ctx, `message_id = ?`, msgRow)
}

func (db *DB) attachments(ctx context.Context, where string, arg any) ([]Attachment, error) {
	return queryAll(ctx, db.r, "list attachments", func(r rowScanner) (Attachment, error) {
		var (
			a   Attachment
			sum sql.NullString
		)
		err := r.Scan(&a.ID, &a.Filename, &a.ContentType, &a.Size, &sum, &a.Refused)
		a.SHA256 = sum.String
		return a, err
	}, `SELECT id, filename, content_type, size, sha256, refused
		FROM attachments WHERE `+where+` ORDER BY id`, arg)
}

// WriteBlob copies stored content to w a chunk at a time, never holding
// it whole: from blobs.data for content written before schema version 3,
// else from its chunks in order; a raw message recorded since schema
// version 5, from the message's own chunks. It returns the number of bytes
// written. For an e-mail's attachment recorded since schema version 4 it
// writes nothing and returns an *InMessageError naming the message to
// decode.
func (db *DB) WriteBlob(ctx context.Context, sha string, w io.Writer) (int64, error) {
	var (
		b    []byte
		size int64
		in   sql.NullInt64
		raw  sql.NullString
	)
	err := db.r.QueryRowContext(ctx, `SELECT b.data, b.size, b.in_message, m.raw_sha256 FROM blobs b
		LEFT JOIN messages m ON m.id = b.in_message WHERE b.sha256 = ?`, sha).Scan(&b, &size, &in, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return db.writeRaw(ctx, sha, w)
	}
	if err != nil {
		return 0, fmt.Errorf("read blob %s: %w", sha, err)
	}
	if in.Valid {
		return 0, &InMessageError{SHA256: sha, Message: in.Int64, RawSHA256: raw.String}
	}
	if int64(len(b)) == size {
		n, err := w.Write(b)
		return int64(n), err
	}
	n, err := copyRows(ctx, db.r, w, `SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY seq`, sha)
	if err != nil {
		return n, fmt.Errorf("read blob %s: %w", sha, err)
	}
	if n != size {
		return n, fmt.Errorf("read blob %s: %d of %d bytes stored", sha, n, size)
	}
	return n, nil
}

// writeRaw writes the raw bytes of the message whose digest is sha, stored
// under the message since schema version 5 (before, they were a blob).
func (db *DB) writeRaw(ctx context.Context, sha string, w io.Writer) (int64, error) {
	var msg int64
	err := db.r.QueryRowContext(ctx, `SELECT m.id FROM messages m WHERE m.raw_sha256 = ?
		AND EXISTS (SELECT 1 FROM message_raw r WHERE r.message = m.id) ORDER BY m.id LIMIT 1`, sha).Scan(&msg)
	if err != nil {
		return 0, rowErr(err, "read", "blob %s", sha)
	}
	n, err := copyRows(ctx, db.r, w, `SELECT data FROM message_raw WHERE message = ? ORDER BY seq`, msg)
	if err != nil {
		return n, fmt.Errorf("read raw message %d: %w", msg, err)
	}
	return n, nil
}

// copyRows writes the one BLOB column of every row that query returns
// to w, a row at a time.
func copyRows(ctx context.Context, db *sql.DB, w io.Writer, query string, args ...any) (int64, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var chunk sql.RawBytes
		if err := rows.Scan(&chunk); err != nil {
			return n, err
		}
		k, err := w.Write(chunk)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, rows.Err()
}
