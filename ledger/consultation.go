package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Consultation statuses: draft → open → closed → decided → published.
// A closed consultation is decided when every suggestion that counts has
// a decision (the ledger moves it there and back, see settle), and
// published when staff publish its results (Publish). The closing report
// sent at the deadline is a stamp (ReportedAt), not a status.
const (
	StatusDraft     = "draft"
	StatusOpen      = "open"
	StatusClosed    = "closed"
	StatusDecided   = "decided"
	StatusPublished = "published"
)

// Ended reports whether the consultation's window is over: closed,
// decided or published.
func (c *Consultation) Ended() bool {
	return c.Status == StatusClosed || c.Status == StatusDecided || c.Status == StatusPublished
}

// Consultation is one call for suggestions (konsultacija) with its window.
type Consultation struct {
	ID              int64
	Slug            string
	Title           string
	Description     string
	TitleEN         string // shown on English pages and in English mail; "" shows Title
	DescriptionEN   string
	Status          string
	OpensAt         time.Time
	ClosesAt        time.Time // the deadline: a submission received before it is on time
	ResponseDue     time.Time // date (midnight, Europe/Vilnius) by which suggestions are answered
	SubjectKeywords []string  // route mail by subject when several consultations are open
	// Strategy names the measure set (the configuration's [[strategies]])
	// its suggestions are filed under; "" is the default set, the
	// configuration's top-level [[measures]].
	Strategy    string
	CreatedAt   time.Time
	ClosedAt    time.Time
	ReportedAt  time.Time // when the closing report was sent; zero before
	DecidedAt   time.Time // when it became decided; zero while not
	PublishedAt time.Time // when its results were published; zero before
}

// IsOpenAt reports whether t falls inside the consultation's window.
func (c *Consultation) IsOpenAt(t time.Time) bool {
	return !t.Before(c.OpensAt) && t.Before(c.ClosesAt)
}

// CreateConsultation records a new draft consultation. The response due
// date is computed from the deadline and the response rule.
func (db *DB) CreateConsultation(ctx context.Context, c *Consultation, actor string) error {
	if err := validSlug(c.Slug); err != nil {
		return err
	}
	if strings.TrimSpace(c.Title) == "" {
		return invalidf("consultation %s: title is empty", c.Slug)
	}
	if !c.ClosesAt.After(c.OpensAt) {
		return invalidf("consultation %s: closes_at must be after opens_at", c.Slug)
	}
	now := db.now()
	if c.Status == "" {
		c.Status = StatusDraft
	}
	c.ResponseDue = db.cal.AddWorkdays(c.ClosesAt.Add(-time.Nanosecond), db.opt.ResponseDays)
	c.CreatedAt = now
	defer db.cons.changed()
	return db.tx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO consultations (slug, title, description, title_en, description_en, status, opens_at, closes_at,
				response_due, subject_keywords, strategy, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Slug, c.Title, c.Description, c.TitleEN, c.DescriptionEN, c.Status, fmtTime(c.OpensAt), fmtTime(c.ClosesAt),
			db.fmtDate(c.ResponseDue), strings.Join(c.SubjectKeywords, "\n"), c.Strategy, fmtTime(now), fmtTime(now))
		if err != nil {
			if errors.Is(mapErr(err), ErrConflict) {
				return fmt.Errorf("consultation %s already exists: %w", c.Slug, ErrConflict)
			}
			return fmt.Errorf("insert consultation %s: %w", c.Slug, err)
		}
		c.ID, _ = res.LastInsertId()
		detail := fmt.Sprintf("%s – %s", fmtTime(c.OpensAt), fmtTime(c.ClosesAt))
		if c.Strategy != "" {
			detail += "; strategy " + c.Strategy
		}
		return audit(ctx, tx, now, actor, "consultation.create", c.Slug, detail)
	})
}

