package ledger

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Routes: where a person's message was filed.
const (
	RouteRouted      = "routed"
	RouteLate        = "late"
	RouteUnrouted    = "unrouted"      // several consultations open and nothing says which
	RouteOutOfWindow = "out-of-window" // no consultation was taking suggestions
)

// Message is an inbound mail as recorded: the proof of receipt (raw
// bytes by hash, INTERNALDATE) and what became of it.
type Message struct {
	ID             int64
	Source         string // imap or import
	Account        string
	Folder         string
	UIDValidity    uint32
	UID            uint32
	File           string
	InternalDate   time.Time
	Size           int64
	Truncated      bool
	RawSHA256      string
	ContentKey     string
	MessageID      string
	FromAddr       string
	FromName       string
	ReplyTo        string
	Subject        string
	HasSubject     bool
	InReplyTo      string
	References     []string
	Date           time.Time
	Text           string
	Language       string
	Defects        []string
	Disposition    string // a mailparse.Kind: the one vocabulary of dispositions
	Reason         string
	Route          string
	ConsultationID int64
	SubmissionID   int64
	DuplicateOf    int64  // the message this one repeats, 0 when original
	Ref            string // of SubmissionID, when listed
	Ack            bool   // earned an acknowledgement
	CreatedAt      time.Time
	Attachments    []Attachment
	// RawErased: its raw bytes were deleted (a retention rule, an
	// erasure); the digest and size stay.
	RawErased bool
}

// Inbound is a parsed message with the pipeline's verdict, to be recorded.
//
// Message.RawSHA256 may come filled in with RawDigest(Raw), worked out
// ahead by the caller (a mail sync does it while the ledger records the
// messages before); empty, Ingest works it out.
type Inbound struct {
	Message
	Raw         []byte
	Attachments []NewAttachment
	// Submission opens a new case from this message (suggestion or
	// malformed mail from a person, routed to a consultation).
	Submission *NewSubmission
	// JoinSubmission appends this message to an existing case (a
	// resident's reply to our acknowledgement).
	JoinSubmission int64
}

