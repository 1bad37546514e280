package ledger

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
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
}

// putBlob stores content once by its SHA-256 and returns the hex digest.
func putBlob(ctx context.Context, tx *txn, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	if _, err := tx.ExecContext(ctx, `INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`, h, len(data), data); err != nil {
		return "", fmt.Errorf("store blob %s: %w", h[:12], err)
	}
	return h, nil
}

func insertAttachment(ctx context.Context, tx *txn, a *NewAttachment, msgRow, subID int64) error {
	var sum sql.NullString
	if a.Refused == "" {
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
	rows, err := db.r.QueryContext(ctx, `SELECT id, filename, content_type, size, sha256, refused
		FROM attachments WHERE `+where+` ORDER BY id`, arg)
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var (
			a   Attachment
			sum sql.NullString
		)
		if err := rows.Scan(&a.ID, &a.Filename, &a.ContentType, &a.Size, &sum, &a.Refused); err != nil {
			return nil, fmt.Errorf("list attachments: %w", err)
		}
		a.SHA256 = sum.String
		out = append(out, a)
	}
	return out, rows.Err()
}

// Blob returns stored content by its SHA-256.
func (db *DB) Blob(ctx context.Context, sha string) ([]byte, error) {
	var b []byte
	err := db.r.QueryRowContext(ctx, `SELECT data FROM blobs WHERE sha256 = ?`, sha).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("blob %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", sha, err)
	}
	return b, nil
}
