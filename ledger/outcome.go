package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The outcome of a consultation: after the deadline it is decided when
// every suggestion that counts has a decision, and published when staff
// publish its results table; each resident then hears the decision on
// their suggestion, by a decision letter or, without an address, by the
// published table alone. The rules here are the lifecycle's; who gets a
// letter is the pipeline's rule (intake), what the letter and the table
// say is notify's.

// undecidedCond is a consultation's suggestions that count and still
// have no decision, for EXISTS and count(*) over submissions s joined to
// consultations c; undecidedOf is the same for the consultation whose id
// is the statement's parameter ?2.
const (
	undecidedCond = `s.consultation_id = c.id AND s.withdrawn = '' AND s.decision = ''`
	undecidedOf   = `s.consultation_id = ?2 AND s.withdrawn = '' AND s.decision = ''`
)

// settle moves a closed consultation whose every suggestion that counts
// has a decision to decided (one that received none stays closed: there
// is nothing to decide, though it can still be published), and a
// decided one that has an undecided
// suggestion again (a late one, a reinstated or split one) back to
// closed, with an audit entry. Published consultations stay published:
// a suggestion decided after publication is answered on its own
// (DecideAnswer). Every change that can tip the balance calls it in its
// own transaction.
func (db *DB) settle(ctx context.Context, tx *txn, consID int64, actor string, now time.Time) error {
	_, err := db.settled(ctx, tx, consID, actor, now)
	return err
}

// settled is settle returning the status it moved the consultation to,
// "" when it left it as it was.
func (db *DB) settled(ctx context.Context, tx *txn, consID int64, actor string, now time.Time) (string, error) {
	var to string
	err := tx.QueryRowContext(ctx, `
		UPDATE consultations SET
			status = CASE status WHEN 'closed' THEN 'decided' ELSE 'closed' END,
			decided_at = CASE status WHEN 'closed' THEN ?1 END,
			updated_at = ?1
		WHERE id = ?2 AND (
			(status = 'closed' AND NOT EXISTS (SELECT 1 FROM submissions s WHERE `+undecidedOf+`)
				AND EXISTS (SELECT 1 FROM submissions s WHERE s.consultation_id = ?2 AND s.withdrawn = ''))
			OR (status = 'decided' AND EXISTS (SELECT 1 FROM submissions s WHERE `+undecidedOf+`)))
		RETURNING status`, fmtTime(now), consID).Scan(&to)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("settle consultation #%d: %w", consID, err)
	}
	db.cons.changed()
	var slug string
	if err := tx.QueryRowContext(ctx, `SELECT slug FROM consultations WHERE id = ?`, consID).Scan(&slug); err != nil {
		return "", fmt.Errorf("settle consultation #%d: %w", consID, err)
	}
	detail := "every suggestion has a decision"
	if to == StatusClosed {
		detail = "a suggestion without a decision joined it"
	}
	return to, audit(ctx, tx, now, actor, "consultation."+to, slug, detail)
}

// settleOf is settle for the consultation of submission subID.
func (db *DB) settleOf(ctx context.Context, tx *txn, subID int64, actor string, now time.Time) error {
	var consID int64
	if err := tx.QueryRowContext(ctx, `SELECT consultation_id FROM submissions WHERE id = ?`, subID).Scan(&consID); err != nil {
		return fmt.Errorf("settle consultation of #%d: %w", subID, err)
	}
	return db.settle(ctx, tx, consID, actor, now)
}

// MarkReported stamps that the closing report of a consultation was sent.
// The status stays as it is: the report says what came in, not what was
// decided.
func (db *DB) MarkReported(ctx context.Context, consID int64) error {
	now := db.now()
	err := db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `UPDATE consultations SET reported_at = ?1, updated_at = ?1
			WHERE id = ?2 AND reported_at IS NULL`, fmtTime(now), consID)
		if err != nil {
			return fmt.Errorf("mark consultation #%d reported: %w", consID, err)
		}
		return nil
	})
	db.cons.changed()
	return err
}

// Outcome counts how far a consultation's suggestions that count are on
// their way to an answer: decided, and answered (the decision letter
// accepted by the mail server, or the table published for those without
// one). Withdrawn suggestions are counted apart and nowhere else.
type Outcome struct {
	Total, Decided, Undecided    int
	Accepted, Partly, Rejected   int
	Answered                     int
	Withdrawn                    int
	LettersQueued, LettersSent   int // decision letters waiting (or being sent) and accepted
	LettersFailed                int // refused for good, for staff to answer by hand
	ResultsQueued, ResultsSent   int // the results report
	UndecidedRefs, UnansweredRef []string
}

