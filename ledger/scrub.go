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
	Submissions  int `json:"submissions,omitempty"`   // suggestions anonymised
	Messages     int `json:"messages,omitempty"`      // e-mails whose headers and text were erased
	Raw          int `json:"raw,omitempty"`           // e-mails whose raw bytes were deleted
	Attachments  int `json:"attachments,omitempty"`   // attachment content deleted (e-mail or form)
	Sent         int `json:"sent,omitempty"`          // acknowledgements removed
	Notes        int `json:"notes,omitempty"`         // staff notes removed
	Copies       int `json:"copies,omitempty"`        // mailbox copies queued for deletion
	AuditBlanked int `json:"audit_blanked,omitempty"` // audit details that named the person, blanked
	Deleted      int `json:"deleted,omitempty"`       // whole cases deleted (retention's last rule)
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
// erased e-mail holds (recorded before the privacy migration, schema/*_privacy.sql), reading the
// ledger as it was before the erasure's transaction.
type Extractor func(ctx context.Context, sha string, w io.Writer) (int64, error)

// scrub is one erasure's or purge's parameters.
type scrub struct {
	erasure int64  // the erasure the mailbox copies are queued under; 0: not queued
	actor   string // who, in the audit entries
	why     string // each case's audit entry's detail
	// person is set for an erasure on request: the addresses and names
	// the scope has are then looked for in every audit entry, and each
	// case gets an audit entry of its own. A retention rule (thousands of
	// cases) looks for each case's sender in that case's own entries only,
	// and is audited once as a whole.
	person  bool
	addrs   []string
	names   []string
	now     time.Time
	extract Extractor
}

