package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// DecisionEntry is one decision in a suggestion's history: each decision
// staff record is kept with who made it, also when a later one replaces
// it.
type DecisionEntry struct {
	Decision  string // accepted, partly or rejected
	Reason    string
	Actor     string
	CreatedAt time.Time
}

// decisionWords maps what staff type to a decision: the English words of
// the export contract, the Lithuanian ones of the VVG's protocols
// ("pritarta", "iš dalies", "atmesta") and of the published results table
// ("atsižvelgta", "iš dalies atsižvelgta", "neatsižvelgta"), with or
// without Lithuanian letters.
var decisionWords = map[string]string{
	"accepted": "accepted", "accept": "accepted", "priimta": "accepted", "priimtas": "accepted",
	"pritarta": "accepted", "pritarti": "accepted", "pritariama": "accepted",
	"partly": "partly", "partial": "partly", "is dalies": "partly", "is-dalies": "partly", "isdalies": "partly",
	"dalinai": "partly", "is dalies pritarta": "partly", "is dalies priimta": "partly",
	"rejected": "rejected", "reject": "rejected", "atmesta": "rejected", "atmestas": "rejected",
	"nepritarta": "rejected", "nepritarti": "rejected", "nepriimta": "rejected",
	"atsizvelgta": "accepted", "is dalies atsizvelgta": "partly", "neatsizvelgta": "rejected",
}

// ParseDecision reads a decision as staff type it, in English or
// Lithuanian, in any case, with or without Lithuanian letters, and
// returns accepted, partly or rejected.
func ParseDecision(word string) (string, error) {
	if d, ok := decisionWords[foldWord(word)]; ok {
		return d, nil
	}
	return "", invalidf("decision %q: want accepted (pritarta), partly (iš dalies) or rejected (atmesta)", word)
}