// Outcome reads a consultation's decision status. refs caps how many
// references of undecided and unanswered suggestions it lists.
func (db *DB) Outcome(ctx context.Context, consID int64, refs int) (Outcome, error) {
	var o Outcome
	err := db.r.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE withdrawn = ''),
		count(*) FILTER (WHERE withdrawn = '' AND decision <> ''),
		count(*) FILTER (WHERE withdrawn = '' AND decision = 'accepted'),
		count(*) FILTER (WHERE withdrawn = '' AND decision = 'partly'),
		count(*) FILTER (WHERE withdrawn = '' AND decision = 'rejected'),
		count(*) FILTER (WHERE withdrawn = '' AND answered_at IS NOT NULL),
		count(*) FILTER (WHERE withdrawn <> '')
		FROM submissions WHERE consultation_id = ?`, consID).
		Scan(&o.Total, &o.Decided, &o.Accepted, &o.Partly, &o.Rejected, &o.Answered, &o.Withdrawn)
	if err != nil {
		return o, fmt.Errorf("count decisions of #%d: %w", consID, err)
	}
	o.Undecided = o.Total - o.Decided
	err = db.r.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE kind = 'decision' AND status IN ('pending', 'sending')),
		count(*) FILTER (WHERE kind = 'decision' AND status = 'sent'),
		count(*) FILTER (WHERE kind = 'decision' AND status = 'failed'),
		count(*) FILTER (WHERE kind = 'results' AND status IN ('pending', 'sending')),
		count(*) FILTER (WHERE kind = 'results' AND status = 'sent')
		FROM outbox WHERE consultation_id = ? AND kind IN ('decision', 'results')`, consID).
		Scan(&o.LettersQueued, &o.LettersSent, &o.LettersFailed, &o.ResultsQueued, &o.ResultsSent)
	if err != nil {
		return o, fmt.Errorf("count decision letters of #%d: %w", consID, err)
	}
	if refs > 0 {
		if o.UndecidedRefs, err = db.refs(ctx, `SELECT ref FROM submissions WHERE consultation_id = ?
			AND withdrawn = '' AND decision = '' ORDER BY id LIMIT ?`, consID, refs); err != nil {
			return o, err
		}
		if o.UnansweredRef, err = db.refs(ctx, `SELECT ref FROM submissions WHERE consultation_id = ?
			AND withdrawn = '' AND answered_at IS NULL ORDER BY id LIMIT ?`, consID, refs); err != nil {
			return o, err
		}
	}
	return o, nil
}

// Answer is how one decision reaches its resident: a decision letter to
// To, or, with To empty, the published results table alone (Why says
// why no letter goes, for staff).
type Answer struct {
	SubmissionID int64
	To           string
	Why          string
}

// FrozenRedaction is the detector's redaction of a suggestion, stored
// when its results are published unless staff saved their own.
type FrozenRedaction struct {
	SubmissionID int64
	Spans        string // JSON
	TextSHA256   string
}

// PublishPlan is what publishing a consultation does, made by the caller
// from the ledger as it read it: an Answer for every suggestion that
// counts, the redactions to freeze, and the results report to queue.
type PublishPlan struct {
	Answers    []Answer
	Redactions []FrozenRedaction
	Report     []*OutboxItem // the results report to staff and the board
	Actor      string
}

// Published is what Publish did.
type Published struct {
	Consultation *Consultation
	Letters      int // decision letters queued now
	Earlier      int // letters queued before (decisions answered one by one)
	Unlettered   int // answered by the table alone
}

