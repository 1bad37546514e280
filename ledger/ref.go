package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A reference number names a case for residents and staff: the VVG's
// prefix, the year (in the VVG's zone) and a counter of that year, e.g.
// VVG-2026-0042. This file is the one place that writes and reads it.

// formatRef writes a reference number.
func formatRef(prefix string, year, n int) string {
	return fmt.Sprintf("%s-%d-%04d", prefix, year, n)
}

// refPattern matches a reference number with the given prefix in any
// case, the dashes possibly typographic (mobile keyboards turn "-" into
// "–") and spaced.
func refPattern(prefix string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)` + regexp.QuoteMeta(prefix) + `\s?[-–—]\s?(\d{4})\s?[-–—]\s?(\d{1,6})`)
}

// SubjectRefs returns the case references in a subject, such as
// "VVG-2026-0042" from "Re: [VVG-2026-0042] Jūsų pasiūlymas gautas",
// bracketed or bare, in order and without repeats, written as the ledger
// writes them.
func (db *DB) SubjectRefs(subject string) []string {
	var refs []string
	seen := map[string]bool{}
	for _, m := range db.refRE.FindAllStringSubmatchIndex(subject, 20) {
		if r, _ := utf8.DecodeLastRuneInString(subject[:m[0]]); m[0] > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			continue // part of a longer word
		}
		if r, _ := utf8.DecodeRuneInString(subject[m[1]:]); m[1] < len(subject) && unicode.IsDigit(r) {
			continue
		}
		ref := strings.ToUpper(db.opt.RefPrefix) + "-" + subject[m[2]:m[3]] + "-" + subject[m[4]:m[5]]
		if !seen[ref] {
			seen[ref] = true
			refs = append(refs, ref)
		}
	}
	return refs
}

// yearNumberRE is a reference without its prefix: "2026-15", "2026 0015",
// "2026–0015" (a mobile keyboard's dash).
var yearNumberRE = regexp.MustCompile(`^(\d{4})\s?[-–—/ ]\s?(\d{1,6})$`)

// lookupRef finds the submission a reference names as staff type it: the
// reference as written (VVG-2026-0015), in any case, with typographic
// dashes or spaces (vvg–2026–15), without the prefix (2026-15), or by its
// number alone (15, 0015) when only one year has that number. It returns
// the submission's row id and its reference as the ledger writes it;
// ErrNotFound when nothing matches, ErrInvalid when the text is no
// reference or its number is in several years.
func (db *DB) lookupRef(ctx context.Context, q querier, typed string) (int64, string, error) {
	s := strings.TrimSpace(typed)
	byRef := func(ref string) (int64, string, error) {
		var id int64
		err := q.QueryRowContext(ctx, `SELECT id FROM submissions WHERE ref = ?`, ref).Scan(&id)
		if err != nil {
			return 0, "", rowErr(err, "look up", "submission %s", ref)
		}
		return id, ref, nil
	}
	rest := s
	if p := db.opt.RefPrefix; len(rest) > len(p) && strings.EqualFold(rest[:len(p)], p) {
		rest = strings.TrimLeft(rest[len(p):], " -–—")
	}
	if m := yearNumberRE.FindStringSubmatch(rest); m != nil {
		year, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		return byRef(formatRef(db.opt.RefPrefix, year, n))
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || strings.ContainsAny(s, "+-") {
		return 0, "", invalidf("%q is not a reference number: give it as %s or by its number alone (%d)",
			typed, formatRef(db.opt.RefPrefix, db.now().In(db.opt.Location).Year(), 42), 42)
	}
	// The year is four digits and the number at least four (formatRef).
	pattern := db.opt.RefPrefix + "-[0-9][0-9][0-9][0-9]-" + fmt.Sprintf("%04d", n)
	var (
		count       int
		id          int64
		first, last sql.NullString
	)
	err = q.QueryRowContext(ctx, `SELECT count(*), coalesce(min(id), 0), min(ref), max(ref) FROM submissions WHERE ref GLOB ?`,
		pattern).Scan(&count, &id, &first, &last)
	switch {
	case err != nil:
		return 0, "", fmt.Errorf("look up submission %s: %w", s, err)
	case count == 0:
		return 0, "", fmt.Errorf("submission number %d: %w", n, ErrNotFound)
	case count > 1:
		return 0, "", invalidf("number %d is in %d years (%s … %s): give the whole reference", n, count, first.String, last.String)
	}
	return id, first.String, nil
}
