package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Staff actions on a submission beyond filing and deciding it: withdraw
// it, split one letter into several suggestions, merge a duplicate into
// its case, and keep internal notes. Each is one transaction with its
// audit entry.

// Withdraw takes a suggestion out of every count and report (spam, or a
// duplicate that slipped through) for reason. It keeps its reference
// number and its rows; the list shows it under "withdrawn".
func (db *DB) Withdraw(ctx context.Context, ref, reason, actor string) (*Submission, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, fmt.Errorf("withdraw %s: a reason is required", ref)
	}
	return db.withdrawal(ctx, ref, actor, func(tx *txn, now time.Time) (int64, error) {
		id, withdrawn, err := submissionState(ctx, tx, ref)
		if err != nil {
			return 0, err
		}
		if withdrawn != "" {
			return 0, fmt.Errorf("%s is already withdrawn (%s): %w", ref, withdrawn, ErrState)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET withdrawn = ?, needs_review = 0 WHERE id = ?`, reason, id); err != nil {
			return 0, fmt.Errorf("withdraw %s: %w", ref, err)
		}
		return id, audit(ctx, tx, now, actor, "submission.withdraw", ref, reason)
	})
}

// Reinstate puts a withdrawn suggestion back into the counts.
func (db *DB) Reinstate(ctx context.Context, ref, actor string) (*Submission, error) {
	return db.withdrawal(ctx, ref, actor, func(tx *txn, now time.Time) (int64, error) {
		id, withdrawn, err := submissionState(ctx, tx, ref)
		if err != nil {
			return 0, err
		}
		if withdrawn == "" {
			return 0, fmt.Errorf("%s is not withdrawn: %w", ref, ErrState)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET withdrawn = '', merged_into = NULL WHERE id = ?`, id); err != nil {
			return 0, fmt.Errorf("reinstate %s: %w", ref, err)
		}
		return id, audit(ctx, tx, now, actor, "submission.reinstate", ref, "was withdrawn: "+withdrawn)
	})
}

// Merge withdraws dup as a duplicate of into: its reference stays, it
// leaves the counts, and both cases name each other.
func (db *DB) Merge(ctx context.Context, dup, into, actor string) (*Submission, error) {
	if strings.EqualFold(dup, into) {
		return nil, fmt.Errorf("merge %s into itself: %w", dup, ErrState)
	}
	return db.withdrawal(ctx, into, actor, func(tx *txn, now time.Time) (int64, error) {
		dupID, dupW, err := submissionState(ctx, tx, dup)
		if err != nil {
			return 0, err
		}
		intoID, intoW, err := submissionState(ctx, tx, into)
		if err != nil {
			return 0, err
		}
		if dupW != "" {
			return 0, fmt.Errorf("%s is already withdrawn (%s): %w", dup, dupW, ErrState)
		}
		if intoW != "" {
			return 0, fmt.Errorf("%s is withdrawn (%s); merge into the case that counts: %w", into, intoW, ErrState)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET withdrawn = ?, merged_into = ?, needs_review = 0
			WHERE id = ?`, "duplicate of "+into, intoID, dupID); err != nil {
			return 0, fmt.Errorf("merge %s into %s: %w", dup, into, err)
		}
		if err := audit(ctx, tx, now, actor, "submission.merge", dup, "into "+into); err != nil {
			return 0, err
		}
		return dupID, audit(ctx, tx, now, actor, "submission.merged", into, "from "+dup)
	})
}

// withdrawal runs change, which takes a suggestion out of the counts or
// puts one back, in one transaction with the settling of its
// consultation (a withdrawal can leave every suggestion left decided),
// and returns the case show as it then stands. change returns the row id
// of the suggestion whose consultation to settle.
func (db *DB) withdrawal(ctx context.Context, show, actor string, change func(tx *txn, now time.Time) (int64, error)) (*Submission, error) {
	now := db.now()
	err := db.tx(ctx, func(tx *txn) error {
		id, err := change(tx, now)
		if err != nil {
			return err
		}
		return db.settleOf(ctx, tx, id, actor, now)
	})
	if err != nil {
		return nil, err
	}
	return db.Submission(ctx, show)
}

// MergedFrom lists the references merged into a case.
func (db *DB) MergedFrom(ctx context.Context, subID int64) ([]string, error) {
	return db.refs(ctx, `SELECT ref FROM submissions WHERE merged_into = ? ORDER BY id`, subID)
}

// SplitInto lists the references split off a letter.
func (db *DB) SplitInto(ctx context.Context, subID int64) ([]string, error) {
	return db.refs(ctx, `SELECT ref FROM submissions WHERE split_from = ? ORDER BY id`, subID)
}

// refs runs a query of references.
func (db *DB) refs(ctx context.Context, q string, args ...any) ([]string, error) {
	return queryAll(ctx, db.r, "list references", scanOne[string], q, args...)
}

// SplitPart is one suggestion cut out of a letter, with its classification.
type SplitPart struct {
	Text  string
	Class Classification
}

// Split cuts one letter into several suggestions: the letter keeps its
// reference with the first part's text and classification, and each
// further part becomes a suggestion of its own with a new reference, the
// same sender, date and consultation (so the same late flag and due
// date). The whole letter stays in its raw message. No acknowledgement is
// sent for the new parts: the resident has one for the letter.
func (db *DB) Split(ctx context.Context, ref string, parts []SplitPart, actor string) ([]*Submission, error) {
	if len(parts) < 2 {
		return nil, fmt.Errorf("split %s: give at least two parts", ref)
	}
	for i, p := range parts {
		if strings.TrimSpace(p.Text) == "" {
			return nil, fmt.Errorf("split %s: part %d is empty", ref, i+1)
		}
	}
	orig, err := db.Submission(ctx, ref)
	if err != nil {
		return nil, err
	}
	if orig.Withdrawn != "" {
		return nil, fmt.Errorf("split %s: it is withdrawn: %w", ref, ErrState)
	}
	now := db.now()
	ids := []int64{orig.ID}
	var newRefs []string
	err = db.tx(ctx, func(tx *txn) error {
		c := parts[0].Class
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET text = ?, measure = ?, confidence = ?, secondary = ?,
			evidence = ?, needs_review = ? WHERE id = ?`, parts[0].Text, c.Measure, c.Confidence, c.Secondary,
			strings.Join(c.Evidence, ", "), c.NeedsReview, orig.ID); err != nil {
			return fmt.Errorf("split %s: %w", ref, err)
		}
		if err := insertClassification(ctx, tx, orig.ID, c, "auto", "", now); err != nil {
			return err
		}
		if err := db.index(ctx, tx, orig.ID); err != nil {
			return err
		}
		for _, p := range parts[1:] {
			id, r, _, err := db.insertSubmission(ctx, tx, &NewSubmission{ConsultationID: orig.ConsultationID,
				Source: orig.Source, ReceivedAt: orig.ReceivedAt, SenderName: orig.SenderName,
				SenderEmail: orig.SenderEmail, Sector: orig.Sector, Subject: orig.Subject, Text: p.Text,
				Language: orig.Language, Class: p.Class})
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE submissions SET split_from = ? WHERE id = ?`, orig.ID, id); err != nil {
				return fmt.Errorf("split %s: %w", ref, err)
			}
			ids = append(ids, id)
			newRefs = append(newRefs, r)
		}
		return audit(ctx, tx, now, actor, "submission.split", ref, "into "+ref+", "+strings.Join(newRefs, ", "))
	})
	if err != nil {
		return nil, err
	}
	out := make([]*Submission, 0, len(ids))
	for _, id := range ids {
		s, err := db.SubmissionByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Note is an internal staff note on a submission; residents never see it.
type Note struct {
	Actor     string
	Text      string
	CreatedAt time.Time
}

// AddNote keeps an internal note on a submission.
func (db *DB) AddNote(ctx context.Context, ref, text, actor string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return fmt.Errorf("note on %s: the note is empty", ref)
	}
	if actor == "" {
		actor = "system"
	}
	now := db.now()
	return db.tx(ctx, func(tx *txn) error {
		id, _, err := submissionState(ctx, tx, ref)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notes (submission_id, actor, text, created_at) VALUES (?, ?, ?, ?)`,
			id, actor, text, fmtTime(now)); err != nil {
			return fmt.Errorf("note on %s: %w", ref, err)
		}
		return audit(ctx, tx, now, actor, "submission.note", ref, "")
	})
}