// foldWord lower-cases s, drops Lithuanian diacritics and squeezes spaces:
// "Iš  dalies" and "is dalies" are the same word to staff.
func foldWord(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		if r >= 0x300 && r <= 0x36f { // combining marks: ė → e, š → s
			continue
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Decide records the VVG's decision on a suggestion and its reason, as a
// strategy consultation must publish how each suggestion was considered.
// decision is any word ParseDecision reads. A decision replaces the
// previous one, which stays in the history (Submission.Decisions) with
// who made it. A decided suggestion no longer waits for review: staff
// looked at it.
func (db *DB) Decide(ctx context.Context, ref, decision, reason, actor string) (*Submission, error) {
	return db.decide(ctx, ref, decision, reason, actor, nil)
}

// decide records a decision and, when a is not nil, answers the resident
// (DecideAnswer); the consultation becomes decided with its last
// decision (settle).
func (db *DB) decide(ctx context.Context, ref, decision, reason, actor string, a *Answer) (*Submission, error) {
	d, err := ParseDecision(decision)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		return nil, invalidf("decision on %s: a reason is required (--reason)", ref)
	}
	now := db.now()
	var id int64
	err = db.tx(ctx, func(tx *txn) error {
		var canon string
		var err error
		if id, canon, err = db.lookupRef(ctx, tx, ref); err != nil {
			return err
		}
		if err := db.decideIn(ctx, tx, id, canon, d, reason, actor, "", a, now); err != nil {
			return err
		}
		return db.settleOf(ctx, tx, id, actor, now)
	})
	if err != nil {
		return nil, err
	}
	return db.SubmissionByID(ctx, id)
}

// decideIn records decision d on submission id (reference canon) inside
// tx, with its history and audit entry (note is added to the audit's
// detail), and answers the resident when a is not nil. The caller settles
// the consultation.
func (db *DB) decideIn(ctx context.Context, tx *txn, id int64, canon, d, reason, actor, note string, a *Answer, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
		UPDATE submissions SET decision = ?, decision_reason = ?, decided_at = ?, status = 'decided',
			needs_review = 0
		WHERE id = ?`, d, reason, fmtTime(now), id)
	if err != nil {
		return fmt.Errorf("decide %s: %w", canon, err)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO decisions (submission_id, decision, reason, actor, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, d, reason, actor, fmtTime(now))
	if err != nil {
		return fmt.Errorf("record decision on %s: %w", canon, err)
	}
	if err := audit(ctx, tx, now, actor, "submission.decide", canon, d+": "+reason+note); err != nil {
		return err
	}
	if a == nil {
		return nil
	}
	var consID int64
	if err := tx.QueryRowContext(ctx, `SELECT consultation_id FROM submissions WHERE id = ?`, id).Scan(&consID); err != nil {
		return fmt.Errorf("answer %s: %w", canon, err)
	}
	a.SubmissionID = id
	_, _, err = db.answer(ctx, tx, consID, *a, now)
	return err
}

// GroupAnswer is one suggestion of a near-duplicate group to decide, with
// how its decision reaches its resident: a letter of its own, the table
// alone, or (nil) not yet.
type GroupAnswer struct {
	SubmissionID int64
	Answer       *Answer
}

// DecideGroup records one decision and reason on every suggestion of the
// near-duplicate group whose root is root, in one transaction: staff
// decide a campaign's copies at once, and each suggestion still keeps its
// own decision in its history and reaches its own resident (members'
// answers, at most one letter per suggestion, ever). A member withdrawn
// since it was listed is left out; one that no longer belongs to the
// group makes the whole call ErrStale. It returns the references decided.
func (db *DB) DecideGroup(ctx context.Context, root int64, members []GroupAnswer, decision, reason, actor string) ([]string, error) {
	d, err := ParseDecision(decision)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		return nil, invalidf("decision on a group: a reason is required (--reason)")
	}
	now := db.now()
	var refs []string
	err = db.tx(ctx, func(tx *txn) error {
		refs = refs[:0]
		var rootRef string
		if err := tx.QueryRowContext(ctx, `SELECT ref FROM submissions WHERE id = ?`, root).Scan(&rootRef); err != nil {
			return fmt.Errorf("group of #%d: %w", root, mapNoRows(err))
		}
		consultations := map[int64]bool{}
		for _, m := range members {
			var (
				ref, withdrawn string
				consID, of     int64
			)
			err := tx.QueryRowContext(ctx, `SELECT ref, withdrawn, consultation_id, coalesce(dup_root, 0) FROM submissions WHERE id = ?`,
				m.SubmissionID).Scan(&ref, &withdrawn, &consID, &of)
			if err != nil {
				return fmt.Errorf("decide group of %s: #%d: %w", rootRef, m.SubmissionID, mapNoRows(err))
			}
			if m.SubmissionID != root && of != root {
				return fmt.Errorf("decide group of %s: %s is no longer in it: %w", rootRef, ref, ErrStale)
			}
			if withdrawn != "" {
				continue
			}
			if err := db.decideIn(ctx, tx, m.SubmissionID, ref, d, reason, actor, " (group of "+rootRef+")", m.Answer, now); err != nil {
				return err
			}
			refs = append(refs, ref)
			consultations[consID] = true
		}
		for consID := range consultations {
			if err := db.settle(ctx, tx, consID, actor, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return refs, nil
}

// decisions lists a submission's decisions, oldest first.
func (db *DB) decisions(ctx context.Context, subID int64) ([]DecisionEntry, error) {
	return queryAll(ctx, db.r, "list decisions", func(r rowScanner) (DecisionEntry, error) {
		var (
			e  DecisionEntry
			at string
		)
		err := r.Scan(&e.Decision, &e.Reason, &e.Actor, &at)
		if err == nil {
			e.CreatedAt, err = parseTime(at)
		}
		return e, err
	}, `
		SELECT decision, reason, actor, created_at FROM decisions WHERE submission_id = ? ORDER BY id`, subID)
}
