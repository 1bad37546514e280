package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Retention: personal data is kept no longer than the consultation needs
// it (GDPR Art. 5(1)(e), storage limitation). A consultation's clock
// starts when its results are published (the table out, the decision
// letters queued) or, if later, when its last suggestion was decided.
// Mail that joined no consultation (automatic replies, bounces, mail
// outside any window) counts from when it arrived.

// Retention rules, in the order they apply.
const (
	RuleRawMail  = "raw-mail" // raw e-mails and attachments deleted
	RulePersonal = "personal" // cases anonymised to their tombstone
	RuleCases    = "cases"    // whole cases deleted
)

// RetentionRules say after how many months each kind of data goes; 0
// keeps it.
type RetentionRules struct {
	RawMail  int // raw e-mails and attachments
	Personal int // names, addresses, subjects, texts, notes, mail sent
	Cases    int // the anonymous tombstones too
	// Mailbox: the purged mail's copies in the VVG's mailbox are deleted
	// as well (queued on the erasure, as on request).
	Mailbox bool
}

// RetentionStep is one rule due for one consultation, or for the mail
// that joined none (Consultation ""), with what it touches.
type RetentionStep struct {
	Consultation string
	Rule         string
	Since        time.Time // when the clock started
	Due          time.Time // when the rule fell due
	Cases        int
	Messages     int
	// Counts is what applying it removed (zero in a preview).
	Counts ErasureCounts
	// Erasure records it, with the mailbox copies still to delete (0 in a
	// preview).
	Erasure int64
}

// Subject is the erasure subject of a step: "slug: rule".
func (s RetentionStep) Subject() string {
	c := s.Consultation
	if c == "" {
		c = "(no consultation)"
	}
	return c + ": " + s.Rule
}

// unfiledCut is the consultation id used for mail in no consultation.
const unfiledCut = 0

// RetentionDue lists the steps due at now, without applying them (the
// preview of `retention --dry-run`): for each published consultation
// whose clock has run the rule's months, each rule that still has
// something to take.
func (db *DB) RetentionDue(ctx context.Context, rules RetentionRules, now time.Time) ([]RetentionStep, error) {
	return db.retentionSteps(ctx, db.r, rules, now)
}

// retentionSteps works out the steps due at now, reading through q.
func (db *DB) retentionSteps(ctx context.Context, q queryer, rules RetentionRules, now time.Time) ([]RetentionStep, error) {
	// A decision made after publication (a late suggestion answered)
	// moves the clock on: until then the resident was being answered.
	type cons struct {
		id    int64
		slug  string
		since time.Time
	}
	var cs []cons
	err := eachRow(ctx, q, "list published consultations", func(r rowScanner) error {
		var (
			c     cons
			since sql.NullString
		)
		if err := r.Scan(&c.id, &c.slug, &since); err != nil {
			return err
		}
		if t, err := parseNullTime(since); err == nil && !t.IsZero() {
			c.since = t
			cs = append(cs, c)
		}
		return nil
	}, `SELECT c.id, c.slug, max(c.published_at, coalesce((SELECT max(s.decided_at) FROM submissions s
		WHERE s.consultation_id = c.id), '')) FROM consultations c WHERE c.status = 'published' ORDER BY c.id`)
	if err != nil {
		return nil, err
	}
	var out []RetentionStep
	for _, rule := range []struct {
		name   string
		months int
	}{{RuleRawMail, rules.RawMail}, {RulePersonal, rules.Personal}, {RuleCases, rules.Cases}} {
		if rule.months <= 0 {
			continue
		}
		for _, c := range cs {
			due := db.addMonths(c.since, rule.months)
			if now.Before(due) {
				continue
			}
			sc, err := consultationScope(ctx, q, c.id, rule.name)
			if err != nil {
				return nil, err
			}
			if sc.empty() {
				continue
			}
			out = append(out, RetentionStep{Consultation: c.slug, Rule: rule.name, Since: c.since, Due: due,
				Cases: len(sc.subs), Messages: len(sc.msgs)})
		}
		if rule.name == RuleCases {
			continue
		}
		// Mail in no consultation: counted from its arrival.
		cut := db.addMonths(now, -rule.months)
		sc, err := unfiledScope(ctx, q, rule.name, cut)
		if err != nil {
			return nil, err
		}
		if !sc.empty() {
			out = append(out, RetentionStep{Rule: rule.name, Since: cut, Due: now, Messages: len(sc.msgs)})
		}
	}
	return out, nil
}

// addMonths adds n calendar months in the VVG's zone.
func (db *DB) addMonths(t time.Time, n int) time.Time {
	return t.In(db.opt.Location).AddDate(0, n, 0).UTC()
}