// Notes lists a submission's internal notes, oldest first.
func (db *DB) Notes(ctx context.Context, subID int64) ([]Note, error) {
	return queryAll(ctx, db.r, "list notes", func(r rowScanner) (Note, error) {
		var (
			n  Note
			at string
		)
		err := r.Scan(&n.Actor, &n.Text, &at)
		if err == nil {
			n.CreatedAt, err = parseTime(at)
		}
		return n, err
	}, `SELECT actor, text, created_at FROM notes WHERE submission_id = ? ORDER BY id`, subID)
}

// submissionState reads a submission's id and withdrawal inside tx.
func submissionState(ctx context.Context, tx *txn, ref string) (int64, string, error) {
	return idAndText(ctx, tx, "submission "+ref, `SELECT id, withdrawn FROM submissions WHERE ref = ?`, ref)
}

// ReviewQueue lists the suggestions waiting for staff review, oldest
// first, optionally of one consultation (slug); at most limit.
func (db *DB) ReviewQueue(ctx context.Context, slug string, limit int) ([]string, int, error) {
	q := `FROM submissions s INDEXED BY submissions_review WHERE s.needs_review = 1 AND s.withdrawn = ''`
	var args []any
	if slug != "" {
		q += ` AND s.consultation_id = (SELECT id FROM consultations WHERE slug = ?)`
		args = append(args, slug)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) `+q, args...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count review queue: %w", err)
	}
	if limit <= 0 {
		limit = 1
	}
	refs, err := db.refs(ctx, `SELECT s.ref `+q+` ORDER BY s.id LIMIT ?`, append(args, limit)...)
	return refs, n, err
}

// ReviewAround returns the suggestions waiting for review just before and
// after the one with row id (by id, wrapping round, "" when there is
// none), and how many wait in all.
func (db *DB) ReviewAround(ctx context.Context, id int64) (prev, next string, total int, err error) {
	// The partial index holds exactly the queue; named, because without
	// statistics the planner prefers the wide list index for withdrawn.
	const q = `FROM submissions INDEXED BY submissions_review WHERE needs_review = 1 AND withdrawn = ''`
	err = db.r.QueryRowContext(ctx, `SELECT
		coalesce((SELECT ref `+q+` AND id < ?1 ORDER BY id DESC LIMIT 1),
		         (SELECT ref `+q+` AND id > ?1 ORDER BY id DESC LIMIT 1), ''),
		coalesce((SELECT ref `+q+` AND id > ?1 ORDER BY id LIMIT 1),
		         (SELECT ref `+q+` AND id < ?1 ORDER BY id LIMIT 1), ''),
		(SELECT count(*) `+q+`)`, id).Scan(&prev, &next, &total)
	if err != nil {
		return "", "", 0, fmt.Errorf("read review queue: %w", err)
	}
	return prev, next, total, nil
}