// scrubScope erases sc's personal data: the raw mail and attachments,
// the messages' headers and text, the cases' senders, subjects and texts
// (and their full-text entries), notes, the residents' own measure
// choices under their address, the acknowledgements, and what staff wrote
// naming them. The mailbox copies are queued under the erasure.
func (db *DB) scrubScope(ctx context.Context, tx *txn, sc *scope, job scrub) (ErasureCounts, error) {
	var c ErasureCounts
	var err error
	now := job.now
	subIDs, msgIDs := jsonIDs(sc.subs), jsonIDs(sc.msgs)
	addrs, names := job.addrs, job.names
	var refs []string
	if job.person {
		// Who the cases were from and what they were called, before it
		// goes: the audit details naming them are found by these.
		if names, addrs, refs, err = scopeNames(ctx, tx, subIDs, msgIDs, names, addrs); err != nil {
			return c, err
		}
	}
	if job.erasure > 0 {
		if c.Copies, err = queueCopies(ctx, tx, job.erasure, msgIDs, job.now); err != nil {
			return c, err
		}
	}
	// What staff wrote about the cases, while their senders are known.
	if c.AuditBlanked, err = db.blankAudit(ctx, tx, subIDs, addrs, names, job.person); err != nil {
		return c, err
	}
	if err := blankStaffWords(ctx, tx, subIDs, addrs, names); err != nil {
		return c, err
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
	// What was hidden before publishing quotes the personal data it
	// hides (redact.Span.Text); with the text gone there is nothing to hide.
	if _, err := tx.ExecContext(ctx, `DELETE FROM redactions WHERE submission_id IN (SELECT value FROM json_each(?))`, subIDs); err != nil {
		return c, fmt.Errorf("remove redactions: %w", err)
	}
	// The measure history stays (it is how the case was filed); the
	// words that decided it are the resident's, and a resident's own
	// choice was recorded under their address.
	if _, err := tx.ExecContext(ctx, `UPDATE classifications SET evidence = '',
		actor = CASE source WHEN 'resident' THEN '' ELSE actor END
		WHERE submission_id IN (SELECT value FROM json_each(?))`, subIDs); err != nil {
		return c, fmt.Errorf("erase classification evidence: %w", err)
	}
	// A theme's computed words are drawn from its members' texts: a name
	// or a rare word of this person's may be one. They are worked out
	// again, without it, at the grouping's next pass (the text's change
	// below moves the consultation's group_rev).
	if _, err := tx.ExecContext(ctx, `UPDATE themes SET words = '[]' WHERE (consultation_id, id) IN
		(SELECT consultation_id, theme_id FROM theme_members WHERE submission_id IN (SELECT value FROM json_each(?)))`, subIDs); err != nil {
		return c, fmt.Errorf("forget theme words: %w", err)
	}
	if db.searchOn {
		// FTS5 secure-delete (the privacy migration) takes the terms out of
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
	var refs []string
	err := eachRow(ctx, tx, "read senders", func(r rowScanner) error {
		var n, a, ref string
		if err := r.Scan(&n, &a, &ref); err != nil {
			return err
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
		return nil
	}, `
		SELECT sender_name, sender_email, ref FROM submissions WHERE id IN (SELECT value FROM json_each(?1))
		UNION ALL
		SELECT from_name, from_addr, '' FROM messages WHERE id IN (SELECT value FROM json_each(?2))`, subIDs, msgIDs)
	if err != nil {
		return nil, nil, nil, err
	}
	return names, addrs, refs, nil
}

// queueCopies records the mailbox copies of msgIDs under the erasure:
// where each was taken in, and its Message-ID and digest to find it where
// it went since (moved, labelled, or in the mailbox an archive was
// imported from).
func queueCopies(ctx context.Context, tx *txn, erasure int64, msgIDs string, now time.Time) (int, error) {
	// Once per message: a retention rule's raw-mail step queues them,
	// the personal-data step after it need not look again.
	n, err := execCount(ctx, tx, `INSERT INTO erasure_copies (erasure_id, account, folder, uidvalidity, uid, message_id,
			raw_sha256, size, truncated)
		SELECT ?, account, folder, coalesce(uidvalidity, 0), coalesce(uid, 0), message_id, raw_sha256, size, truncated
		FROM messages WHERE id IN (SELECT value FROM json_each(?)) AND (uid IS NOT NULL OR message_id <> '')
			AND copies_queued_at IS NULL`, erasure, msgIDs)
	if err != nil {
		return 0, fmt.Errorf("queue mailbox copies: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET copies_queued_at = ? WHERE id IN (SELECT value FROM json_each(?))
		AND copies_queued_at IS NULL`, fmtTime(now), msgIDs); err != nil {
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
	shas, err := queryAll(ctx, tx, "list content to delete", scanOne[string], `SELECT sha256 FROM attachments WHERE `+of+` AND sha256 IS NOT NULL
		UNION SELECT raw_sha256 FROM messages WHERE id IN (SELECT value FROM json_each(?1))`, msgIDs, subIDs)
	if err != nil {
		return 0, 0, err
	}
	// The count is of content deleted: rows a raw-mail rule emptied
	// before are not counted again when they go.
	if atts, err = execCount(ctx, tx, `UPDATE attachments SET sha256 = NULL, refused = 'deleted by the retention rule'
		WHERE `+of+` AND sha256 IS NOT NULL`, msgIDs, subIDs); err != nil {
		return 0, 0, fmt.Errorf("delete attachments: %w", err)
	}
	if !keepRows {
		if _, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE `+of, msgIDs, subIDs); err != nil {
			return 0, 0, fmt.Errorf("delete attachments: %w", err)
		}
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
// same file recorded before the privacy migration pointed into another
// person's e-mail), decoded by extract before those bytes go.
func keepNeeded(ctx context.Context, tx *txn, shas, msgIDs string, extract Extractor) error {
	needed, err := queryAll(ctx, tx, "find content still needed", scanOne[string], `SELECT b.sha256 FROM blobs b
		WHERE b.sha256 IN (SELECT value FROM json_each(?1)) AND b.in_message IN (SELECT value FROM json_each(?2))
		AND EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256)
		AND NOT EXISTS (SELECT 1 FROM attachments a JOIN messages m ON m.id = a.message_id
			WHERE a.sha256 = b.sha256 AND m.raw_erased_at IS NULL)`, shas, msgIDs)
	if err != nil {
		return err
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

// blankAudit replaces with erasedMark the details of audit entries that
// name the person: entries about each case naming its own sender (a
// withdrawal's reason quoting them, say), and with everywhere, entries
// anywhere naming one of addrs or names. The entries themselves stay: who
// did what, and when.
func (db *DB) blankAudit(ctx context.Context, tx *txn, subIDs string, addrs, names []string, everywhere bool) (int, error) {
	ids, err := namingIDs(ctx, tx, "read audit entries", addrs, names, `SELECT a.id, a.detail, s.sender_email, s.sender_name FROM submissions s
		JOIN audit a ON a.target = s.ref WHERE s.id IN (SELECT value FROM json_each(?)) AND a.detail <> ''`, subIDs)
	if err != nil {
		return 0, err
	}
	if everywhere {
		others, err := db.auditNaming(ctx, tx, nil, addrs, names)
		if err != nil {
			return 0, err
		}
		for _, a := range others {
			if a.names {
				ids = append(ids, a.id)
			}
		}
	}
	ids = union(nil, ids)
	if len(ids) == 0 {
		return 0, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit SET detail = ? WHERE id IN (SELECT value FROM json_each(?))`,
		erasedMark, jsonIDs(ids)); err != nil {
		return 0, fmt.Errorf("blank audit entries: %w", err)
	}
	return len(ids), nil
}

// blankStaffWords blanks what staff wrote about the cases when it names
// their sender (or one of addrs or names): a withdrawal's reason
// ("duplicate of … (Ona P.)", still withdrawn after), a decision's reason
// and its history. What does not name them is the VVG's answer and
// stays, published with the results.
func blankStaffWords(ctx context.Context, tx *txn, subIDs string, addrs, names []string) error {
	for _, q := range []struct{ table, column, query string }{
		{"submissions", "withdrawn", `SELECT id, withdrawn, sender_email, sender_name FROM submissions
			WHERE id IN (SELECT value FROM json_each(?)) AND withdrawn <> ''`},
		{"submissions", "decision_reason", `SELECT id, decision_reason, sender_email, sender_name FROM submissions
			WHERE id IN (SELECT value FROM json_each(?)) AND decision_reason <> ''`},
		{"decisions", "reason", `SELECT d.id, d.reason, s.sender_email, s.sender_name FROM decisions d
			JOIN submissions s ON s.id = d.submission_id WHERE s.id IN (SELECT value FROM json_each(?))`},
	} {
		ids, err := namingIDs(ctx, tx, fmt.Sprintf("read %s.%s", q.table, q.column), addrs, names, q.query, subIDs)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+q.table+` SET `+q.column+` = ? WHERE id IN (SELECT value FROM json_each(?))`,
			erasedMark, jsonIDs(ids)); err != nil {
			return fmt.Errorf("blank %s.%s: %w", q.table, q.column, err)
		}
	}
	return nil
}

// namingIDs runs a query of (id, text, sender address, sender name) rows
// and returns the ids of those whose text names their own sender or one
// of addrs or names: the audit entries and staff words an erasure blanks,
// each read by its own query.
func namingIDs(ctx context.Context, q queryer, what string, addrs, names []string, query string, args ...any) ([]int64, error) {
	var ids []int64
	err := eachRow(ctx, q, what, func(r rowScanner) error {
		var (
			id               int64
			text, addr, name string
		)
		if err := r.Scan(&id, &text, &addr, &name); err != nil {
			return err
		}
		if mentions(text, append([]string{addr}, addrs...), append([]string{name}, names...)) {
			ids = append(ids, id)
		}
		return nil
	}, query, args...)
	return ids, err
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
