package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// ResultRow is one suggestion as the results table (pasiūlymų vertinimo
// lentelė) is made from it, before its personal data are hidden: the
// text as the resident wrote it, the sender's name (for finding it in the
// text, and for an organisation's name), and the stored redaction if
// there is one.
type ResultRow struct {
	SubmissionID int64
	Ref          string
	ReceivedAt   time.Time
	Source       string
	Sector       string // "" | resident | ngo | business | public
	SenderName   string
	HasAddress   bool // the resident gave an e-mail address
	Text         string
	Measure      string
	Decision     string // accepted, partly, rejected; "" while undecided
	Reason       string
	Late         bool
	Redaction    *Redaction // nil when staff saved none and none was frozen
	// Theme is the theme it is in (0 while not grouped) and ThemeLabel
	// its name (ThemeName).
	Theme      int64
	ThemeLabel string
}

// PublishedText is the text of a suggestion the results table shows
// (before redaction): what the resident wrote, or the subject of a mail
// that was only an attachment.
func PublishedText(subject, text string) string {
	if strings.TrimSpace(text) == "" {
		return subject
	}
	return text
}

// ResultRows streams the rows of a consultation's results table to fn in
// reference order: every suggestion that counts. Withdrawn ones (spam,
// duplicates merged into another case) are left out, as they are of
// every count: a duplicate's resident is answered with the case it joined.
func (db *DB) ResultRows(ctx context.Context, consID int64, fn func(*ResultRow) error) error {
	return streamRows(ctx, db.r, fmt.Sprintf("list results of #%d", consID), scanResultRow, fn, `
		SELECT s.id, s.ref, s.received_at, s.source, s.sector, s.sender_name, s.sender_email <> '', s.subject, s.text,
			s.measure, s.decision, s.decision_reason, s.late, r.spans, r.text_sha256, r.source, r.actor, r.updated_at,
			coalesce(t.id, 0), coalesce(t.label, ''), coalesce(t.words, '[]')
		FROM submissions s LEFT JOIN redactions r ON r.submission_id = s.id
		LEFT JOIN theme_members m ON m.submission_id = s.id
		LEFT JOIN themes t ON t.consultation_id = m.consultation_id AND t.id = m.theme_id
		WHERE s.consultation_id = ? AND s.withdrawn = '' ORDER BY s.id`, consID)
}

// scanResultRow scans a row of ResultRows' query.
func scanResultRow(rs rowScanner) (*ResultRow, error) {
	var (
		r                                  ResultRow
		received, subject, text            string
		spans, sha, source, actor, updated sql.NullString
		label, words                       string
	)
	if err := rs.Scan(&r.SubmissionID, &r.Ref, &received, &r.Source, &r.Sector, &r.SenderName, &r.HasAddress,
		&subject, &text, &r.Measure, &r.Decision, &r.Reason, &r.Late, &spans, &sha, &source, &actor, &updated,
		&r.Theme, &label, &words); err != nil {
		return nil, err
	}
	var err error
	if r.ReceivedAt, err = parseTime(received); err != nil {
		return nil, err
	}
	r.Text = PublishedText(subject, text)
	ws, err := decodeWords(words)
	if err != nil {
		return nil, err
	}
	r.ThemeLabel = ThemeName(label, ws)
	if spans.Valid {
		r.Redaction = &Redaction{Spans: spans.String, TextSHA256: sha.String, Staff: source.String == "staff", Actor: actor.String}
		if r.Redaction.UpdatedAt, err = parseTime(updated.String); err != nil {
			return nil, err
		}
	}
	return &r, nil
}
