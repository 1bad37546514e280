package ledger

import (
	"database/sql"
	"fmt"
	"time"
)

// timeLayout stores instants in UTC at fixed width so TEXT columns sort
// chronologically.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// dateLayout stores calendar dates (deadlines) in Europe/Vilnius.
const dateLayout = "2006-01-02"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: fmtTime(t), Valid: true}
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		// Accept any RFC 3339 value a person may have typed into the database.
		t, err = time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("parse time %q: %w", s, err)
		}
	}
	return t.UTC(), nil
}

// times parses the stored times of one row: each call returns the parsed
// value, and the first error is kept for the row's scan to return, so a
// row with many times reads as one line per field rather than three.
type times struct{ err error }

// at parses a stored time.
func (ts *times) at(s string) time.Time {
	t, err := parseTime(s)
	if ts.err == nil {
		ts.err = err
	}
	return t
}

// maybe parses an optional stored time: the zero time when NULL or "".
func (ts *times) maybe(s sql.NullString) time.Time {
	t, err := parseNullTime(s)
	if ts.err == nil {
		ts.err = err
	}
	return t
}

func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

func (db *DB) fmtDate(t time.Time) string { return t.In(db.opt.Location).Format(dateLayout) }

func (db *DB) parseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(dateLayout, s, db.opt.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return t, nil
}
