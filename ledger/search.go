package ledger

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Full-text search over submissions (SQLite FTS5). The ledger does not
// know Lithuanian: Options.Search turns a text into its words, each with
// the index terms it may be found by (the classify package folds
// diacritics and stems, so "savanoriu" and "savanorių" share a term). The
// index holds those terms, and a query is normalised the same way, so
// the two always agree. The index is written in the transaction that
// writes the submission.

// searchWords splits text into words and their index terms with the
// configured normaliser, or by lower-casing when none is set.
func (db *DB) searchWords(text string) [][]string {
	if db.opt.Search != nil {
		return db.opt.Search(text)
	}
	var out [][]string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		out = append(out, []string{w})
	}
	return out
}

// searchDoc is what the index holds for one submission: every term of
// its subject, text and sender.
func (db *DB) searchDoc(subject, text, name, email string) string {
	// Each term once: a search only asks whether a suggestion has it (the
	// lists are ordered by date, not by relevance), and a shorter document
	// is cheaper to index.
	var b strings.Builder
	seen := map[string]bool{}
	for _, part := range []string{subject, text, name, email} {
		for _, w := range db.searchWords(part) {
			for _, t := range w {
				if !seen[t] {
					seen[t] = true
					b.WriteString(t)
					b.WriteByte(' ')
				}
			}
		}
	}
	return b.String()
}