// SyncConsultation creates the consultation from configuration or, while
// it is still a draft or open, updates its title, description, window,
// keywords and strategy to match. Ended consultations (closed, decided,
// published) are history and are left alone. The strategy changes only
// while no suggestion is filed under the old one's measures (ErrState):
// their codes would mean another set's measures. It reports whether
// anything changed.
func (db *DB) SyncConsultation(ctx context.Context, c *Consultation) (bool, error) {
	cur, err := db.Consultation(ctx, c.Slug)
	if errors.Is(err, ErrNotFound) {
		return true, db.CreateConsultation(ctx, c, "config")
	}
	if err != nil {
		return false, err
	}
	if cur.Ended() {
		*c = *cur
		return false, nil
	}
	same := cur.Title == c.Title && cur.Description == c.Description &&
		cur.TitleEN == c.TitleEN && cur.DescriptionEN == c.DescriptionEN &&
		cur.OpensAt.Equal(c.OpensAt) && cur.ClosesAt.Equal(c.ClosesAt) &&
		strings.Join(cur.SubjectKeywords, "\n") == strings.Join(c.SubjectKeywords, "\n") &&
		cur.Strategy == c.Strategy
	if same {
		*c = *cur
		return false, nil
	}
	if !c.ClosesAt.After(c.OpensAt) {
		return false, invalidf("consultation %s: closes_at must be after opens_at", c.Slug)
	}
	due := db.cal.AddWorkdays(c.ClosesAt.Add(-time.Nanosecond), db.opt.ResponseDays)
	now := db.now()
	err = db.tx(ctx, func(tx *txn) error {
		detail := "window or text changed in configuration"
		if cur.Strategy != c.Strategy {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM submissions WHERE consultation_id = ?`, cur.ID).Scan(&n); err != nil {
				return fmt.Errorf("count suggestions of %s: %w", c.Slug, err)
			}
			if n > 0 {
				return fmt.Errorf("consultation %s has %d suggestion(s) filed under strategy %s, so it cannot move to %s: %w",
					c.Slug, n, strategyName(cur.Strategy), strategyName(c.Strategy), ErrState)
			}
			detail = fmt.Sprintf("strategy %s → %s in configuration", strategyName(cur.Strategy), strategyName(c.Strategy))
		}
		_, err := tx.ExecContext(ctx, `
			UPDATE consultations SET title = ?, description = ?, title_en = ?, description_en = ?,
				opens_at = ?, closes_at = ?, response_due = ?, subject_keywords = ?, strategy = ?, updated_at = ?
			WHERE id = ?`,
			c.Title, c.Description, c.TitleEN, c.DescriptionEN, fmtTime(c.OpensAt), fmtTime(c.ClosesAt), db.fmtDate(due),
			strings.Join(c.SubjectKeywords, "\n"), c.Strategy, fmtTime(now), cur.ID)
		if err != nil {
			return fmt.Errorf("update consultation %s: %w", c.Slug, err)
		}
		return audit(ctx, tx, now, "config", "consultation.update", c.Slug, detail)
	})
	db.cons.changed()
	if err != nil {
		return false, err
	}
	got, err := db.Consultation(ctx, c.Slug)
	if err != nil {
		return false, err
	}
	*c = *got
	return true, nil
}

const consultationCols = `id, slug, title, description, title_en, description_en, status, opens_at,
	closes_at, response_due, subject_keywords, strategy, created_at, closed_at, reported_at, decided_at, published_at`

func (db *DB) scanConsultation(row interface{ Scan(...any) error }) (*Consultation, error) {
	var (
		c                               Consultation
		opens, closes, due, kw, created string
		closed, reported                sql.NullString
		decided, published              sql.NullString
	)
	if err := row.Scan(&c.ID, &c.Slug, &c.Title, &c.Description, &c.TitleEN, &c.DescriptionEN, &c.Status, &opens, &closes, &due,
		&kw, &c.Strategy, &created, &closed, &reported, &decided, &published); err != nil {
		return nil, err
	}
	var ts times
	c.OpensAt, c.ClosesAt, c.CreatedAt = ts.at(opens), ts.at(closes), ts.at(created)
	c.ClosedAt, c.ReportedAt = ts.maybe(closed), ts.maybe(reported)
	c.DecidedAt, c.PublishedAt = ts.maybe(decided), ts.maybe(published)
	if ts.err != nil {
		return nil, ts.err
	}
	var err error
	if c.ResponseDue, err = db.parseDate(due); err != nil {
		return nil, err
	}
	c.SubjectKeywords = splitList(kw, "\n")
	return &c, nil
}

// Consultation returns the consultation with the given slug.
func (db *DB) Consultation(ctx context.Context, slug string) (*Consultation, error) {
	return db.getConsultation(ctx, `slug = ?`, slug, fmt.Sprintf("%q", slug))
}

// ConsultationByID returns the consultation with the given id.
func (db *DB) ConsultationByID(ctx context.Context, id int64) (*Consultation, error) {
	return db.getConsultation(ctx, `id = ?`, id, fmt.Sprintf("#%d", id))
}

func (db *DB) getConsultation(ctx context.Context, where string, arg any, name string) (*Consultation, error) {
	c, err := db.scanConsultation(db.r.QueryRowContext(ctx, `SELECT `+consultationCols+` FROM consultations WHERE `+where, arg))
	if err != nil {
		return nil, rowErr(err, "get", "consultation %s", name)
	}
	return c, nil
}

// consultationState reads a consultation's id and status inside tx, for
// the writes that move it from one status to the next.
func consultationState(ctx context.Context, tx *txn, slug string) (int64, string, error) {
	return idAndText(ctx, tx, fmt.Sprintf("consultation %q", slug), `SELECT id, status FROM consultations WHERE slug = ?`, slug)
}

// Consultations lists every consultation, newest deadline first.
func (db *DB) Consultations(ctx context.Context) ([]*Consultation, error) {
	return queryAll(ctx, db.r, "list consultations", db.scanConsultation,
		`SELECT `+consultationCols+` FROM consultations ORDER BY closes_at DESC, id DESC`)
}

// consCache keeps the consultations for routing, which looks at them for
// every message: reading them anew cost a tenth of a message's parsing.
type consCache struct {
	mu   sync.Mutex
	gen  uint64 // bumped after every change to consultations made here
	list []Consultation
	of   uint64 // the gen list was read at
	at   time.Time
}

// changed voids the cached consultations; call it after the commit.
func (c *consCache) changed() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}

// ConsultationsCached is Consultations, read again only when this DB has
// changed a consultation since or when the copy is older than maxAge (the
// time another process's change may take to be seen). The Consultations
// are copies; changing them changes nothing here.
func (db *DB) ConsultationsCached(ctx context.Context, maxAge time.Duration) ([]*Consultation, error) {
	c := &db.cons
	c.mu.Lock()
	gen := c.gen
	if c.list != nil && c.of == gen && time.Since(c.at) < maxAge {
		out := make([]*Consultation, len(c.list))
		for i := range c.list {
			cp := c.list[i]
			out[i] = &cp
		}
		c.mu.Unlock()
		return out, nil
	}
	c.mu.Unlock()
	at := time.Now()
	all, err := db.Consultations(ctx)
	if err != nil {
		return nil, err
	}
	list := make([]Consultation, len(all))
	for i, x := range all {
		list[i] = *x
	}
	c.mu.Lock()
	c.list, c.of, c.at = list, gen, at
	c.mu.Unlock()
	return all, nil
}

// transitions lists which status staff (or the clock) may set by hand
// with SetConsultationStatus. Decided follows from the decisions (settle)
// and published from Publish, never from here.
var transitions = map[string][]string{
	StatusDraft:     {StatusOpen},
	StatusOpen:      {StatusClosed},
	StatusClosed:    {StatusOpen},
	StatusDecided:   {StatusOpen},
	StatusPublished: {},
}

// SetConsultationStatus moves a consultation along its lifecycle and
// records who did it. Reopening a closed or decided consultation is
// allowed (a deadline extended by the board); a published one is final.
// Closing one whose every suggestion is decided makes it decided at once
// (settle), in the same transaction. Outbox items
// passed along (the closing report) are queued in the same transaction,
// so a closed consultation never misses its report.
func (db *DB) SetConsultationStatus(ctx context.Context, slug, status, actor string, items ...*OutboxItem) (*Consultation, error) {
	now := db.now()
	err := db.tx(ctx, func(tx *txn) error {
		id, cur, err := consultationState(ctx, tx, slug)
		if err != nil {
			return err
		}
		allowed := false
		for _, s := range transitions[cur] {
			allowed = allowed || s == status
		}
		if !allowed {
			return fmt.Errorf("consultation %s is %s, cannot become %s: %w", slug, cur, status, ErrState)
		}
		// Each status stamps its own column; reopening clears closed_at
		// and decided_at.
		q := `UPDATE consultations SET status = ?1, updated_at = ?2, closed_at = NULL, decided_at = NULL WHERE slug = ?3`
		if status == StatusClosed {
			q = `UPDATE consultations SET status = ?1, updated_at = ?2, closed_at = ?2 WHERE slug = ?3`
		}
		_, err = tx.ExecContext(ctx, q, status, fmtTime(now), slug)
		if err != nil {
			return fmt.Errorf("set consultation %s %s: %w", slug, status, err)
		}
		detail := "from " + cur
		if status == StatusOpen && cur != StatusDraft {
			// Re-opening withdraws a closing report not yet sent: the
			// next close queues a new one with the final figures.
			res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE kind = 'report' AND consultation_id = ?
				AND status = 'pending'`, id)
			if err != nil {
				return fmt.Errorf("withdraw closing report of %s: %w", slug, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				detail += "; queued closing report withdrawn"
			}
		}
		for _, it := range items {
			it.ConsultationID = id
			if _, err := db.enqueue(ctx, tx, it, now); err != nil {
				return err
			}
		}
		if err := audit(ctx, tx, now, actor, "consultation."+status, slug, detail); err != nil {
			return err
		}
		if status == StatusClosed {
			return db.settle(ctx, tx, id, actor, now)
		}
		return nil
	})
	db.cons.changed()
	if err != nil {
		return nil, err
	}
	return db.Consultation(ctx, slug)
}

// strategyName names a strategy in messages: "" is the default set.
func strategyName(s string) string {
	if s == "" {
		return "(default)"
	}
	return s
}

func validSlug(s string) error {
	if s == "" || len(s) > 64 {
		return invalidf("consultation slug %q: must be 1-64 characters", s)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return invalidf("consultation slug %q: use lower-case letters, digits and '-'", s)
		}
	}
	return nil
}
