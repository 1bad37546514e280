package mailparse

import (
	"net/mail"
	"strings"
	"time"
)

// maxReferences bounds References (long threads reach dozens; thousands
// is an attack).
const maxReferences = 100

// msgIDs returns the message ids in a Message-ID, In-Reply-To or
// References value (RFC 5322 section 3.6.4) without angle brackets. Ids
// written without brackets, as some scripts do, are taken word by word.
func msgIDs(v string) []string {
	var ids []string
	rest := v
	for len(ids) < maxReferences {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '>')
		if j < 0 {
			break
		}
		if id := cleanID(rest[i+1 : i+j]); id != "" {
			ids = append(ids, id)
		}
		rest = rest[i+j+1:]
	}
	if len(ids) == 0 && !strings.ContainsAny(v, "<>") {
		for _, w := range strings.Fields(v) {
			if id := cleanID(w); id != "" && len(ids) < maxReferences {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// cleanID normalises one message id: no blanks, no control characters.
func cleanID(s string) string {
	s = strings.Join(strings.Fields(s), "")
	s = cleanHeaderText(s)
	if len(s) > 998 {
		s = s[:998]
	}
	return s
}

// firstID returns the first message id in v, or "".
func firstID(v string) string {
	if ids := msgIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// parseDate parses a Date header; ok is false when nothing fits.
func parseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if t, err := mail.ParseDate(v); err == nil {
		return t, true
	}
	// Drop a trailing comment such as "(EET)" and stray day-name commas.
	if i := strings.IndexByte(v, '('); i > 0 {
		v = strings.TrimSpace(v[:i])
	}
	v = strings.Join(strings.Fields(v), " ")
	// Forms seen from broken software after net/mail's RFC 5322 parser
	// (which handles the obsolete syntax and zone comments) gave up.
	layouts := [...]string{
		time.RFC3339,
		"2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05",
		"Mon, 2 Jan 2006 15:04:05",
		"2 Jan 2006 15:04:05",
		"Mon, 2 Jan 2006 15:04",
		"Mon Jan 2 15:04:05 2006",
		"Mon Jan 2 15:04:05 MST 2006",
		"Mon, 02 Jan 2006 15:04:05 -0700 MST",
		"Mon, 2 Jan 2006 15:04:05 MST -0700",
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
