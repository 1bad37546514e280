// Package numfmt writes numbers for people, the one rule for that: the
// form's "iki 20 000 simbolių", the digest's counts and the command line's
// progress all group thousands the same way, and the form's and the mail
// parser's size limits read the same ("iki 10 MB", "larger than the 10 MB
// limit").
package numfmt

import (
	"fmt"
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

// Plural picks the form of a noun that goes with n: in Lithuanian one
// for 1, 21, 31… (not 11), few for 2–9 and 22–29… (not 12–19), many for
// the rest (0, 10–20, 30…); otherwise one for 1 and many for the rest.
func Plural(lang string, n int, one, few, many string) string {
	if n < 0 {
		n = -n
	}
	if lang != "lt" {
		if n == 1 {
			return one
		}
		return many
	}
	d, h := n%10, n%100
	switch {
	case d == 1 && h != 11:
		return one
	case d >= 2 && (h < 12 || h > 19):
		return few
	default:
		return many
	}
}

// Count writes n with the noun's form that goes with it: "21 pasiūlymas",
// "12 pasiūlymų", "1 suggestion".
func Count(lang string, n int, one, few, many string) string {
	return Int(lang, n) + " " + Plural(lang, n, one, few, many)
}

// Bytes writes a size limit for people, the same in Lithuanian and
// English: "10 MB", "1.5 MB", "512 KB", "800 B". A kilobyte count is cut
// down to a whole one, so a limit is never shown larger than it is.
func Bytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
