package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The grouping as staff, the board and the reports read it: themes with
// their counts and members, near-duplicate groups, and one submission's
// place in both.

// Theme is one theme of a consultation with the suggestions in it that
// count (withdrawn ones left out, as from every count).
type Theme struct {
	ID      int64
	Measure string
	// Label is staff's name for the theme when Named, else its Words
	// joined with ", ".
	Label string
	Named bool
	Words []string
	Kept  bool // staff edited it
	// Count is the number of suggestions, copies included: "asked for by
	// N residents".
	Count int
	// Distinct is the number that are not near-duplicate copies of
	// another in the theme: the letters actually written.
	Distinct int
	Members  []ThemeMember // by id
}

// ThemeMember is one suggestion of a theme.
type ThemeMember struct {
	SubmissionID int64
	Ref          string
	Root         int64 // its near-duplicate group's root; 0 while not grouped
	Copy         bool  // a copy of another suggestion of the theme
	Pinned       bool  // staff put it here
	Decision     string
}

// ThemeName is what a theme is called: staff's label, else its words.
func ThemeName(label string, words []string) string {
	if label != "" {
		return label
	}
	return strings.Join(words, ", ")
}

// Themes lists a consultation's themes that hold a suggestion that
// counts, by measure, then largest first, then by id.
func (db *DB) Themes(ctx context.Context, consID int64) ([]Theme, error) {
	return db.themes(ctx, ``, consID)
}

// Theme returns theme id of a consultation; ErrNotFound when it holds no
// suggestion that counts (or never existed: regrouping drops themes).
func (db *DB) Theme(ctx context.Context, consID, id int64) (*Theme, error) {
	ts, err := db.themes(ctx, ` AND t.id = ?`, consID, id)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("theme %d: %w", id, ErrNotFound)
	}
	return &ts[0], nil
}