// Publish publishes a decided consultation's results (or a closed one
// that received no suggestion): in one
// transaction it checks that every suggestion that counts is decided and
// that the plan answers each of them, queues a decision letter for each
// answer with an address (at most one per suggestion, ever), marks the
// others answered, freezes the redactions the plan carries (staff's own
// stay), queues the results report and moves the consultation to
// published. A plan made before something changed (a late suggestion
// arrived, one was withdrawn) is refused with ErrState: make it again.
func (db *DB) Publish(ctx context.Context, slug string, plan PublishPlan) (*Published, error) {
	now := db.now()
	out := &Published{}
	err := db.tx(ctx, func(tx *txn) error {
		consID, status, err := consultationState(ctx, tx, slug)
		if err != nil {
			return err
		}
		if status != StatusClosed && status != StatusDecided {
			return fmt.Errorf("consultation %s is %s, not decided: %w", slug, status, ErrState)
		}
		var undecided int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM submissions s JOIN consultations c ON c.id = s.consultation_id
			WHERE c.id = ? AND `+undecidedCond, consID).Scan(&undecided); err != nil {
			return fmt.Errorf("publish %s: %w", slug, err)
		}
		if undecided > 0 {
			return fmt.Errorf("consultation %s: %d suggestions have no decision yet: %w", slug, undecided, ErrState)
		}
		var counting int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM submissions WHERE consultation_id = ? AND withdrawn = ''`,
			consID).Scan(&counting); err != nil {
			return fmt.Errorf("publish %s: %w", slug, err)
		}
		if counting != len(plan.Answers) {
			return fmt.Errorf("publish %s: the plan answers %d suggestions, the consultation has %d: %w", slug, len(plan.Answers), counting, ErrState)
		}
		for _, a := range plan.Answers {
			var (
				cid                 int64
				withdrawn, decision string
			)
			err := tx.QueryRowContext(ctx, `SELECT consultation_id, withdrawn, decision FROM submissions WHERE id = ?`,
				a.SubmissionID).Scan(&cid, &withdrawn, &decision)
			if err != nil || cid != consID || withdrawn != "" || decision == "" {
				return fmt.Errorf("publish %s: suggestion #%d changed since the plan was made: %w", slug, a.SubmissionID, ErrState)
			}
			queued, earlier, err := db.answer(ctx, tx, consID, a, now)
			if err != nil {
				return err
			}
			switch {
			case earlier:
				out.Earlier++
			case queued:
				out.Letters++
			case a.To == "":
				out.Unlettered++
			}
		}
		for _, r := range plan.Redactions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO redactions (submission_id, spans, text_sha256, source, actor, updated_at)
				VALUES (?, ?, ?, 'auto', ?, ?) ON CONFLICT (submission_id) DO NOTHING`,
				r.SubmissionID, r.Spans, r.TextSHA256, plan.Actor, fmtTime(now)); err != nil {
				return fmt.Errorf("freeze redaction of #%d: %w", r.SubmissionID, err)
			}
		}
		for _, it := range plan.Report {
			it.ConsultationID = consID
			if _, err := db.enqueue(ctx, tx, it, now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE consultations SET status = 'published', published_at = ?1, updated_at = ?1
			WHERE id = ?2`, fmtTime(now), consID); err != nil {
			return fmt.Errorf("publish %s: %w", slug, err)
		}
		return audit(ctx, tx, now, plan.Actor, "consultation.published", slug,
			fmt.Sprintf("%d decision letters queued, %d queued before, %d answered by the table alone", out.Letters, out.Earlier, out.Unlettered))
	})
	db.cons.changed()
	if err != nil {
		return nil, err
	}
	if out.Consultation, err = db.Consultation(ctx, slug); err != nil {
		return nil, err
	}
	return out, nil
}