// RawDigest is the hex SHA-256 of a raw message, by which the ledger knows
// it again.
func RawDigest(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// IngestResult says what Ingest did.
type IngestResult struct {
	MessageRow  int64
	Existing    bool // this exact message was recorded before; nothing was written
	Duplicate   bool // another delivery of content recorded before: joined, not acknowledged
	Disposition string
	Ref         string // the submission it opened or joined
	Acked       bool   // an acknowledgement was queued
}

// ContentKey derives the key that recognises the same message delivered
// twice (an alias, a second copy with other Received lines): Message-ID
// together with sender, date and body, because some clients reuse one
// Message-ID for different messages.
func ContentKey(messageID, from string, date time.Time, subject, text string, attachments []string) string {
	h := sha256.New()
	var d string
	if !date.IsZero() {
		d = date.UTC().Format(time.RFC3339)
	}
	for _, s := range append([]string{messageID, strings.ToLower(from), d, subject, text}, attachments...) {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Ingest records one inbound message and everything that follows from it
// in a single transaction: the raw bytes, the message row, its attachments
// and — for a new case — the submission with its reference number,
// classification and acknowledgement. It is idempotent: a message already
// recorded (same mailbox UID, or the same raw bytes after a UIDVALIDITY
// change or a second import) is reported as Existing and nothing is
// written; a second delivery of the same content is recorded, marked as
// a duplicate of the first, joins its case and opens none.
func (db *DB) Ingest(ctx context.Context, in *Inbound) (*IngestResult, error) {
	res, err := db.IngestBatch(ctx, []*Inbound{in})
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// IngestBatch records several inbound messages, in order, in one
// transaction: all of them or, on an error, none. Each is recorded as
// Ingest would record it alone, and sees the ones before it. A mailbox
// sync commits what it has fetched in groups this way; one commit per
// message wrote the same B-tree pages to the WAL over and over.
func (db *DB) IngestBatch(ctx context.Context, ins []*Inbound) ([]*IngestResult, error) {
	for _, in := range ins {
		if in.Source != "imap" && in.Source != "import" {
			return nil, fmt.Errorf("ingest: source %q: want imap or import", in.Source)
		}
		if in.RawSHA256 == "" {
			in.RawSHA256 = RawDigest(in.Raw)
		}
	}
	res := make([]*IngestResult, len(ins))
	err := db.tx(ctx, func(tx *txn) error {
		for i, in := range ins {
			r, err := db.ingest(ctx, tx, in)
			if err != nil {
				if len(ins) > 1 {
					return fmt.Errorf("message %d of %d: %w", i+1, len(ins), err)
				}
				return err
			}
			res[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ingest records one message in tx. It leaves in as it was, so that a
// rolled back batch can be recorded again.
func (db *DB) ingest(ctx context.Context, tx *txn, in *Inbound) (*IngestResult, error) {
	res := &IngestResult{}
	existing, err := db.findExisting(ctx, tx, in)
	if err != nil || existing != nil {
		return existing, err
	}
	now := db.now()
	m := in.Message // a copy: a duplicate changes its reason
	disp := m.Disposition
	newSub, joinSub := in.Submission, in.JoinSubmission
	var subID, dupOf int64
	if m.ContentKey != "" {
		var orig sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT id, submission_id FROM messages
			WHERE content_key = ? ORDER BY id LIMIT 1`, m.ContentKey).Scan(&dupOf, &orig)
		switch {
		case err == nil:
			subID = orig.Int64
			res.Duplicate = true
			m.Reason = fmt.Sprintf("another delivery of message %d (same Message-ID, sender, date and text)", dupOf)
			newSub, joinSub = nil, 0
		case errors.Is(err, sql.ErrNoRows):
			dupOf = 0
		default:
			return nil, fmt.Errorf("look up content key: %w", err)
		}
	}
	acked := false
	switch {
	case newSub != nil:
		// The case first, so the message row is written once, complete.
		subID, res.Ref, acked, err = db.insertSubmission(ctx, tx, newSub)
		if err != nil {
			return nil, err
		}
	case joinSub > 0:
		subID = joinSub
	}
	if subID > 0 && res.Ref == "" {
		if err := tx.QueryRowContext(ctx, `SELECT ref FROM submissions WHERE id = ?`, subID).Scan(&res.Ref); err != nil {
			return nil, fmt.Errorf("read reference: %w", err)
		}
	}
	r, err := tx.ExecContext(ctx, `
		INSERT INTO messages (source, account, folder, uidvalidity, uid, file, internal_date, size,
			truncated, raw_sha256, content_key, message_id, from_addr, from_name, reply_to, subject,
			in_reply_to, refs, date_header, text, language, defects, disposition, reason, route,
			consultation_id, duplicate_of, submission_id, ack, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Source, m.Account, m.Folder, nullUID(m.UIDValidity, m.UID), nullUID(m.UID, m.UID), m.File,
		fmtTime(m.InternalDate), m.Size, m.Truncated, in.RawSHA256, m.ContentKey, m.MessageID,
		strings.ToLower(m.FromAddr), m.FromName, m.ReplyTo, nullSubject(m.Subject, m.HasSubject),
		m.InReplyTo, strings.Join(m.References, " "), nullTime(m.Date), m.Text, orLT(m.Language),
		strings.Join(m.Defects, "\n"), disp, m.Reason, m.Route, nullID(m.ConsultationID), nullID(dupOf),
		nullID(subID), acked, fmtTime(now))
	if err != nil {
		return nil, fmt.Errorf("insert message: %w", err)
	}
	res.MessageRow, _ = r.LastInsertId()
	if err := storeRaw(ctx, tx, res.MessageRow, in.Raw); err != nil {
		return nil, err
	}
	res.Disposition = disp
	if newSub != nil {
		if err := insertAttachments(ctx, tx, newSub.Attachments, res.MessageRow, subID); err != nil {
			return nil, err
		}
	}
	attSub := int64(0)
	if newSub != nil || joinSub > 0 {
		attSub = subID
	}
	if err := insertAttachments(ctx, tx, in.Attachments, res.MessageRow, attSub); err != nil {
		return nil, err
	}
	res.Acked = acked
	return res, nil
}

// findExisting looks for this very message: the same mailbox UID, or the
// same raw bytes (a rescan after UIDVALIDITY changed, Gmail showing one
// message under two labels, an .eml imported twice).
func (db *DB) findExisting(ctx context.Context, tx *txn, in *Inbound) (*IngestResult, error) {
	q := `SELECT m.id, m.disposition, m.ack, coalesce(s.ref, '') FROM messages m
		LEFT JOIN submissions s ON s.id = m.submission_id WHERE `
	var row *sql.Row
	if in.UID != 0 {
		row = tx.QueryRowContext(ctx, q+`m.account = ? AND m.folder = ? AND m.uidvalidity = ? AND m.uid = ?`,
			in.Account, in.Folder, in.UIDValidity, in.UID)
		r, err := scanExisting(row)
		if r != nil || err != nil {
			return r, err
		}
	}
	row = tx.QueryRowContext(ctx, q+`m.raw_sha256 = ? ORDER BY m.id LIMIT 1`, in.RawSHA256)
	return scanExisting(row)
}

func scanExisting(row *sql.Row) (*IngestResult, error) {
	r := &IngestResult{Existing: true}
	err := row.Scan(&r.MessageRow, &r.Disposition, &r.Acked, &r.Ref)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up message: %w", err)
	}
	return r, nil
}

func nullUID(v, uid uint32) sql.NullInt64 {
	return sql.NullInt64{Int64: int64(v), Valid: uid != 0}
}

func nullSubject(s string, ok bool) sql.NullString { return sql.NullString{String: s, Valid: ok} }

func orLT(lang string) string {
	if lang == "" {
		return "lt"
	}
	return lang
}

const messageCols = `m.id, m.source, m.account, m.folder, coalesce(m.uidvalidity, 0), coalesce(m.uid, 0), m.file,
	m.internal_date, m.size, m.truncated, m.raw_sha256, m.content_key, m.message_id, m.from_addr, m.from_name,
	m.reply_to, m.subject, m.in_reply_to, m.refs, m.date_header, m.text, m.language, m.defects,
	m.disposition, m.reason, m.route, coalesce(m.consultation_id, 0), coalesce(m.submission_id, 0),
	coalesce(m.duplicate_of, 0), coalesce(s.ref, ''), m.ack, m.created_at, m.raw_erased_at IS NOT NULL`

func scanMessage(row interface{ Scan(...any) error }) (*Message, error) {
	var (
		m                          Message
		internal, refs, defects, c string
		subject, date              sql.NullString
	)
	err := row.Scan(&m.ID, &m.Source, &m.Account, &m.Folder, &m.UIDValidity, &m.UID, &m.File,
		&internal, &m.Size, &m.Truncated, &m.RawSHA256, &m.ContentKey, &m.MessageID, &m.FromAddr, &m.FromName,
		&m.ReplyTo, &subject, &m.InReplyTo, &refs, &date, &m.Text, &m.Language, &defects,
		&m.Disposition, &m.Reason, &m.Route, &m.ConsultationID, &m.SubmissionID, &m.DuplicateOf, &m.Ref, &m.Ack, &c, &m.RawErased)
	if err != nil {
		return nil, err
	}
	m.Subject, m.HasSubject = subject.String, subject.Valid
	m.References = strings.Fields(refs)
	m.Defects = splitList(defects, "\n")
	var ts times
	m.InternalDate, m.Date, m.CreatedAt = ts.at(internal), ts.maybe(date), ts.at(c)
	if ts.err != nil {
		return nil, ts.err
	}
	return &m, nil
}

// MessageFilter selects inbound messages.
type MessageFilter struct {
	Disposition string
	Route       string
	AfterID     int64
	Limit       int
}

// Messages streams inbound messages in arrival order to fn, with their
// attachments.
func (db *DB) Messages(ctx context.Context, f MessageFilter, fn func(*Message) error) error {
	cond, args := f.where()
	q := `SELECT ` + messageCols + ` FROM messages m LEFT JOIN submissions s ON s.id = m.submission_id
		WHERE m.id > ?` + cond + ` ORDER BY m.id`
	args = append([]any{f.AfterID}, args...)
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return streamRows(ctx, db.r, "list messages", scanMessage, func(m *Message) error {
		var err error
		if m.Attachments, err = db.MessageAttachments(ctx, m.ID); err != nil {
			return err
		}
		return fn(m)
	}, q, args...)
}

// where is the part of a query's WHERE clause that f's disposition and
// route add, each an "AND" to follow the query's own condition, and the
// arguments it takes. Messages and MessagesPage select by it alike.
func (f MessageFilter) where() (string, []any) {
	var (
		w    string
		args []any
	)
	if f.Disposition != "" {
		w += ` AND m.disposition = ?`
		args = append(args, f.Disposition)
	}
	if f.Route != "" {
		w += ` AND m.route = ?`
		args = append(args, f.Route)
	}
	return w, args
}

// MessageByID returns one inbound message.
func (db *DB) MessageByID(ctx context.Context, id int64) (*Message, error) {
	m, err := scanMessage(db.r.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages m
		LEFT JOIN submissions s ON s.id = m.submission_id WHERE m.id = ?`, id))
	if err != nil {
		return nil, rowErr(err, "get", "message %d", id)
	}
	m.Attachments, err = db.MessageAttachments(ctx, m.ID)
	return m, err
}

// AssignMessage turns a recorded message that opened no case (unrouted,
// out of the window, or mis-sorted as automatic) into a submission of the
// given consultation, as a staff action. An acknowledgement is queued
// only when ns.Ack asks for one.
func (db *DB) AssignMessage(ctx context.Context, id int64, ns *NewSubmission, actor string) (*Submission, error) {
	var subID int64
	err := db.tx(ctx, func(tx *txn) error {
		var cur sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT submission_id FROM messages WHERE id = ?`, id).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("message %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if cur.Valid {
			return fmt.Errorf("message %d already belongs to a submission: %w", id, ErrState)
		}
		subID, _, _, err = db.insertSubmission(ctx, tx, ns)
		if err != nil {
			return err
		}
		if err := insertAttachments(ctx, tx, ns.Attachments, 0, subID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET submission_id = ?, consultation_id = ?,
			route = 'routed' WHERE id = ?`, subID, ns.ConsultationID, id); err != nil {
			return fmt.Errorf("assign message %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE attachments SET submission_id = ? WHERE message_id = ?`, subID, id); err != nil {
			return fmt.Errorf("assign attachments of message %d: %w", id, err)
		}
		return audit(ctx, tx, db.now(), actor, "message.assign", fmt.Sprint(id), fmt.Sprintf("consultation #%d", ns.ConsultationID))
	})
	if err != nil {
		return nil, err
	}
	return db.SubmissionByID(ctx, subID)
}

// MessageCounts counts inbound messages by disposition.
func (db *DB) MessageCounts(ctx context.Context) (map[string]int, error) {
	return queryCounts(ctx, db.r, "count messages", `SELECT disposition, count(*) FROM messages GROUP BY disposition`)
}

// Seen reports whether a message is already recorded: exact is true for
// the same raw bytes, duplicate for another delivery of the same content.
// It writes nothing (import --dry-run).
func (db *DB) Seen(ctx context.Context, raw []byte, contentKey string) (exact, duplicate bool, err error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE raw_sha256 = ?`,
		RawDigest(raw)).Scan(&n); err != nil {
		return false, false, fmt.Errorf("look up message: %w", err)
	}
	if n > 0 {
		return true, false, nil
	}
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE content_key = ?`, contentKey).Scan(&n); err != nil {
		return false, false, fmt.Errorf("look up message: %w", err)
	}
	return false, n > 0, nil
}

// MessagesPage returns one page of inbound messages, newest first,
// without their attachments, and how many match f in all.
func (db *DB) MessagesPage(ctx context.Context, f MessageFilter, offset, limit int) ([]*Message, int, error) {
	cond, args := f.where()
	w := ` WHERE 1=1` + cond
	var total int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM messages m`+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count messages: %w", err)
	}
	out, err := queryAll(ctx, db.r, "list messages", scanMessage, `SELECT `+messageCols+` FROM messages m
		LEFT JOIN submissions s ON s.id = m.submission_id`+w+` ORDER BY m.id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}
