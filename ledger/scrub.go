package ledger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
)

// Scrubbing: the steps that take a scope's personal data out of the
// ledger, inside the caller's transaction. An erasure on request and a
// retention rule use the same steps, so both leave the same tombstone:
// a case keeps its reference, consultation, source, measure, status,
// decision (with the VVG's reason, the VVG's own words) and dates; a
// message keeps its disposition, date, size, digest and mailbox
// position. PRAGMA secure_delete (dsn) zeroes what the steps delete or
// shorten, and Compact then takes it out of the write-ahead log.

// ErasureCounts says how much an erasure or a purge removed. It holds no
// personal data, so it goes into the audit log and the digest.
type ErasureCounts struct {
	Submissions  int // suggestions anonymised
	Messages     int // e-mails whose headers and text were erased
	Raw          int // e-mails whose raw bytes were deleted
	Attachments  int // attachment content deleted (e-mail or form)
	Sent         int // acknowledgements removed
	Notes        int // staff notes removed
	Copies       int // mailbox copies queued for deletion
	AuditBlanked int // audit details that named the person, blanked
	Deleted      int // whole cases deleted (retention's last rule)
}

// Add adds o to c.
func (c *ErasureCounts) Add(o ErasureCounts) {
	c.Submissions += o.Submissions
	c.Messages += o.Messages
	c.Raw += o.Raw
	c.Attachments += o.Attachments
	c.Sent += o.Sent
	c.Notes += o.Notes
	c.Copies += o.Copies
	c.AuditBlanked += o.AuditBlanked
	c.Deleted += o.Deleted
}

// Zero reports whether nothing was removed.
func (c ErasureCounts) Zero() bool { return c == ErasureCounts{} }

