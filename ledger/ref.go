package ledger

import (
	"fmt"
	"regexp"
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
