package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The grouping of a consultation's suggestions (package classify/similar):
// near-duplicate groups (each submission's signature and group root) and
// themes (a theme per idea within a measure, and each suggestion's place
// in one). The ledger only stores them; the pipeline (intake) keeps the
// grouping in memory, works it out and writes it back here.
//
// Several processes may group one consultation (the daemon, and a staff
// member's CLI command), so a write names the revision (group_rev) it was
// worked out from and is refused with ErrStale when the consultation has
// moved on: the writer reloads and works it out again. Changes made
// outside the grouping (a suggestion refiled, withdrawn, its text split)
// move the revision through triggers (schema/0010_similar.sql).

// ErrStale means a write was worked out from a state that has changed
// since it was read; read it again and redo the work.
var ErrStale = errors.New("changed since it was read")

// GroupingRow is one submission as the grouping reads it.
type GroupingRow struct {
	ID      int64
	Measure string
	// Text is what is compared: the text, or the subject of a mail that
	// was only an attachment (PublishedText).
	Text string
	// Counts is false for a withdrawn suggestion: it stays in the
	// near-duplicate index (a copy of spam is news to staff) but in no
	// theme.
	Counts bool
	// Signature is the stored signature, nil when it is not signed (new,
	// or its text changed).
	Signature []byte
	// Root is its near-duplicate group's root, 0 when not grouped yet.
	Root int64
}

// GroupingHead returns a consultation's grouping revision and the largest
// id among its submissions: what a process compares with the grouping it
// holds to know whether to reload (the revision moved) or to take in new
// suggestions (a larger id).
func (db *DB) GroupingHead(ctx context.Context, consID int64) (rev, maxID int64, err error) {
	err = db.r.QueryRowContext(ctx, `SELECT c.group_rev,
		coalesce((SELECT max(s.id) FROM submissions s WHERE s.consultation_id = c.id), 0)
		FROM consultations c WHERE c.id = ?`, consID).Scan(&rev, &maxID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, fmt.Errorf("consultation #%d: %w", consID, ErrNotFound)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read grouping of #%d: %w", consID, err)
	}
	return rev, maxID, nil
}

// GroupingRows streams a consultation's submissions with an id above
// afterID to fn, in arrival (id) order.
func (db *DB) GroupingRows(ctx context.Context, consID, afterID int64, fn func(GroupingRow) error) error {
	return streamRows(ctx, db.r, fmt.Sprintf("read grouping rows of #%d", consID), func(rs rowScanner) (GroupingRow, error) {
		var (
			r             GroupingRow
			subject, text string
		)
		err := rs.Scan(&r.ID, &r.Measure, &subject, &text, &r.Counts, &r.Signature, &r.Root)
		r.Text = PublishedText(subject, text)
		return r, err
	}, fn, `SELECT id, measure, subject, text, withdrawn = '', dup_signature, coalesce(dup_root, 0)
		FROM submissions WHERE consultation_id = ? AND id > ? ORDER BY id`, consID, afterID)
}

// ThemeRow is one theme as stored.
type ThemeRow struct {
	ID      int64
	Measure string
	// Label is staff's name for it, "" when the computed Words name it.
	Label string
	Words []string
	// Kept: staff edited it.
	Kept bool
}

// MemberRow is one suggestion's place in a theme.
type MemberRow struct {
	Submission, Theme int64
	Pinned            bool // staff put it there
}

// ThemeState is a consultation's themes as stored.
type ThemeState struct {
	Next    int64 // the id the next new theme gets
	Themes  []ThemeRow
	Members []MemberRow
}

// ThemeState reads a consultation's themes and their members.
func (db *DB) ThemeState(ctx context.Context, consID int64) (ThemeState, error) {
	var st ThemeState
	if err := db.r.QueryRowContext(ctx, `SELECT theme_next FROM consultations WHERE id = ?`, consID).Scan(&st.Next); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return st, fmt.Errorf("consultation #%d: %w", consID, ErrNotFound)
		}
		return st, fmt.Errorf("read themes of #%d: %w", consID, err)
	}
	var err error
	st.Themes, err = queryAll(ctx, db.r, fmt.Sprintf("read themes of #%d", consID), func(r rowScanner) (ThemeRow, error) {
		var (
			t     ThemeRow
			words string
		)
		err := r.Scan(&t.ID, &t.Measure, &t.Label, &words, &t.Kept)
		if err == nil {
			if t.Words, err = decodeWords(words); err != nil {
				err = fmt.Errorf("theme %d: %w", t.ID, err)
			}
		}
		return t, err
	}, `SELECT id, measure, label, words, kept FROM themes WHERE consultation_id = ? ORDER BY id`, consID)
	if err != nil {
		return st, err
	}
	st.Members, err = queryAll(ctx, db.r, fmt.Sprintf("read theme members of #%d", consID), func(r rowScanner) (MemberRow, error) {
		var m MemberRow
		err := r.Scan(&m.Submission, &m.Theme, &m.Pinned)
		return m, err
	}, `SELECT submission_id, theme_id, pinned FROM theme_members
		WHERE consultation_id = ? ORDER BY submission_id`, consID)
	return st, err
}

func decodeWords(s string) ([]string, error) {
	var ws []string
	if s == "" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(s), &ws); err != nil {
		return nil, fmt.Errorf("decode theme words %q: %w", s, err)
	}
	return ws, nil
}

