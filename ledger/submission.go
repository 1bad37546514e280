package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Submission sources.
const (
	SourceEmail = "email"
	SourceForm  = "form"
	SourceStaff = "staff"
)

// Decisions the VVG publishes for each suggestion.
var Decisions = []string{"accepted", "partly", "rejected"}

// Submission is one suggestion (pasiūlymas) with its reference number.
type Submission struct {
	ID             int64
	Ref            string
	ConsultationID int64
	Consultation   string // slug
	// Strategy is the consultation's measure set (Consultation.Strategy):
	// Measure is one of its codes.
	Strategy        string
	Source          string
	ReceivedAt      time.Time
	Late            bool
	SenderName      string
	SenderEmail     string
	Sector          string
	Subject         string
	Text            string
	Language        string
	Measure         string
	Confidence      float64
	Secondary       string
	Evidence        []string
	NeedsReview     bool
	ResidentMeasure string // what the resident chose on the form, kept beside ours
	Status          string // new, reviewed, decided
	Decision        string
	DecisionReason  string
	DecidedAt       time.Time
	Decisions       []DecisionEntry // every decision, oldest first; the last is Decision
	ResponseDue     time.Time
	CreatedAt       time.Time
	Attachments     []Attachment
	MessageRows     []int64 // every message of the case, in arrival order
	Followups       []Followup
	AckStatus       string // outbox status of the acknowledgement, "" when none
	// AckWithheld says why no acknowledgement was sent although the
	// suggestion opened a case (NewSubmission.AckWithheld).
	AckWithheld      string
	OriginMessageID  string // Message-ID header of the resident's mail
	OriginReferences []string
	OriginReplyTo    string // Reply-To of the resident's mail, where answers go; "" when none
	// Withdrawn says why the suggestion left every count and report (spam,
	// a duplicate); "" while it counts. It keeps its reference number.
	Withdrawn  string
	MergedInto string // the reference of the case it was merged into
	SplitFrom  string // the reference of the letter it was split from
	// ErasedAt is when its personal data was erased (on request or by a
	// retention rule); zero while kept. What is left is its tombstone:
	// reference, consultation, source, measure, decision and dates. No
	// letter may be sent to it.
	ErasedAt time.Time
}

// Followup is a later message joined to a submission (a resident's reply).
type Followup struct {
	MessageRowID int64
	ReceivedAt   time.Time
	From         string
	Text         string
}

// Classification is a measure assignment with its confidence.
type Classification struct {
	Measure     string
	Confidence  float64
	Secondary   string
	Evidence    []string
	NeedsReview bool
}

// NewSubmission is what a caller hands over to record a suggestion.
type NewSubmission struct {
	ConsultationID  int64
	Source          string
	ReceivedAt      time.Time // mail: IMAP INTERNALDATE; form: server time
	SenderName      string
	SenderEmail     string
	Sector          string
	Subject         string
	Text            string
	Language        string
	Class           Classification
	ResidentMeasure string
	Attachments     []NewAttachment // stored with the submission (form, staff)
	Ack             *AckRequest     // enqueue an acknowledgement in the same transaction
	// AckWithheld says why no acknowledgement is queued although one
	// could be (an unsure spam score, failed sender authentication),
	// for staff; "" when nothing held it back.
	AckWithheld string
	Actor       string
	// Signature is the near-duplicate signature of the text when the
	// caller made it already (off the commit path); nil leaves it to the
	// grouping's next pass.
	Signature []byte
}

// AckRequest asks for an acknowledgement to be queued with a submission.
type AckRequest struct {
	To string
	// From is the message's From address when the acknowledgement goes
	// to its Reply-To; the per-sender limit counts by it too. "" = To.
	From      string
	MaxPerDay int // at most this many acks to one sender in 24 h; 0 = no limit
}

// AddSubmission records a suggestion that did not come by mail (web
// form, or typed in by staff after a phone call), with its reference
// number, classification and, if asked, its acknowledgement.
func (db *DB) AddSubmission(ctx context.Context, ns *NewSubmission) (*Submission, error) {
	var id int64
	err := db.tx(ctx, func(tx *txn) error {
		var err error
		id, _, _, err = db.insertSubmission(ctx, tx, ns)
		if err != nil {
			return err
		}
		return insertAttachments(ctx, tx, ns.Attachments, 0, id)
	})
	if err != nil {
		return nil, err
	}
	return db.SubmissionByID(ctx, id)
}

