// Package excerpt shortens what a resident wrote for a place that shows
// only part of it: an acknowledgement, a digest line, a receipt, a
// terminal column. It is the one rule for that, so every place cuts the
// same way: at most n runes with the mark, after a whole word when one
// ends in the second half, and "…" where text was cut.
package excerpt

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mark ends a shortened text.
const Mark = "…"

// Text shortens s to at most n runes, the mark included, keeping its line
// breaks (CRLF becomes LF). Outer space is trimmed. n < 1 returns s
// trimmed.
func Text(s string, n int) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if n < 1 || utf8.RuneCountInString(s) <= n {
		return s
	}
	return cut(s, n)
}

// Line is Text for one line: every run of white space and control
// characters, line breaks included, becomes one space. It reads s only up to the cut, so a long
// text costs no more than a short one.
func Line(s string, n int) string {
	var b strings.Builder
	count, space := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = count > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			count++
			space = false
		}
		b.WriteRune(r)
		count++
		if n > 0 && count > n {
			return cut(b.String(), n)
		}
	}
	return b.String()
}

// cut shortens s, known to be longer than n runes (n ≥ 1), to n-1 runes
// and the mark, going back to the end of a word when one ends in the
// second half.
func cut(s string, n int) string {
	end, c := 0, 0
	for i := range s {
		if c == n-1 {
			end = i
			break
		}
		c++
	}
	head := s[:end]
	if r, _ := utf8.DecodeRuneInString(s[end:]); !unicode.IsSpace(r) {
		if i := strings.LastIndexFunc(head, unicode.IsSpace); i > len(head)/2 {
			head = head[:i]
		}
	}
	return strings.TrimRightFunc(head, unicode.IsSpace) + Mark
}