// answer carries out one Answer inside tx: a decision letter to a.To,
// unless one was ever queued for the suggestion (earlier: a letter goes
// once, whatever happens to the decision after), or, without an address,
// marks the suggestion answered now.
func (db *DB) answer(ctx context.Context, tx *txn, consID int64, a Answer, now time.Time) (queued, earlier bool, err error) {
	if a.To == "" {
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET answered_at = ? WHERE id = ? AND answered_at IS NULL`,
			fmtTime(now), a.SubmissionID); err != nil {
			return false, false, fmt.Errorf("mark #%d answered: %w", a.SubmissionID, err)
		}
		return false, false, nil
	}
	it := &OutboxItem{Kind: KindDecision, DedupeKey: fmt.Sprintf("decision:%d", a.SubmissionID),
		SubmissionID: a.SubmissionID, ConsultationID: consID, Recipients: []string{a.To}}
	created, err := db.enqueue(ctx, tx, it, now)
	if err != nil {
		return false, false, err
	}
	return created, !created, nil
}

// DecideAnswer is Decide that also answers the resident in the same
// transaction, when the decision is to reach them now (letters go with
// each decision, or the results were published already): a decision
// letter to a.To, queued at most once per suggestion, or with a.To empty
// the suggestion is marked answered (the published table holds it). A
// nil a answers nothing yet.
func (db *DB) DecideAnswer(ctx context.Context, ref, decision, reason, actor string, a *Answer) (*Submission, error) {
	return db.decide(ctx, ref, decision, reason, actor, a)
}

// Redaction is the stored redaction of one suggestion's published text.
type Redaction struct {
	Spans      string // JSON, as package redact writes a []Span
	TextSHA256 string // of the text the spans were made on
	Staff      bool   // staff saved it; else the detector's, frozen at publication
	Actor      string
	UpdatedAt  time.Time
}

// Redaction returns the stored redaction of a submission; ErrNotFound
// when there is none (the detector's spans are then made afresh).
func (db *DB) Redaction(ctx context.Context, subID int64) (*Redaction, error) {
	var (
		r      Redaction
		source string
		at     string
	)
	err := db.r.QueryRowContext(ctx, `SELECT spans, text_sha256, source, actor, updated_at FROM redactions
		WHERE submission_id = ?`, subID).Scan(&r.Spans, &r.TextSHA256, &source, &r.Actor, &at)
	if err != nil {
		return nil, rowErr(err, "read", "redaction of #%d", subID)
	}
	r.Staff = source == "staff"
	if r.UpdatedAt, err = parseTime(at); err != nil {
		return nil, err
	}
	return &r, nil
}

// SetRedaction stores the redaction staff saw and saved for a suggestion
// (the console's review before publishing): spans JSON over the text
// whose SHA-256 is textSHA. It replaces any earlier one, also after
// publication (the table is generated from the ledger each time).
func (db *DB) SetRedaction(ctx context.Context, ref, spans, textSHA, actor string) error {
	now := db.now()
	return db.tx(ctx, func(tx *txn) error {
		id, canon, err := db.lookupRef(ctx, tx, ref)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO redactions (submission_id, spans, text_sha256, source, actor, updated_at)
			VALUES (?1, ?2, ?3, 'staff', ?4, ?5)
			ON CONFLICT (submission_id) DO UPDATE SET spans = ?2, text_sha256 = ?3, source = 'staff', actor = ?4, updated_at = ?5`,
			id, spans, textSHA, actor, fmtTime(now)); err != nil {
			return fmt.Errorf("save redaction of %s: %w", canon, err)
		}
		return audit(ctx, tx, now, actor, "submission.redact", canon, "")
	})
}

// Addressee is what the rule for decision letters (intake) reads of a
// suggestion: where its resident can be written to and whether an
// acknowledgement was held back.
type Addressee struct {
	SubmissionID int64
	Ref          string
	Source       string
	SenderEmail  string // "" when the resident gave none (or it was erased)
	ReplyTo      string // Reply-To of the resident's mail; "" when none
	AckWithheld  string
	Decision     string
}

// Addressee returns the addressee of a loaded submission.
func (s *Submission) Addressee() Addressee {
	return Addressee{SubmissionID: s.ID, Ref: s.Ref, Source: s.Source, SenderEmail: s.SenderEmail,
		ReplyTo: s.OriginReplyTo, AckWithheld: s.AckWithheld, Decision: s.Decision}
}

// Addressees lists the addressees of a consultation's suggestions that
// count, in reference order.
func (db *DB) Addressees(ctx context.Context, consID int64) ([]Addressee, error) {
	return queryAll(ctx, db.r, fmt.Sprintf("list addressees of #%d", consID), func(r rowScanner) (Addressee, error) {
		var a Addressee
		err := r.Scan(&a.SubmissionID, &a.Ref, &a.Source, &a.SenderEmail, &a.AckWithheld, &a.Decision, &a.ReplyTo)
		return a, err
	}, `
		SELECT s.id, s.ref, s.source, s.sender_email, s.ack_withheld, s.decision,
			coalesce((SELECT m.reply_to FROM messages m WHERE m.submission_id = s.id
				AND m.disposition IN ('suggestion', 'malformed')
				ORDER BY m.internal_date, m.id LIMIT 1), '')
		FROM submissions s WHERE s.consultation_id = ? AND s.withdrawn = '' ORDER BY s.id`, consID)
}