// String lists the non-zero counts: "2 suggestions, 3 messages, …".
func (c ErasureCounts) String() string {
	var parts []string
	for _, p := range []struct {
		n         int
		one, many string
	}{
		{c.Deleted, "case deleted", "cases deleted"},
		{c.Submissions, "suggestion", "suggestions"},
		{c.Messages, "message", "messages"},
		{c.Raw, "raw e-mail", "raw e-mails"},
		{c.Attachments, "attachment", "attachments"},
		{c.Sent, "mail sent", "mails sent"},
		{c.Notes, "note", "notes"},
		{c.Copies, "mailbox copy", "mailbox copies"},
		{c.AuditBlanked, "audit detail blanked", "audit details blanked"},
	} {
		switch {
		case p.n == 1:
			parts = append(parts, "1 "+p.one)
		case p.n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.many))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// erasedMark replaces an audit detail that named an erased person.
const erasedMark = "[erased]"

// Extractor writes stored content with digest sha to w, decoding an
// e-mail's attachment from its raw message (intake.WriteContent). An
// erasure uses it for content a kept attachment still needs but only an
// erased e-mail holds (recorded before schema version 9), reading the
// ledger as it was before the erasure's transaction.
type Extractor func(ctx context.Context, sha string, w io.Writer) (int64, error)

// scrub is one erasure's or purge's parameters.
type scrub struct {
	erasure int64  // the erasure the mailbox copies are queued under; 0: not queued
	actor   string // who, in each case's audit entry
	why     string // the audit entry's detail
	addrs   []string
	names   []string
	now     time.Time
	extract Extractor
}

// scrubScope erases sc's personal data: the raw mail and attachments,
// the messages' headers and text, the cases' senders, subjects and texts
// (and their full-text entries), notes, the residents' own measure
// choices under their address, the acknowledgements, and audit details
// that name them. The mailbox copies are queued under the erasure. Each
// case gets an audit entry saying why.
func (db *DB) scrubScope(ctx context.Context, tx *txn, sc *scope, job scrub) (ErasureCounts, error) {
	var c ErasureCounts
	var err error
	now := job.now
	subIDs, msgIDs := jsonIDs(sc.subs), jsonIDs(sc.msgs)
	// Who the cases were from and what they were called, before it goes:
	// the audit details naming them are found by these.
	names, addrs, refs, err := scopeNames(ctx, tx, subIDs, msgIDs, job.names, job.addrs)
	if err != nil {
		return c, err
	}
	if job.erasure > 0 {
		if c.Copies, err = queueCopies(ctx, tx, job.erasure, msgIDs); err != nil {
			return c, err
		}
	}
	if c.Raw, c.Attachments, err = dropContent(ctx, tx, subIDs, msgIDs, false, now, job.extract); err != nil {
		return c, err
	}
	if c.Sent, err = execCount(ctx, tx, `DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))`, jsonIDs(sc.outbox)); err != nil {
		return c, fmt.Errorf("remove acknowledgements: %w", err)
	}
	if c.Notes, err = execCount(ctx, tx, `DELETE FROM notes WHERE submission_id IN (SELECT value FROM json_each(?))`, subIDs); err != nil {
		return c, fmt.Errorf("remove notes: %w", err)
	}
	// The measure history stays (it is how the case was filed); the
	// words that decided it are the resident's, and a resident's own
	// choice was recorded under their address.
	if _, err := tx.ExecContext(ctx, `UPDATE classifications SET evidence = '',
		actor = CASE source WHEN 'resident' THEN '' ELSE actor END
		WHERE submission_id IN (SELECT value FROM json_each(?))`, subIDs); err != nil {
		return c, fmt.Errorf("erase classification evidence: %w", err)
	}
	if db.searchOn {
		// FTS5 secure-delete (schema version 9) takes the terms out of
		// the index's segments, not only the row out of its content.
		if _, err := tx.ExecContext(ctx, `DELETE FROM submissions_fts WHERE rowid IN (SELECT value FROM json_each(?))`, subIDs); err != nil {
			return c, fmt.Errorf("remove from the search index: %w", err)
		}
	}
	if c.Submissions, err = execCount(ctx, tx, `UPDATE submissions SET sender_name = '', sender_email = '', subject = '',
		text = '', evidence = '', ack_withheld = '', needs_review = 0, erased_at = ?
		WHERE id IN (SELECT value FROM json_each(?)) AND erased_at IS NULL`, fmtTime(now), subIDs); err != nil {
		return c, fmt.Errorf("anonymise suggestions: %w", err)
	}
	if c.Messages, err = execCount(ctx, tx, `UPDATE messages SET from_addr = '', from_name = '', reply_to = '',
		subject = NULL, message_id = '', in_reply_to = '', refs = '', date_header = NULL, text = '', defects = '',
		reason = '', file = '', content_key = 'erased:' || id, erased_at = ?1, raw_erased_at = coalesce(raw_erased_at, ?1)
		WHERE id IN (SELECT value FROM json_each(?2)) AND erased_at IS NULL`, fmtTime(now), msgIDs); err != nil {
		return c, fmt.Errorf("erase messages: %w", err)
	}
	if c.AuditBlanked, err = db.blankAudit(ctx, tx, refs, addrs, names); err != nil {
		return c, err
	}
	if err := blankStaffWords(ctx, tx, subIDs, addrs, names); err != nil {
		return c, err
	}
	for _, ref := range refs {
		if err := audit(ctx, tx, now, job.actor, "submission.erase", ref, job.why); err != nil {
			return c, err
		}
	}
	return c, nil
}

// scopeNames adds to names and addrs those the scope's cases and messages
// carry, and returns the cases' references.
func scopeNames(ctx context.Context, tx *txn, subIDs, msgIDs string, names, addrs []string) ([]string, []string, []string, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT sender_name, sender_email, ref FROM submissions WHERE id IN (SELECT value FROM json_each(?1))
		UNION ALL
		SELECT from_name, from_addr, '' FROM messages WHERE id IN (SELECT value FROM json_each(?2))`, subIDs, msgIDs)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read senders: %w", err)
	}
	defer rows.Close()
	var refs []string
	for rows.Next() {
		var n, a, ref string
		if err := rows.Scan(&n, &a, &ref); err != nil {
			return nil, nil, nil, fmt.Errorf("read senders: %w", err)
		}
		if n != "" {
			names = append(names, n)
		}
		if a != "" {
			addrs = append(addrs, a)
		}
		if ref != "" {
			refs = append(refs, ref)
		}
	}
	return names, addrs, refs, rows.Err()
}

// queueCopies records the mailbox copies of msgIDs under the erasure:
// where each was taken in, and its Message-ID and digest to find it where
// it went since (moved, labelled, or in the mailbox an archive was
// imported from).
func queueCopies(ctx context.Context, tx *txn, erasure int64, msgIDs string) (int, error) {
	n, err := execCount(ctx, tx, `INSERT INTO erasure_copies (erasure_id, account, folder, uidvalidity, uid, message_id,
			raw_sha256, size, truncated)
		SELECT ?, account, folder, coalesce(uidvalidity, 0), coalesce(uid, 0), message_id, raw_sha256, size, truncated
		FROM messages WHERE id IN (SELECT value FROM json_each(?)) AND (uid IS NOT NULL OR message_id <> '')`, erasure, msgIDs)
	if err != nil {
		return 0, fmt.Errorf("queue mailbox copies: %w", err)
	}
	return n, nil
}

// dropContent deletes the raw bytes of msgIDs and the content of the
// attachments of msgIDs and subIDs. The attachments' rows go too, or with
// keepRows stay as "not kept" with their names (retention's raw rule,
// before the personal-data rule removes the names). Content another kept
// attachment or message still holds stays. It returns how many raw
// messages and attachments lost their content.
func dropContent(ctx context.Context, tx *txn, subIDs, msgIDs string, keepRows bool, now time.Time, extract Extractor) (raw, atts int, err error) {
	const of = `(message_id IN (SELECT value FROM json_each(?1)) OR submission_id IN (SELECT value FROM json_each(?2)))`
	var shas []string
	rows, err := tx.QueryContext(ctx, `SELECT sha256 FROM attachments WHERE `+of+` AND sha256 IS NOT NULL
		UNION SELECT raw_sha256 FROM messages WHERE id IN (SELECT value FROM json_each(?1))`, msgIDs, subIDs)
	if err != nil {
		return 0, 0, fmt.Errorf("list content to delete: %w", err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("list content to delete: %w", err)
		}
		shas = append(shas, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	if keepRows {
		atts, err = execCount(ctx, tx, `UPDATE attachments SET sha256 = NULL, refused = 'deleted by the retention rule'
			WHERE `+of+` AND sha256 IS NOT NULL`, msgIDs, subIDs)
	} else {
		atts, err = execCount(ctx, tx, `DELETE FROM attachments WHERE `+of, msgIDs, subIDs)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("delete attachments: %w", err)
	}
	if raw, err = execCount(ctx, tx, `UPDATE messages SET raw_erased_at = ? WHERE id IN (SELECT value FROM json_each(?))
		AND raw_erased_at IS NULL`, fmtTime(now), msgIDs); err != nil {
		return 0, 0, fmt.Errorf("delete raw messages: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM message_raw WHERE message IN (SELECT value FROM json_each(?))`, msgIDs); err != nil {
		return 0, 0, fmt.Errorf("delete raw messages: %w", err)
	}
	all := jsonStrings(shas)
	if err := keepNeeded(ctx, tx, all, msgIDs, extract); err != nil {
		return 0, 0, err
	}
	// An e-mail attachment's content is read from the raw message holding
	// it (schema version 4): when that message goes and another kept
	// message holds the same content, it is read from that one instead.
	if _, err := tx.ExecContext(ctx, `UPDATE blobs SET in_message = (SELECT a.message_id FROM attachments a
			JOIN messages m ON m.id = a.message_id WHERE a.sha256 = blobs.sha256 AND m.raw_erased_at IS NULL ORDER BY a.id LIMIT 1)
		WHERE sha256 IN (SELECT value FROM json_each(?1)) AND in_message IN (SELECT value FROM json_each(?2))`, all, msgIDs); err != nil {
		return 0, 0, fmt.Errorf("keep shared attachments: %w", err)
	}
	// Content no kept attachment and no kept message (raw bytes stored
	// before schema version 5) holds any more.
	const unused = `sha256 IN (SELECT value FROM json_each(?1))
		AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = %[1]s.sha256)
		AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.raw_sha256 = %[1]s.sha256 AND m.raw_erased_at IS NULL)`
	if _, err := tx.ExecContext(ctx, `DELETE FROM blob_chunks WHERE `+fmt.Sprintf(unused, "blob_chunks"), all); err != nil {
		return 0, 0, fmt.Errorf("delete stored content: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM blobs WHERE `+fmt.Sprintf(unused, "blobs"), all); err != nil {
		return 0, 0, fmt.Errorf("delete stored content: %w", err)
	}
	return raw, atts, nil
}

// keepNeeded stores apart the content a kept attachment still needs
// that only the raw bytes of the messages msgIDs hold (an upload of the
// same file recorded before schema version 9 pointed into another
// person's e-mail), decoded by extract before those bytes go.
func keepNeeded(ctx context.Context, tx *txn, shas, msgIDs string, extract Extractor) error {
	needed, err := queryStrings(ctx, tx, `SELECT b.sha256 FROM blobs b
		WHERE b.sha256 IN (SELECT value FROM json_each(?1)) AND b.in_message IN (SELECT value FROM json_each(?2))
		AND EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256)
		AND NOT EXISTS (SELECT 1 FROM attachments a JOIN messages m ON m.id = a.message_id
			WHERE a.sha256 = b.sha256 AND m.raw_erased_at IS NULL)`, shas, msgIDs)
	if err != nil {
		return fmt.Errorf("find content still needed: %w", err)
	}
	for _, sha := range needed {
		if extract == nil {
			return fmt.Errorf("content %s is still needed by another attachment and only an erased e-mail holds it", sha[:12])
		}
		var buf bytes.Buffer
		if _, err := extract(ctx, sha, &buf); err != nil {
			return fmt.Errorf("keep content %s for another attachment: %w", sha[:12], err)
		}
		if sum := sha256.Sum256(buf.Bytes()); hex.EncodeToString(sum[:]) != sha {
			return fmt.Errorf("keep content %s for another attachment: decoded bytes do not match the digest", sha[:12])
		}
		if _, err := tx.ExecContext(ctx, `UPDATE blobs SET in_message = NULL WHERE sha256 = ?`, sha); err != nil {
			return fmt.Errorf("keep content %s: %w", sha[:12], err)
		}
		if err := insertChunks(ctx, tx, `INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)`, sha, buf.Bytes()); err != nil {
			return fmt.Errorf("keep content %s: %w", sha[:12], err)
		}
	}
	return nil
}

// queryStrings runs a query of one text column.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// blankAudit replaces the details of audit entries that name one of the
// addresses or names (a withdrawal's reason quoting the sender, say) with
// erasedMark. The entries themselves stay: who did what, and when.
func (db *DB) blankAudit(ctx context.Context, tx *txn, refs, addrs, names []string) (int, error) {
	rows, err := db.auditNaming(ctx, tx, refs, addrs, names)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range rows {
		if !a.names {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE audit SET detail = ? WHERE id = ?`, erasedMark, a.id); err != nil {
			return n, fmt.Errorf("blank audit entry %d: %w", a.id, err)
		}
		n++
	}
	return n, nil
}

// blankStaffWords blanks what staff wrote about the cases when it names
// the person: a withdrawal's reason ("duplicate of … (Ona P.)", still
// withdrawn after), a decision's reason and its history. What does not
// name them is the VVG's answer and stays, published with the results.
func blankStaffWords(ctx context.Context, tx *txn, subIDs string, addrs, names []string) error {
	for _, col := range []struct{ table, column, key string }{
		{"submissions", "withdrawn", "id"}, {"submissions", "decision_reason", "id"}, {"decisions", "reason", "submission_id"},
	} {
		rows, err := tx.QueryContext(ctx, `SELECT rowid, `+col.column+` FROM `+col.table+` WHERE `+col.key+
			` IN (SELECT value FROM json_each(?)) AND `+col.column+` <> ''`, subIDs)
		if err != nil {
			return fmt.Errorf("read %s.%s: %w", col.table, col.column, err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			var text string
			if err := rows.Scan(&id, &text); err != nil {
				rows.Close()
				return fmt.Errorf("read %s.%s: %w", col.table, col.column, err)
			}
			if mentions(text, addrs, names) {
				ids = append(ids, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+col.table+` SET `+col.column+` = ? WHERE rowid IN (SELECT value FROM json_each(?))`,
			erasedMark, jsonIDs(ids)); err != nil {
			return fmt.Errorf("blank %s.%s: %w", col.table, col.column, err)
		}
	}
	return nil
}

// execCount runs a statement and returns how many rows it changed.
func execCount(ctx context.Context, tx *txn, q string, args ...any) (int, error) {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