// Signed is one submission's grouping as a pass worked it out.
type Signed struct {
	ID int64
	// Signature is stored when not nil (a text signed now).
	Signature []byte
	// Root is the group's root (its own id when it is no copy).
	Root int64
}

// GroupingChange is what one pass of the grouping writes: only what
// changed.
type GroupingChange struct {
	Signed      []Signed
	Themes      []ThemeRow // new or changed
	DropThemes  []int64
	Members     []MemberRow // new or moved
	DropMembers []int64     // submissions in no theme any more
	Next        int64       // theme_next; 0 leaves it
	// Regrouped, when not zero, records that the whole consultation was
	// regrouped then (GroupingAt).
	Regrouped time.Time
	// Audit records a staff edit (Action "" records none).
	Actor, Action, Detail string
}

// Empty reports whether the change writes nothing.
func (c *GroupingChange) Empty() bool {
	return len(c.Signed) == 0 && len(c.Themes) == 0 && len(c.DropThemes) == 0 && len(c.Members) == 0 &&
		len(c.DropMembers) == 0 && c.Next == 0 && c.Action == "" && c.Regrouped.IsZero()
}

// SaveGrouping writes a pass of the grouping of consultation consID that
// was worked out from revision rev, in one transaction, and returns the
// new revision. A consultation whose revision is no longer rev is left as
// it is and ErrStale returned.
func (db *DB) SaveGrouping(ctx context.Context, consID, rev int64, ch GroupingChange) (int64, error) {
	now := db.now()
	var next int64
	err := db.tx(ctx, func(tx *txn) error {
		var slug string
		err := tx.QueryRowContext(ctx, `UPDATE consultations SET group_rev = group_rev + 1, theme_next = max(theme_next, ?)
			WHERE id = ? AND group_rev = ? RETURNING group_rev, slug`, ch.Next, consID, rev).Scan(&next, &slug)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("save grouping of #%d at revision %d: %w", consID, rev, ErrStale)
		}
		if err != nil {
			return fmt.Errorf("save grouping of #%d: %w", consID, err)
		}
		for _, s := range ch.Signed {
			q := `UPDATE submissions SET dup_root = ? WHERE id = ? AND consultation_id = ?`
			args := []any{s.Root, s.ID, consID}
			if s.Signature != nil {
				q = `UPDATE submissions SET dup_root = ?, dup_signature = ? WHERE id = ? AND consultation_id = ?`
				args = []any{s.Root, s.Signature, s.ID, consID}
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("save group of #%d: %w", s.ID, err)
			}
		}
		for _, id := range ch.DropMembers {
			if _, err := tx.ExecContext(ctx, `DELETE FROM theme_members WHERE submission_id = ? AND consultation_id = ?`, id, consID); err != nil {
				return fmt.Errorf("drop theme member #%d: %w", id, err)
			}
		}
		for _, t := range ch.Themes {
			words, err := json.Marshal(t.Words)
			if err != nil {
				return fmt.Errorf("encode theme %d words: %w", t.ID, err)
			}
			if t.Words == nil {
				words = []byte("[]")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO themes (consultation_id, id, measure, label, words, kept)
				VALUES (?1, ?2, ?3, ?4, ?5, ?6)
				ON CONFLICT (consultation_id, id) DO UPDATE SET measure = ?3, label = ?4, words = ?5, kept = ?6`,
				consID, t.ID, t.Measure, t.Label, string(words), t.Kept); err != nil {
				return fmt.Errorf("save theme %d: %w", t.ID, err)
			}
		}
		for _, m := range ch.Members {
			if _, err := tx.ExecContext(ctx, `INSERT INTO theme_members (submission_id, consultation_id, theme_id, pinned)
				VALUES (?1, ?2, ?3, ?4) ON CONFLICT (submission_id) DO UPDATE SET consultation_id = ?2, theme_id = ?3, pinned = ?4`,
				m.Submission, consID, m.Theme, m.Pinned); err != nil {
				return fmt.Errorf("save theme member #%d: %w", m.Submission, err)
			}
		}
		for _, id := range ch.DropThemes {
			if _, err := tx.ExecContext(ctx, `DELETE FROM themes WHERE consultation_id = ? AND id = ?`, consID, id); err != nil {
				return fmt.Errorf("drop theme %d: %w", id, err)
			}
		}
		if !ch.Regrouped.IsZero() {
			if err := setState(ctx, tx, regroupedKey(consID), fmtTime(ch.Regrouped.UTC()), fmtTime(now)); err != nil {
				return err
			}
		}
		if ch.Action != "" {
			return audit(ctx, tx, now, ch.Actor, ch.Action, slug, ch.Detail)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return next, nil
}

// GroupingAt is when a consultation was last regrouped as a whole
// (GroupingChange.Regrouped), zero when never.
func (db *DB) GroupingAt(ctx context.Context, consID int64) (time.Time, error) {
	v, ok, err := db.State(ctx, regroupedKey(consID))
	if err != nil || !ok {
		return time.Time{}, err
	}
	return parseTime(v)
}

func regroupedKey(consID int64) string { return fmt.Sprintf("themes.regrouped.%d", consID) }

// mapNoRows turns a row not found into ErrNotFound.
func mapNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