// index writes submission id's entry in the full-text index, replacing
// any it had, inside tx.
func (db *DB) index(ctx context.Context, tx *txn, id int64) error {
	if !db.searchOn {
		return nil
	}
	var subject, text, name, email string
	err := tx.QueryRowContext(ctx, `SELECT subject, text, sender_name, sender_email FROM submissions WHERE id = ?`, id).
		Scan(&subject, &text, &name, &email)
	if err != nil {
		return fmt.Errorf("index submission #%d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM submissions_fts WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("index submission #%d: %w", id, err)
	}
	return db.indexNew(ctx, tx, id, subject, text, name, email)
}

// indexNew writes the entry of a submission just inserted, from the
// values inserted: nothing to read back, nothing to replace.
func (db *DB) indexNew(ctx context.Context, tx *txn, id int64, subject, text, name, email string) error {
	if !db.searchOn {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO submissions_fts (rowid, doc) VALUES (?, ?)`,
		id, db.searchDoc(subject, text, name, email)); err != nil {
		return fmt.Errorf("index submission #%d: %w", id, err)
	}
	return nil
}

// hasSearch reports whether the schema has the full-text index (an older
// one, opened by a test of migrations, does not).
func (db *DB) hasSearch(ctx context.Context) bool {
	var n int
	err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'submissions_fts'`).Scan(&n)
	return err == nil && n > 0
}

// indexMissing indexes the submissions written before the index existed
// (a ledger upgraded from before it), a thousand per transaction.
func (db *DB) indexMissing(ctx context.Context) (int, error) {
	total := 0
	for {
		ids, err := queryAll(ctx, db.w, "find unindexed submissions", scanOne[int64], `SELECT id FROM submissions
			WHERE id NOT IN (SELECT rowid FROM submissions_fts) ORDER BY id LIMIT 1000`)
		if err != nil {
			return total, err
		}
		if len(ids) == 0 {
			return total, nil
		}
		err = db.tx(ctx, func(tx *txn) error {
			for _, id := range ids {
				if err := db.index(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += len(ids)
	}
}

// searchCond is the SQL condition for a search: the reference numbers
// the query names (in any case, or by number alone, in any year), or the
// submissions whose index has every word of the query in one of its
// forms.
func (db *DB) searchCond(query string) (string, []any) {
	var (
		conds []string
		args  []any
	)
	if rc, ra := db.refCond(query); rc != "" {
		conds = append(conds, rc)
		args = append(args, ra...)
	}
	if m := db.matchExpr(strings.TrimSpace(query)); m != "" {
		conds = append(conds, `s.id IN (SELECT rowid FROM submissions_fts WHERE submissions_fts MATCH ?)`)
		args = append(args, m)
	}
	if len(conds) == 0 {
		return `0`, nil
	}
	return `(` + strings.Join(conds, ` OR `) + `)`, args
}

// refCond is the condition for the reference numbers a query names, ""
// when it names none.
func (db *DB) refCond(query string) (string, []any) {
	var (
		conds []string
		args  []any
	)
	for _, ref := range db.SubjectRefs(query) {
		conds = append(conds, `s.ref = ?`)
		args = append(args, ref)
	}
	q := strings.TrimSpace(query)
	if n, err := strconv.Atoi(strings.TrimLeft(q, "#")); err == nil && n > 0 && len(q) <= 7 {
		// "15" is VVG-2026-0015 (and VVG-2025-0015): the years are the
		// counters' own.
		conds = append(conds, `s.ref IN (SELECT prefix || '-' || year || '-' || printf('%04d', ?)
			FROM ref_counters WHERE prefix = ?)`)
		args = append(args, n, db.opt.RefPrefix)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return `(` + strings.Join(conds, ` OR `) + `)`, args
}

// matchExpr is the FTS5 query: every word, each in any of its forms.
// Terms are quoted, so nothing a user types is read as FTS5 syntax.
func (db *DB) matchExpr(query string) string {
	var parts []string
	for _, w := range db.searchWords(query) {
		var alts []string
		for _, t := range w {
			alts = append(alts, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
		}
		if len(alts) > 0 {
			parts = append(parts, `(`+strings.Join(alts, ` OR `)+`)`)
		}
	}
	return strings.Join(parts, ` AND `)
}

// ListRow is one line of the staff console's list of submissions: what
// the list shows, with the text cut short.
type ListRow struct {
	ID           int64
	Ref          string
	Consultation string
	Source       string
	ReceivedAt   time.Time
	Late         bool
	SenderName   string
	SenderEmail  string
	Sector       string
	Excerpt      string
	Measure      string
	Confidence   float64
	NeedsReview  bool
	Status       string
	Decision     string
	Withdrawn    string
}

// Sort orders of ListSubmissions.
var listOrders = map[string]string{
	"received":   `s.received_at %s, s.id %[1]s`,
	"ref":        `s.id %s`,
	"measure":    `s.measure %s, s.received_at %[1]s`,
	"confidence": `s.confidence %s, s.id %[1]s`,
}

// countCap bounds how many matches a list counts: past it the list says
// "more than" (counting every match costs an index entry each, a
// full-text match a row lookup too; 100,000 took most of a page's time).
const countCap = 10000

// searchCountCap bounds the count of a full-text search, whose every
// match costs a row lookup (for the filters); a thousand is more than
// anyone reads.
const searchCountCap = 1000

// ListSubmissions returns one page of the submissions matching f, sorted
// by received (the default), ref, measure or confidence, and how many
// match in all, at most countCap+1 (searchCountCap+1 for a search),
// meaning "more". The page's ids come from the narrow list index, and only its
// rows are read; a search without a sort of its own walks the full-text
// index newest first and stops at the page.
func (db *DB) ListSubmissions(ctx context.Context, f Filter, sort string, desc bool, offset, limit int) ([]ListRow, int, error) {
	if limit <= 0 {
		limit = 50
	}
	offset = max(offset, 0)
	var (
		ids   []int64
		total int
		err   error
	)
	if f.Search != "" && sort == "" {
		ids, total, err = db.searchPage(ctx, f, offset, limit)
	} else {
		ids, total, err = db.listPage(ctx, f, sort, desc, offset, limit)
	}
	if err != nil || len(ids) == 0 {
		return nil, total, err
	}
	rows, err := db.listRows(ctx, ids)
	return rows, total, err
}

// filterWhere is where for a list: the consultation by id, so the
// count needs no join.
func (db *DB) filterWhere(f Filter) (string, []any) {
	slug := f.Consultation
	f.Consultation = ""
	w, args := db.where(f)
	if slug != "" {
		// A VVG has a handful of consultations, so this filter keeps
		// most rows: the unary + keeps SQLite from walking the
		// consultation's index and sorting, instead of walking the
		// index the sort wants.
		w += ` AND +s.consultation_id = (SELECT id FROM consultations WHERE slug = ?)`
		args = append(args, slug)
	}
	return w, args
}

func (db *DB) listPage(ctx context.Context, f Filter, sort string, desc bool, offset, limit int) ([]int64, int, error) {
	w, args := db.filterWhere(f)
	var total int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM submissions s`+w+` LIMIT ?)`,
		append(args, countCap+1)...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count submissions: %w", err)
	}
	order, ok := listOrders[sort]
	if !ok {
		order = listOrders["received"]
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	ids, err := db.ids(ctx, `SELECT s.id FROM submissions s`+w+` ORDER BY `+fmt.Sprintf(order, dir)+` LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	return ids, total, err
}

// searchPage pages through a search: the submissions its reference
// numbers name first, then the full-text matches, newest first.
func (db *DB) searchPage(ctx context.Context, f Filter, offset, limit int) ([]int64, int, error) {
	query := f.Search
	f.Search = ""
	w, args := db.filterWhere(f)
	var refIDs []int64
	if rc, ra := db.refCond(query); rc != "" {
		var err error
		if refIDs, err = db.ids(ctx, `SELECT s.id FROM submissions s`+w+` AND `+rc+` ORDER BY s.id DESC`, append(args, ra...)...); err != nil {
			return nil, 0, err
		}
	}
	m := db.matchExpr(query)
	if m == "" {
		end := min(len(refIDs), offset+limit)
		if offset >= end {
			return nil, len(refIDs), nil
		}
		return refIDs[offset:end], len(refIDs), nil
	}
	not := ""
	for _, id := range refIDs {
		not += fmt.Sprintf(" AND s.id <> %d", id)
	}
	// CROSS JOIN keeps the full-text index the outer loop: it yields
	// matches newest first, and each is looked up once.
	from := ` FROM submissions_fts CROSS JOIN submissions s ON s.id = submissions_fts.rowid` + w +
		` AND submissions_fts MATCH ?` + not
	fargs := append(append([]any(nil), args...), m)
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1`+from+` LIMIT ?)`,
		append(fargs, searchCountCap+1)...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count search matches: %w", err)
	}
	var ids []int64
	if offset < len(refIDs) {
		ids = refIDs[offset:min(len(refIDs), offset+limit)]
	}
	if rest := limit - len(ids); rest > 0 {
		more, err := db.ids(ctx, `SELECT submissions_fts.rowid`+from+` ORDER BY submissions_fts.rowid DESC LIMIT ? OFFSET ?`,
			append(fargs, rest, max(0, offset-len(refIDs)))...)
		if err != nil {
			return nil, 0, err
		}
		ids = append(ids, more...)
	}
	return ids, len(refIDs) + n, nil
}

func (db *DB) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	return queryAll(ctx, db.r, "list submissions", scanOne[int64], q, args...)
}

// listRows reads the rows of ids, in that order.
func (db *DB) listRows(ctx context.Context, ids []int64) ([]ListRow, error) {
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		args[i] = id
		pos[id] = i
	}
	out := make([]ListRow, len(ids))
	err := eachRow(ctx, db.r, "list submissions", func(row rowScanner) error {
		var (
			r  ListRow
			at string
		)
		err := row.Scan(&r.ID, &r.Ref, &r.Consultation, &r.Source, &at, &r.Late, &r.SenderName, &r.SenderEmail,
			&r.Sector, &r.Excerpt, &r.Measure, &r.Confidence, &r.NeedsReview, &r.Status, &r.Decision, &r.Withdrawn)
		if err == nil {
			r.ReceivedAt, err = parseTime(at)
		}
		out[pos[r.ID]] = r
		return err
	}, `SELECT s.id, s.ref, c.slug, s.source, s.received_at, s.late, s.sender_name,
		s.sender_email, s.sector, substr(CASE WHEN s.text <> '' THEN s.text ELSE s.subject END, 1, 240), s.measure,
		s.confidence, s.needs_review, s.status, s.decision, s.withdrawn
		FROM submissions s JOIN consultations c ON c.id = s.consultation_id WHERE s.id IN (`+ph+`)`, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}
