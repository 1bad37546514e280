package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"
)

func insertClassification(ctx context.Context, tx *txn, subID int64, c Classification, source, actor string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO classifications (submission_id, measure, confidence, secondary, evidence, source, actor, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		subID, c.Measure, c.Confidence, c.Secondary, strings.Join(c.Evidence, ", "), source, actor, fmtTime(at))
	if err != nil {
		return fmt.Errorf("record classification: %w", err)
	}
	return nil
}

// Correction is a staff correction usable as a training example.
type Correction struct {
	Ref     string
	Text    string
	Measure string
	// Strategy is the measure set of the suggestion's consultation
	// (Consultation.Strategy): the classifier of that set learns it.
	Strategy string
}

// Corrections lists the latest staff correction of every corrected
// submission; the classifier retrains from them. An erased suggestion's
// text is gone, and so is its example.
func (db *DB) Corrections(ctx context.Context) ([]Correction, error) {
	return db.corrections(ctx, "list corrections", `
		SELECT s.ref, s.subject, s.text, c.measure, k.strategy FROM classifications c
		JOIN submissions s ON s.id = c.submission_id
		JOIN consultations k ON k.id = s.consultation_id
		WHERE c.id IN (SELECT max(id) FROM classifications WHERE source = 'staff' GROUP BY submission_id)
			AND s.erased_at IS NULL
		ORDER BY c.id`)
}

// Decisions lists every staff decision about the measures of a
// consultation's suggestions (corrections and confirmations), in the order
// they were taken, for `classify eval --replay`.
func (db *DB) Decisions(ctx context.Context, slug string) ([]Correction, error) {
	return db.corrections(ctx, "list decisions of "+slug, `
		SELECT s.ref, s.subject, s.text, c.measure, k.strategy FROM classifications c
		JOIN submissions s ON s.id = c.submission_id
		JOIN consultations k ON k.id = s.consultation_id
		WHERE c.source = 'staff' AND k.slug = ? AND s.erased_at IS NULL
		ORDER BY c.id`, slug)
}

// corrections runs a query of (ref, subject, text, measure, strategy) rows; a
// suggestion with no text is learnt from its subject.
func (db *DB) corrections(ctx context.Context, what, query string, args ...any) ([]Correction, error) {
	return queryAll(ctx, db.r, what, func(r rowScanner) (Correction, error) {
		var c Correction
		var subject string
		err := r.Scan(&c.Ref, &subject, &c.Text, &c.Measure, &c.Strategy)
		c.Text = PublishedText(subject, c.Text)
		return c, err
	}, query, args...)
}

// ClassificationEntry is one row of a submission's classification history.
type ClassificationEntry struct {
	Classification
	Source    string // auto, staff or resident
	Actor     string
	CreatedAt time.Time
}

// History lists how a submission was classified over time, oldest first.
func (db *DB) History(ctx context.Context, subID int64) ([]ClassificationEntry, error) {
	return queryAll(ctx, db.r, "list classifications", func(r rowScanner) (ClassificationEntry, error) {
		var (
			e           ClassificationEntry
			ev, created string
		)
		err := r.Scan(&e.Measure, &e.Confidence, &e.Secondary, &ev, &e.Source, &e.Actor, &created)
		if err == nil {
			e.Evidence = splitList(ev, ", ")
			e.CreatedAt, err = parseTime(created)
		}
		return e, err
	}, `
		SELECT measure, confidence, secondary, evidence, source, actor, created_at
		FROM classifications WHERE submission_id = ? ORDER BY id`, subID)
}

// CorrectionsVersion changes whenever staff correct a classification; a
// running daemon compares it to decide when to retrain.
func (db *DB) CorrectionsVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM classifications WHERE source = 'staff'`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read corrections version: %w", err)
	}
	return v, nil
}
