package notify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// headerText makes s safe to put in a header field: every control character,
// CR and LF above all, becomes a space and runs of space collapse. Without
// this a resident's name like "Jonas\r\nBcc: x@evil" would start a new header
// (RFC 5322 §2.2: a header field ends at CRLF).
func headerText(s string) string {
	return strings.Join(strings.FieldsFunc(s, isBreak), " ")
}

// truncate shortens s to at most n runes, ending with "…" when cut. It keeps
// line breaks, for the excerpt quoted in an acknowledgement.
func truncate(n int, s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	i, c := 0, 0
	for i = range s {
		if c == n-1 {
			break
		}
		c++
	}
	return strings.TrimRightFunc(s[:i], unicode.IsSpace) + "…"
}

// oneline collapses all whitespace (line breaks included) to single spaces
// and truncates to n runes like truncate(n, headerText(s)), for one-line
// list entries in digests. It stops reading at the cut, so a long excerpt
// costs no more than a short one in a digest of a hundred thousand.
func oneline(n int, s string) string {
	var b strings.Builder
	count, cut, space := 0, 0, false
	for _, r := range s {
		if isBreak(r) {
			space = count > 0
			continue
		}
		for _, c := range [2]rune{' ', r} {
			if c == ' ' && !space {
				continue
			}
			if n > 0 && count == n {
				return strings.TrimRightFunc(b.String()[:cut], unicode.IsSpace) + "…"
			}
			if count == n-1 {
				cut = b.Len()
			}
			b.WriteRune(c)
			count++
		}
		space = false
	}
	return b.String()
}

// isBreak reports the runes headerText turns into spaces.
func isBreak(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError
}

// quote prefixes every line of s with "> ", the plain-text convention for
// quoted words (RFC 3676 §4.5).
func quote(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
			continue
		}
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// padRight pads s with spaces to n runes, for plain-text tables.
func padRight(n int, s string) string {
	if c := utf8.RuneCountInString(s); c < n {
		return s + strings.Repeat(" ", n-c)
	}
	return s
}
