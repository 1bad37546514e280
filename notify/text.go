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
