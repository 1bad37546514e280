// Package numfmt writes numbers for people, the one rule for that: the
// form's "iki 20 000 simbolių", the digest's counts and the command line's
// progress all group thousands the same way.
package numfmt

import (
	"strconv"
	"strings"
)

// Int groups the thousands of n: in Lithuanian ("lt") with a non-breaking
// space, and four-digit numbers left whole (1234, 12 345), as the VLKK
// recommends; otherwise with a comma (1,234).
func Int(lang string, n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= 4 && lang == "lt" {
		if neg {
			return "-" + s
		}
		return s
	}
	sep := ","
	if lang == "lt" {
		sep = "\u00a0"
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	first := len(s) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(s[:first])
	for i := first; i < len(s); i += 3 {
		b.WriteString(sep)
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