func (db *DB) themes(ctx context.Context, and string, args ...any) ([]Theme, error) {
	consID := args[0]
	var out []Theme
	err := eachRow(ctx, db.r, fmt.Sprintf("list themes of #%d", consID), func(r rowScanner) error {
		var (
			th    Theme
			words string
			m     ThemeMember
		)
		if err := r.Scan(&th.ID, &th.Measure, &th.Label, &words, &th.Kept, &m.SubmissionID, &m.Ref, &m.Root,
			&m.Pinned, &m.Decision); err != nil {
			return err
		}
		if n := len(out); n == 0 || out[n-1].ID != th.ID {
			var err error
			if th.Words, err = decodeWords(words); err != nil {
				return err
			}
			th.Named = th.Label != ""
			th.Label = ThemeName(th.Label, th.Words)
			out = append(out, th)
		}
		last := &out[len(out)-1]
		last.Members = append(last.Members, m)
		return nil
	}, `
		SELECT t.id, t.measure, t.label, t.words, t.kept, s.id, s.ref, coalesce(s.dup_root, 0), m.pinned, s.decision
		FROM themes t
		JOIN theme_members m ON m.consultation_id = t.consultation_id AND m.theme_id = t.id
		JOIN submissions s ON s.id = m.submission_id
		WHERE t.consultation_id = ? AND s.withdrawn = ''`+and+`
		ORDER BY t.id, s.id`, args...)
	if err != nil {
		return nil, err
	}
	for i := range out {
		countTheme(&out[i])
	}
	slices.SortStableFunc(out, func(a, b Theme) int {
		return cmp.Or(cmp.Compare(a.Measure, b.Measure), cmp.Compare(b.Count, a.Count), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// countTheme fills Count, Distinct and each member's Copy.
func countTheme(th *Theme) {
	in := make(map[int64]bool, len(th.Members))
	for _, m := range th.Members {
		in[m.SubmissionID] = true
	}
	th.Count, th.Distinct = len(th.Members), 0
	for i := range th.Members {
		m := &th.Members[i]
		m.Copy = m.Root != 0 && m.Root != m.SubmissionID && in[m.Root]
		if !m.Copy {
			th.Distinct++
		}
	}
}

// Grouped is a submission as the screens of groups and themes list it.
type Grouped struct {
	ID             int64
	ConsultationID int64
	Ref            string
	ReceivedAt     time.Time
	SenderName     string
	Text           string // PublishedText
	Measure        string
	Decision       string
	Reason         string
	Withdrawn      string
	Signature      []byte
	Root           int64 // near-duplicate root; 0 while not grouped
	Theme          int64 // 0 when in no theme
	Pinned         bool
}

const groupedCols = `s.id, s.consultation_id, s.ref, s.received_at, s.sender_name, s.subject, s.text, s.measure, s.decision,
	s.decision_reason, s.withdrawn, s.dup_signature, coalesce(s.dup_root, 0), coalesce(m.theme_id, 0), coalesce(m.pinned, 0)`

func (db *DB) grouped(ctx context.Context, where string, args ...any) ([]Grouped, error) {
	return queryAll(ctx, db.r, "list grouped suggestions", func(r rowScanner) (Grouped, error) {
		var (
			g                       Grouped
			received, subject, text string
		)
		err := r.Scan(&g.ID, &g.ConsultationID, &g.Ref, &received, &g.SenderName, &subject, &text, &g.Measure, &g.Decision,
			&g.Reason, &g.Withdrawn, &g.Signature, &g.Root, &g.Theme, &g.Pinned)
		if err == nil {
			g.ReceivedAt, err = parseTime(received)
		}
		g.Text = PublishedText(subject, text)
		return g, err
	}, `SELECT `+groupedCols+`
		FROM submissions s LEFT JOIN theme_members m ON m.submission_id = s.id WHERE `+where+` ORDER BY s.id`, args...)
}

// ThemeMembers lists the suggestions of theme id that count.
func (db *DB) ThemeMembers(ctx context.Context, consID, id int64) ([]Grouped, error) {
	return db.grouped(ctx, `m.consultation_id = ? AND m.theme_id = ? AND s.withdrawn = ''`, consID, id)
}

// Group lists the near-duplicate group whose root is root: the root and
// its copies, withdrawn ones included (the screen says which).
func (db *DB) Group(ctx context.Context, root int64) ([]Grouped, error) {
	return db.grouped(ctx, `(s.id = ?1 OR s.dup_root = ?1)`, root)
}

// Grouping returns one submission, by its reference as staff type it (see
// Submission), as the grouping placed it.
func (db *DB) Grouping(ctx context.Context, ref string) (*Grouped, error) {
	id, _, err := db.lookupRef(ctx, db.r, ref)
	if err != nil {
		return nil, err
	}
	gs, err := db.grouped(ctx, `s.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, fmt.Errorf("submission %s: %w", ref, ErrNotFound)
	}
	return &gs[0], nil
}

// GroupSummary is one near-duplicate group of a consultation.
type GroupSummary struct {
	Root    int64
	RootRef string
	Text    string // the root's
	Measure string // the root's
	Count   int    // suggestions that count, the root's among them if it counts
	Decided int    // of those, how many have a decision
}

// Groups lists a consultation's near-duplicate groups of two or more
// suggestions that count, largest first.
func (db *DB) Groups(ctx context.Context, consID int64) ([]GroupSummary, error) {
	return queryAll(ctx, db.r, fmt.Sprintf("list groups of #%d", consID), func(r rowScanner) (GroupSummary, error) {
		var (
			g             GroupSummary
			subject, text string
		)
		err := r.Scan(&g.Root, &g.RootRef, &subject, &text, &g.Measure, &g.Count, &g.Decided)
		g.Text = PublishedText(subject, text)
		return g, err
	}, `
		SELECT g.root, r.ref, r.subject, r.text, r.measure, g.n, g.decided FROM (
			SELECT dup_root AS root, count(*) AS n, count(*) FILTER (WHERE decision <> '') AS decided
			FROM submissions WHERE consultation_id = ? AND withdrawn = '' AND dup_root IS NOT NULL
			GROUP BY dup_root HAVING count(*) >= 2) g
		JOIN submissions r ON r.id = g.root
		ORDER BY g.n DESC, g.root`, consID)
}