// consultationScope is what a rule still has to take of a consultation:
// for raw mail, the messages (of its cases, or routed to it) whose raw
// bytes or attachments are kept; for personal data, its cases not yet
// erased and their messages; for cases, every case.
func consultationScope(ctx context.Context, q queryer, consID int64, rule string) (*scope, error) {
	sc := &scope{}
	var err error
	switch rule {
	case RuleRawMail:
		if sc.msgs, err = queryIDs(ctx, q, `SELECT m.id FROM messages m WHERE m.consultation_id = ?1 AND (m.raw_erased_at IS NULL
				OR EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id AND a.sha256 IS NOT NULL))
			UNION SELECT m.id FROM submissions s JOIN messages m ON m.submission_id = s.id
				WHERE s.consultation_id = ?1 AND m.raw_erased_at IS NULL`, consID); err != nil {
			return nil, err
		}
		// Uploads: a case's own attachments with content.
		if sc.subs, err = queryIDs(ctx, q, `SELECT DISTINCT a.submission_id FROM submissions s JOIN attachments a ON a.submission_id = s.id
			WHERE s.consultation_id = ? AND a.sha256 IS NOT NULL`, consID); err != nil {
			return nil, err
		}
		return sc, nil
	case RulePersonal:
		if sc.subs, err = queryIDs(ctx, q, `SELECT id FROM submissions INDEXED BY submissions_unerased
			WHERE consultation_id = ? AND erased_at IS NULL`, consID); err != nil {
			return nil, err
		}
	case RuleCases:
		if sc.subs, err = queryIDs(ctx, q, `SELECT id FROM submissions WHERE consultation_id = ?`, consID); err != nil {
			return nil, err
		}
	}
	msgs, err := queryIDs(ctx, q, `SELECT id FROM messages WHERE consultation_id = ? AND (? = 'cases' OR erased_at IS NULL)`, consID, rule)
	if err != nil {
		return nil, err
	}
	sc.msgs = union(sc.msgs, msgs)
	if len(sc.subs) > 0 {
		if err := caseScopeAll(ctx, q, sc, rule == RuleCases); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// caseScopeAll adds the messages and acknowledgements of sc's cases; all
// includes those already erased (deleting whole cases).
func caseScopeAll(ctx context.Context, q queryer, sc *scope, all bool) error {
	if !all {
		return caseScope(ctx, q, sc)
	}
	ids := jsonIDs(sc.subs)
	msgs, err := queryIDs(ctx, q, `SELECT id FROM messages WHERE submission_id IN (SELECT value FROM json_each(?))`, ids)
	if err != nil {
		return err
	}
	sc.msgs = union(sc.msgs, msgs)
	acks, err := queryIDs(ctx, q, `SELECT id FROM outbox WHERE kind IN ('ack', 'decision') AND submission_id IN (SELECT value FROM json_each(?))`, ids)
	if err != nil {
		return err
	}
	sc.outbox = union(sc.outbox, acks)
	return nil
}

// unfiledScope is the mail in no consultation that arrived before cut and
// still has what rule takes.
func unfiledScope(ctx context.Context, q queryer, rule string, cut time.Time) (*scope, error) {
	cond := `erased_at IS NULL`
	if rule == RuleRawMail {
		cond = `raw_erased_at IS NULL`
	}
	msgs, err := queryIDs(ctx, q, `SELECT id FROM messages WHERE consultation_id IS NULL AND submission_id IS NULL
		AND internal_date < ? AND `+cond, fmtTime(cut))
	if err != nil {
		return nil, err
	}
	return &scope{msgs: msgs}, nil
}

// ApplyRetention applies every step due at the ledger's now, each in its
// own transaction recorded as an erasure (kind retention) with the
// mailbox copies to delete when rules.Mailbox, and an audit entry with
// the counts. It returns the steps applied; the caller completes their
// erasures (package privacy). extract is as for EraseAddress.
func (db *DB) ApplyRetention(ctx context.Context, rules RetentionRules, extract Extractor) ([]RetentionStep, error) {
	now := db.now()
	due, err := db.RetentionDue(ctx, rules, now)
	if err != nil {
		return nil, err
	}
	var done []RetentionStep
	var errs []error
	for _, st := range due {
		err := db.tx(ctx, func(tx *txn) error {
			var sc *scope
			var err error
			if st.Consultation == "" {
				sc, err = unfiledScope(ctx, tx, st.Rule, st.Since)
			} else {
				var id int64
				if err := tx.QueryRowContext(ctx, `SELECT id FROM consultations WHERE slug = ?`, st.Consultation).Scan(&id); err != nil {
					return fmt.Errorf("read consultation %s: %w", st.Consultation, err)
				}
				sc, err = consultationScope(ctx, tx, id, st.Rule)
			}
			if err != nil || sc.empty() {
				return err
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO erasures (kind, subject, actor, requested_at) VALUES ('retention', ?, 'retention', ?)`,
				st.Subject(), fmtTime(now))
			if err != nil {
				return fmt.Errorf("record erasure: %w", err)
			}
			st.Erasure, _ = res.LastInsertId()
			copies := int64(0)
			if rules.Mailbox {
				copies = st.Erasure
			}
			job := scrub{erasure: copies, actor: "retention", why: "retention rule " + st.Rule, now: now, extract: extract}
			switch st.Rule {
			case RuleRawMail:
				st.Counts, err = rawScrub(ctx, tx, sc, job)
			case RulePersonal:
				st.Counts, err = db.scrubScope(ctx, tx, sc, job)
			case RuleCases:
				st.Counts, err = db.deleteCases(ctx, tx, sc, job)
			}
			if err != nil {
				return err
			}
			return db.recordErasure(ctx, tx, st.Erasure, st.Counts, "retention.purge", st.Subject(), now)
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("retention %s: %w", st.Subject(), err))
			continue
		}
		if st.Erasure != 0 {
			done = append(done, st)
		}
	}
	return done, errors.Join(errs...)
}

// rawScrub deletes the raw bytes and attachment content of sc, keeping
// the attachments' names until the personal-data rule.
func rawScrub(ctx context.Context, tx *txn, sc *scope, job scrub) (ErasureCounts, error) {
	var c ErasureCounts
	var err error
	msgIDs := jsonIDs(sc.msgs)
	if job.erasure > 0 {
		if c.Copies, err = queueCopies(ctx, tx, job.erasure, msgIDs, job.now); err != nil {
			return c, err
		}
	}
	c.Raw, c.Attachments, err = dropContent(ctx, tx, jsonIDs(sc.subs), msgIDs, true, job.now, job.extract)
	return c, err
}

// deleteCases deletes whole cases: first what the personal-data rule
// takes, then every row left (tombstone, history, decisions, audit
// entries about them), and the messages.
func (db *DB) deleteCases(ctx context.Context, tx *txn, sc *scope, job scrub) (ErasureCounts, error) {
	c, err := db.scrubScope(ctx, tx, sc, job)
	if err != nil {
		return c, err
	}
	subIDs, msgIDs := jsonIDs(sc.subs), jsonIDs(sc.msgs)
	for _, q := range []string{
		`DELETE FROM attachments WHERE submission_id IN (SELECT value FROM json_each(?1)) OR message_id IN (SELECT value FROM json_each(?2))`,
		`DELETE FROM message_raw WHERE message IN (SELECT value FROM json_each(?2))`,
		`UPDATE blobs SET in_message = NULL WHERE in_message IN (SELECT value FROM json_each(?2))`,
		`DELETE FROM outbox WHERE submission_id IN (SELECT value FROM json_each(?1))`,
		`DELETE FROM classifications WHERE submission_id IN (SELECT value FROM json_each(?1))`,
		`DELETE FROM decisions WHERE submission_id IN (SELECT value FROM json_each(?1))`,
		`DELETE FROM notes WHERE submission_id IN (SELECT value FROM json_each(?1))`,
		`DELETE FROM audit WHERE target IN (SELECT ref FROM submissions WHERE id IN (SELECT value FROM json_each(?1)))`,
		`UPDATE messages SET duplicate_of = NULL WHERE duplicate_of IN (SELECT value FROM json_each(?2))`,
		`DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?2))`,
		`UPDATE submissions SET merged_into = NULL WHERE merged_into IN (SELECT value FROM json_each(?1))`,
		`UPDATE submissions SET split_from = NULL WHERE split_from IN (SELECT value FROM json_each(?1))`,
		`UPDATE submissions SET dup_root = NULL WHERE dup_root IN (SELECT value FROM json_each(?1))`,
		`DELETE FROM theme_members WHERE submission_id IN (SELECT value FROM json_each(?1))`,
		// A theme left with no member goes with its name, which staff may
		// have written from the suggestions' words.
		`DELETE FROM themes WHERE consultation_id IN (SELECT consultation_id FROM submissions WHERE id IN (SELECT value FROM json_each(?1)))
			AND NOT EXISTS (SELECT 1 FROM theme_members m WHERE m.consultation_id = themes.consultation_id AND m.theme_id = themes.id)`,
	} {
		if _, err := tx.ExecContext(ctx, q, subIDs, msgIDs); err != nil {
			return c, fmt.Errorf("delete cases: %w", err)
		}
	}
	if c.Deleted, err = execCount(ctx, tx, `DELETE FROM submissions WHERE id IN (SELECT value FROM json_each(?))`, subIDs); err != nil {
		return c, fmt.Errorf("delete cases: %w", err)
	}
	return c, nil
}

// ErasuresBetween lists the erasures made in [from, to), on request and
// by the retention rules, oldest first: the digest's line about them.
func (db *DB) ErasuresBetween(ctx context.Context, from, to time.Time) ([]*Erasure, error) {
	return db.listErasures(ctx, `SELECT `+erasureCols+` FROM erasures e WHERE e.requested_at >= ? AND e.requested_at < ?
		ORDER BY e.id`, fmtTime(from), fmtTime(to))
}

// SplitSubject reads a retention erasure's subject back: the
// consultation ("" for mail in none) and the rule.
func SplitSubject(subject string) (consultation, rule string) {
	c, r, _ := strings.Cut(subject, ": ")
	if c == "(no consultation)" {
		c = ""
	}
	return c, r
}
