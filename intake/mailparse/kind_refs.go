package mailparse

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// SubjectRefs returns the case references in a subject, such as
// "VVG-2026-0042" from "Re: [VVG-2026-0042] Jūsų pasiūlymas gautas",
// bracketed or bare, in order and without repeats. prefix is the
// configured reference prefix ("VVG" when empty); it matches in any case
// and comes back upper-cased. Dashes may be typographic (mobile keyboards
// turn "-" into "–").
func SubjectRefs(subject, prefix string) []string {
	if prefix == "" {
		prefix = "VVG"
	}
	re := refPattern(prefix)
	var refs []string
	seen := map[string]bool{}
	for _, m := range re.FindAllStringSubmatchIndex(subject, 20) {
		if r, _ := utf8.DecodeLastRuneInString(subject[:m[0]]); m[0] > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			continue // part of a longer word
		}
		if r, _ := utf8.DecodeRuneInString(subject[m[1]:]); m[1] < len(subject) && unicode.IsDigit(r) {
			continue
		}
		ref := strings.ToUpper(prefix) + "-" + subject[m[2]:m[3]] + "-" + subject[m[4]:m[5]]
		if !seen[ref] {
			seen[ref] = true
			refs = append(refs, ref)
		}
	}
	return refs
}

// refPatterns caches refPattern: the prefix comes from the configuration,
// and compiling the pattern for every message cost more than matching it.
var refPatterns sync.Map // prefix → *regexp.Regexp

// refPattern matches a reference number with the given prefix.
func refPattern(prefix string) *regexp.Regexp {
	if re, ok := refPatterns.Load(prefix); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(prefix) + `\s?[-–—]\s?(\d{4})\s?[-–—]\s?(\d{1,6})`)
	refPatterns.Store(prefix, re)
	return re
}
