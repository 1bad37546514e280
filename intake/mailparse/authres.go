package mailparse

import (
	"strings"
)

// AuthResults is one Authentication-Results header field (RFC 8601): the
// verdicts of the server that added it, named by its authserv-id.
type AuthResults struct {
	// ServID is the authserv-id, lower-cased ("mx.google.com"); "" when
	// the field names none (Microsoft 365 writes it so).
	ServID  string
	Results []AuthResult
}

// AuthResult is one method's verdict (RFC 8601 §2.2, "resinfo").
type AuthResult struct {
	Method string // "spf", "dkim", "dmarc", "arc", …, lower-case
	Result string // "pass", "fail", "softfail", "neutral", "none", "temperror", "permerror", …, lower-case
	// Props are the properties, keyed "ptype.property" in lower case:
	// "smtp.mailfrom", "header.d", "header.i", "header.from".
	Props map[string]string
}

// maxAuthFields bounds the Authentication-Results fields read: each relay
// may add one; a message with hundreds is noise.
const maxAuthFields = 20

// authResults parses every Authentication-Results field of h, topmost
// first. Fields it cannot read are skipped: they are another server's
// notes, and a malformed one must not stop the message.
func authResults(h mimeHeader) []AuthResults {
	var out []AuthResults
	for _, v := range h.values("Authentication-Results") {
		if len(out) == maxAuthFields {
			break
		}
		if ar, ok := parseAuthResults(v); ok {
			out = append(out, ar)
		}
	}
	return out
}

// parseAuthResults reads one field value:
//
//	authserv-id [version] ; method[/version]=result [reason="…"] [ptype.prop=value …] ; …
//
// Comments are dropped first (they hold free text such as "google.com:
// domain of … designates …"). A value that starts with a method (no
// authserv-id) is read with ServID "".
func parseAuthResults(v string) (AuthResults, bool) {
	v = dropComments(v)
	segs := splitOutsideQuotes(v, ';')
	if len(segs) == 0 {
		return AuthResults{}, false
	}
	var ar AuthResults
	first := strings.TrimSpace(segs[0])
	if strings.Contains(first, "=") {
		ar.ServID = ""
	} else {
		f := strings.Fields(first)
		if len(f) == 0 {
			return AuthResults{}, false
		}
		ar.ServID = strings.ToLower(f[0])
		segs = segs[1:]
	}
	for _, s := range segs {
		if r, ok := parseResInfo(s); ok {
			ar.Results = append(ar.Results, r)
		}
	}
	return ar, true
}

// parseResInfo reads "method=result ptype.prop=value …".
func parseResInfo(s string) (AuthResult, bool) {
	// "dkim = pass" is legal (CFWS around "="): close the gaps first.
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(strings.ReplaceAll(s, " =", "="), "= ", "=")
	f := fieldsOutsideQuotes(s)
	if len(f) == 0 {
		return AuthResult{}, false
	}
	method, result, ok := strings.Cut(f[0], "=")
	if !ok || method == "" || result == "" {
		return AuthResult{}, false
	}
	method, _, _ = strings.Cut(method, "/") // method version
	r := AuthResult{Method: strings.ToLower(method), Result: strings.ToLower(result), Props: map[string]string{}}
	for _, p := range f[1:] {
		k, val, ok := strings.Cut(p, "=")
		if !ok || !strings.Contains(k, ".") {
			continue // reason="…", action=none and the like
		}
		r.Props[strings.ToLower(k)] = strings.Trim(val, `"`)
	}
	return r, true
}

// dropComments removes RFC 5322 comments (nested parentheses, quoted
// pairs) outside quoted strings.
func dropComments(s string) string {
	var b strings.Builder
	depth, quoted, escaped := 0, false, false
	for _, r := range s {
		switch {
		case escaped:
			escaped = false
			if depth == 0 {
				b.WriteRune(r)
			}
			continue
		case r == '\\':
			escaped = true
			if depth == 0 {
				b.WriteRune(r)
			}
			continue
		case quoted:
			if r == '"' {
				quoted = false
			}
		case r == '"' && depth == 0:
			quoted = true
		case r == '(':
			depth++
			continue
		case r == ')' && depth > 0:
			depth--
			b.WriteByte(' ')
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// splitOutsideQuotes splits s at sep where it is not inside a quoted string.
func splitOutsideQuotes(s string, sep rune) []string {
	var out []string
	quoted, start := false, 0
	for i, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == sep && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// fieldsOutsideQuotes splits s at spaces that are not inside a quoted
// string.
func fieldsOutsideQuotes(s string) []string {
	var out []string
	for _, f := range splitOutsideQuotes(s, ' ') {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