// insertSubmission writes the submission, its first classification and
// the acknowledgement, all inside tx; the caller adds ns.Attachments. It
// returns the id, the reference number and whether an acknowledgement was
// queued.
func (db *DB) insertSubmission(ctx context.Context, tx *txn, ns *NewSubmission) (int64, string, bool, error) {
	switch ns.Source {
	case SourceEmail, SourceForm, SourceStaff:
	default:
		return 0, "", false, fmt.Errorf("submission source %q: want email, form or staff", ns.Source)
	}
	var (
		closes, due, status string
		consID              = ns.ConsultationID
	)
	err := tx.QueryRowContext(ctx, `SELECT closes_at, response_due, status FROM consultations WHERE id = ?`, consID).
		Scan(&closes, &due, &status)
	if err != nil {
		return 0, "", false, rowErr(err, "read", "consultation #%d", consID)
	}
	closesAt, err := parseTime(closes)
	if err != nil {
		return 0, "", false, err
	}
	now := db.now()
	received := ns.ReceivedAt
	if received.IsZero() {
		received = now
	}
	// On time means received by the mail server (or our form) before the
	// deadline; later ones are kept and flagged, never dropped.
	late := !received.Before(closesAt)
	if late {
		due = db.fmtDate(db.cal.AddWorkdays(received, db.opt.ResponseDays))
	}
	ref, err := db.nextRef(ctx, tx, now)
	if err != nil {
		return 0, "", false, err
	}
	lang := ns.Language
	if lang == "" {
		lang = "lt"
	}
	c := ns.Class
	res, err := tx.ExecContext(ctx, `
		INSERT INTO submissions (ref, consultation_id, source, received_at, late, sender_name, sender_email,
			sector, subject, text, language, measure, confidence, secondary, evidence, needs_review,
			resident_measure, response_due, created_at, ack_withheld, dup_signature)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ref, consID, ns.Source, fmtTime(received), late, ns.SenderName, ns.SenderEmail,
		ns.Sector, ns.Subject, ns.Text, lang, c.Measure, c.Confidence, c.Secondary,
		strings.Join(c.Evidence, ", "), c.NeedsReview, ns.ResidentMeasure, due, fmtTime(now), ns.AckWithheld, ns.Signature)
	if err != nil {
		return 0, "", false, fmt.Errorf("insert submission %s: %w", ref, err)
	}
	id, _ := res.LastInsertId()
	if err := db.indexNew(ctx, tx, id, ns.Subject, ns.Text, ns.SenderName, ns.SenderEmail); err != nil {
		return 0, "", false, err
	}
	if c.Measure != "" {
		if err := insertClassification(ctx, tx, id, c, "auto", "", now); err != nil {
			return 0, "", false, err
		}
	}
	if ns.ResidentMeasure != "" {
		rc := Classification{Measure: ns.ResidentMeasure, Confidence: 1}
		if err := insertClassification(ctx, tx, id, rc, "resident", ns.SenderEmail, now); err != nil {
			return 0, "", false, err
		}
	}
	acked := false
	if ns.Ack != nil && ns.Ack.To != "" {
		acked, err = db.enqueueAck(ctx, tx, id, consID, ns.Ack, now)
		if err != nil {
			return 0, "", false, err
		}
	}
	if ns.Source == SourceStaff {
		if err := audit(ctx, tx, now, ns.Actor, "submission.add", ref, ""); err != nil {
			return 0, "", false, err
		}
	}
	if status == StatusDecided {
		// A late suggestion joins a decided consultation: it is not
		// decided any more.
		actor := ns.Actor
		if actor == "" {
			actor = "intake"
		}
		if err := db.settle(ctx, tx, consID, actor, now); err != nil {
			return 0, "", false, err
		}
	}
	return id, ref, acked, nil
}

// nextRef assigns the next reference number of the current year (in the
// VVG's zone). The counter row is updated inside the caller's
// transaction, so numbers are gapless: a rolled-back submission returns
// its number.
func (db *DB) nextRef(ctx context.Context, tx *txn, now time.Time) (string, error) {
	year := now.In(db.opt.Location).Year()
	var n int
	err := tx.QueryRowContext(ctx, `
		INSERT INTO ref_counters (prefix, year, last) VALUES (?, ?, 1)
		ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1
		RETURNING last`, db.opt.RefPrefix, year).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("assign reference number: %w", err)
	}
	return formatRef(db.opt.RefPrefix, year, n), nil
}

const submissionCols = `s.id, s.ref, s.consultation_id, c.slug, c.strategy, s.source, s.received_at, s.late,
	s.sender_name, s.sender_email, s.sector, s.subject, s.text, s.language, s.measure, s.confidence,
	s.secondary, s.evidence, s.needs_review, s.resident_measure, s.status, s.decision,
	s.decision_reason, s.decided_at, s.response_due, s.created_at, s.ack_withheld, s.withdrawn,
	coalesce((SELECT x.ref FROM submissions x WHERE x.id = s.merged_into), ''),
	coalesce((SELECT x.ref FROM submissions x WHERE x.id = s.split_from), ''), s.erased_at`

func (db *DB) scanSubmission(row interface{ Scan(...any) error }) (*Submission, error) {
	var (
		s                      Submission
		received, due, created string
		evidence               string
		decided, erased        sql.NullString
	)
	err := row.Scan(&s.ID, &s.Ref, &s.ConsultationID, &s.Consultation, &s.Strategy, &s.Source, &received, &s.Late,
		&s.SenderName, &s.SenderEmail, &s.Sector, &s.Subject, &s.Text, &s.Language, &s.Measure,
		&s.Confidence, &s.Secondary, &evidence, &s.NeedsReview, &s.ResidentMeasure, &s.Status,
		&s.Decision, &s.DecisionReason, &decided, &due, &created, &s.AckWithheld, &s.Withdrawn, &s.MergedInto, &s.SplitFrom, &erased)
	if err != nil {
		return nil, err
	}
	var ts times
	s.ReceivedAt, s.CreatedAt = ts.at(received), ts.at(created)
	s.DecidedAt, s.ErasedAt = ts.maybe(decided), ts.maybe(erased)
	if ts.err != nil {
		return nil, ts.err
	}
	if s.ResponseDue, err = db.parseDate(due); err != nil {
		return nil, err
	}
	s.Evidence = splitList(evidence, ", ")
	return &s, nil
}

// Submission returns the submission with reference ref, with its
// attachments, follow-ups and acknowledgement status.
func (db *DB) Submission(ctx context.Context, ref string) (*Submission, error) {
	id, _, err := db.lookupRef(ctx, db.r, ref)
	if err != nil {
		return nil, err
	}
	return db.SubmissionByID(ctx, id)
}

// SubmissionByID returns a submission by its row id.
func (db *DB) SubmissionByID(ctx context.Context, id int64) (*Submission, error) {
	return db.getSubmission(ctx, `s.id = ?`, id, fmt.Sprintf("#%d", id))
}

func (db *DB) getSubmission(ctx context.Context, where string, arg any, name string) (*Submission, error) {
	row := db.r.QueryRowContext(ctx, `SELECT `+submissionCols+`
		FROM submissions s JOIN consultations c ON c.id = s.consultation_id WHERE `+where, arg)
	s, err := db.scanSubmission(row)
	if err != nil {
		return nil, rowErr(err, "get", "submission %s", name)
	}
	return s, db.loadDetails(ctx, s)
}

func (db *DB) loadDetails(ctx context.Context, s *Submission) error {
	var err error
	if s.Attachments, err = db.submissionAttachments(ctx, s.ID); err != nil {
		return err
	}
	origin := false
	err = eachRow(ctx, db.r, fmt.Sprintf("load follow-ups of %s", s.Ref), func(r rowScanner) error {
		var (
			f                              Followup
			at, disp, msgID, refs, replyTo string
		)
		if err := r.Scan(&f.MessageRowID, &at, &f.From, &f.Text, &disp, &msgID, &refs, &replyTo); err != nil {
			return err
		}
		var err error
		if f.ReceivedAt, err = parseTime(at); err != nil {
			return err
		}
		s.MessageRows = append(s.MessageRows, f.MessageRowID)
		switch disp {
		case "reply":
			s.Followups = append(s.Followups, f)
		case "suggestion", "malformed":
			if !origin {
				// Answers go where the resident's first mail asked.
				s.OriginReplyTo, origin = replyTo, true
			}
			if s.OriginMessageID == "" {
				s.OriginMessageID = msgID
				s.OriginReferences = strings.Fields(refs)
			}
		}
		return nil
	}, `
		SELECT id, internal_date, from_addr, text, disposition, message_id, refs, reply_to FROM messages
		WHERE submission_id = ? ORDER BY internal_date, id`, s.ID)
	if err != nil {
		return err
	}
	err = db.r.QueryRowContext(ctx, `SELECT status FROM outbox WHERE kind = 'ack' AND submission_id = ?`, s.ID).
		Scan(&s.AckStatus)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("load acknowledgement of %s: %w", s.Ref, err)
	}
	if s.Decisions, err = db.decisions(ctx, s.ID); err != nil {
		return fmt.Errorf("load decisions of %s: %w", s.Ref, err)
	}
	return nil
}

// Filter selects submissions for listing and export. Withdrawn
// submissions are left out unless Status is "withdrawn".
type Filter struct {
	Consultation string // slug
	Measure      string
	Status       string // new, reviewed, decided, or withdrawn
	Late         *bool
	NeedsReview  *bool
	Decided      *bool
	Source       string // email, form, staff
	Sector       string
	// Search is full text (Options.Search normalises it as the index
	// was), a reference number in any case, or a reference's number alone.
	Search  string
	AfterID int64 // only rows with a larger id (for paging and digests)
	UpToID  int64 // only rows with id <= UpToID when > 0
	Limit   int
}

// where returns the filter's SQL conditions (on submissions s joined to
// consultations c) and their arguments.
func (db *DB) where(f Filter) (string, []any) {
	q := ` WHERE 1=1`
	var args []any
	add := func(cond string, a ...any) {
		q += ` AND ` + cond
		args = append(args, a...)
	}
	if f.Consultation != "" {
		add(`c.slug = ?`, f.Consultation)
	}
	if f.Measure != "" {
		add(`s.measure = ?`, f.Measure)
	}
	switch f.Status {
	case "":
		add(`s.withdrawn = ''`)
	case "withdrawn":
		add(`s.withdrawn <> ''`)
	default:
		add(`s.status = ? AND s.withdrawn = ''`, f.Status)
	}
	if f.Late != nil {
		add(`s.late = ?`, *f.Late)
	}
	if f.NeedsReview != nil {
		add(`s.needs_review = ?`, *f.NeedsReview)
	}
	if f.Decided != nil {
		if *f.Decided {
			add(`s.decision <> ''`)
		} else {
			add(`s.decision = ''`)
		}
	}
	if f.Source != "" {
		add(`s.source = ?`, f.Source)
	}
	if f.Sector != "" {
		add(`s.sector = ?`, f.Sector)
	}
	if f.AfterID > 0 {
		add(`s.id > ?`, f.AfterID)
	}
	if f.UpToID > 0 {
		add(`s.id <= ?`, f.UpToID)
	}
	if f.Search != "" {
		cond, a := db.searchCond(f.Search)
		add(cond, a...)
	}
	return q, args
}

// Submissions lists submissions matching f in reference order, streaming
// them to fn so that exports of any size run in constant memory.
func (db *DB) Submissions(ctx context.Context, f Filter, fn func(*Submission) error) error {
	w, args := db.where(f)
	q := `SELECT ` + submissionCols + ` FROM submissions s JOIN consultations c ON c.id = s.consultation_id` + w
	q += ` ORDER BY s.id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return streamRows(ctx, db.r, "list submissions", db.scanSubmission, fn, q, args...)
}

// SetMeasure files a submission under another measure as a staff
// correction. The correction is kept in the classification history, where
// the classifier learns from it.
func (db *DB) SetMeasure(ctx context.Context, ref, measure, actor string) (*Submission, error) {
	now := db.now()
	var id int64
	err := db.tx(ctx, func(tx *txn) error {
		var (
			old string
			err error
		)
		if id, ref, err = db.lookupRef(ctx, tx, ref); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT measure FROM submissions WHERE id = ?`, id).Scan(&old); err != nil {
			return fmt.Errorf("read measure of %s: %w", ref, err)
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE submissions SET measure = ?, confidence = 1, secondary = '', needs_review = 0,
				status = CASE status WHEN 'new' THEN 'reviewed' ELSE status END
			WHERE id = ?`, measure, id)
		if err != nil {
			return fmt.Errorf("set measure of %s: %w", ref, err)
		}
		if err := insertClassification(ctx, tx, id, Classification{Measure: measure, Confidence: 1}, "staff", actor, now); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "submission.set-measure", ref, old+" → "+measure)
	})
	if err != nil {
		return nil, err
	}
	return db.SubmissionByID(ctx, id)
}

// AddSubmissions records many suggestions in one transaction, each as
// AddSubmission would (a bulk import; the console's benchmarks). It
// returns their ids in order.
func (db *DB) AddSubmissions(ctx context.Context, nss []*NewSubmission) ([]int64, error) {
	ids := make([]int64, 0, len(nss))
	err := db.tx(ctx, func(tx *txn) error {
		for _, ns := range nss {
			id, _, _, err := db.insertSubmission(ctx, tx, ns)
			if err != nil {
				return err
			}
			if err := insertAttachments(ctx, tx, ns.Attachments, 0, id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}
