package mailparse

import (
	"strings"
)

// maxAddresses bounds one address list (a To: with thousands of
// recipients is spam or an attack, and nothing needs them all).
const maxAddresses = 500

// parseAddressList reads an address list (RFC 5322 section 3.4) the way
// real mail needs: the raw value is split on commas outside quotes, angle
// brackets and comments BEFORE encoded-words are decoded, so a decoded
// name holding a comma ("Kazlauskienė, Rūta") stays one address; encoded
// words are then decoded even inside quotes, which RFC 2047 section 5
// forbids but PHP scripts write. quotedWord reports that case.
func parseAddressList(v string) (list []Address, quotedWord bool) {
	for _, item := range splitAddresses(v) {
		a, qw, ok := parseMailbox(item)
		quotedWord = quotedWord || qw
		if ok {
			list = append(list, a)
			if len(list) >= maxAddresses {
				break
			}
		}
	}
	return list, quotedWord
}

// splitAddresses splits at top-level commas; group syntax
// ("Team: a@x, b@y;") is flattened.
func splitAddresses(v string) []string {
	var items []string
	var cur strings.Builder
	inQuote, inAngle, depth := false, false, 0
	hasAt := false // cur holds an "@" (kept incrementally: lists can be long)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case inQuote:
			if c == '\\' && i+1 < len(v) {
				cur.WriteByte(c)
				i++
				c = v[i]
			} else if c == '"' {
				inQuote = false
			}
		case depth > 0:
			if c == '(' {
				depth++
			} else if c == ')' {
				depth--
			} else if c == '\\' && i+1 < len(v) {
				cur.WriteByte(c)
				i++
				c = v[i]
			}
		case c == '"':
			inQuote = true
		case c == '(':
			depth++
		case c == '<':
			inAngle = true
		case c == '>':
			inAngle = false
		case !inAngle && (c == ',' || c == ';'):
			items = append(items, cur.String())
			cur.Reset()
			hasAt = false
			if len(items) > 4*maxAddresses {
				return items
			}
			continue
		case !inAngle && c == ':' && !hasAt:
			// Group display name: drop it.
			cur.Reset()
			continue
		}
		hasAt = hasAt || c == '@'
		cur.WriteByte(c)
	}
	items = append(items, cur.String())
	return items
}

// parseMailbox parses one "Name <addr>", "addr (Name)" or bare "addr".
func parseMailbox(s string) (a Address, quotedWord, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Address{}, false, false
	}
	phrase, comment, addr := splitMailbox(s)
	name := phrase
	if strings.TrimSpace(name) == "" {
		name = comment
	}
	quotedWord = strings.Contains(s, `"=?`) || strings.Contains(s, `?="`)
	name, _ = decodeWords(unquotePhrase(name))
	name = strings.Join(strings.Fields(name), " ")
	addr = strings.Trim(strings.TrimSpace(addr), `"'`)
	if i := strings.LastIndexByte(addr, ':'); i >= 0 && strings.HasPrefix(addr, "@") {
		addr = addr[i+1:] // obsolete route (RFC 5322 section 4.4)
	}
	if addr == "" && !strings.Contains(name, " ") && name != "" && !strings.ContainsAny(s, "<") {
		addr, name = name, ""
	}
	if addr == "" && name == "" {
		return Address{}, quotedWord, false
	}
	return Address{Name: name, Addr: normalizeAddr(addr)}, quotedWord, true
}

// splitMailbox separates the display phrase, any comment text and the
// addr-spec of one mailbox.
func splitMailbox(s string) (phrase, comment, addr string) {
	var ph, cm strings.Builder
	inQuote, depth := false, 0
	angle := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote:
			ph.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				ph.WriteByte(s[i])
			} else if c == '"' {
				inQuote = false
			}
		case depth > 0:
			if c == ')' {
				depth--
				if depth == 0 {
					cm.WriteByte(' ')
					continue
				}
			} else if c == '(' {
				depth++
			}
			cm.WriteByte(c)
		case c == '"':
			inQuote = true
			ph.WriteByte(c)
		case c == '(':
			depth++
		case c == '<' && angle < 0:
			angle = i
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				addr = s[i+1:]
				i = len(s)
			} else {
				addr = s[i+1 : i+end]
				i += end
			}
		default:
			ph.WriteByte(c)
		}
	}
	phrase = ph.String()
	if angle < 0 {
		// No angle brackets: the phrase is the addr-spec itself when it
		// looks like one ("addr (Name)" or a bare address).
		if p := strings.TrimSpace(phrase); strings.Contains(p, "@") || !strings.ContainsAny(p, " \"") {
			return "", strings.TrimSpace(cm.String()), p
		}
	}
	return phrase, strings.TrimSpace(cm.String()), addr
}

// unquotePhrase removes the quotes and backslash escapes of quoted-strings in a
// display phrase.
func unquotePhrase(s string) string {
	if !strings.ContainsAny(s, `"\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// normalizeAddr lower-cases the domain; the local part is kept as
// written (RFC 5321 section 2.4: it may be case-sensitive). Raw 8-bit
// bytes (RFC 6532) are decoded like other header text.
func normalizeAddr(addr string) string {
	addr = strings.Join(strings.Fields(addr), "")
	if hasHighBit([]byte(addr)) {
		addr = decodeHeaderBytes([]byte(addr))
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return addr
	}
	return addr[:at+1] + strings.ToLower(addr[at+1:])
}
