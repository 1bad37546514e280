package mailparse

import (
	"bytes"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// maxHeaderBytes bounds one header block in the tolerant reader, like
// go-message's default for the strict one.
const maxHeaderBytes = 1 << 20

// maxHeaderFields bounds the fields kept from one header block; real
// messages carry well under a hundred, Received trails included.
const maxHeaderFields = 1000

// maxLineOctets is the RFC 5322 section 2.1.1 limit on a physical line,
// CRLF excluded.
const maxLineOctets = 998

// headerField is one header field: its name as written, the unfolded value with
// raw (undecoded) bytes, and the longest physical line it occupied.
type headerField struct {
	name    string
	value   string
	longest int
}

// mimeHeader is an ordered list of fields; lookups ignore case (RFC 5322
// section 1.2.2).
type mimeHeader struct {
	fields []headerField
}

// get returns the first value of name, or "".
func (h mimeHeader) get(name string) string {
	for _, f := range h.fields {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// has reports whether name occurs at all.
func (h mimeHeader) has(name string) bool {
	for _, f := range h.fields {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

// values returns every value of name in order.
func (h mimeHeader) values(name string) []string {
	var vs []string
	for _, f := range h.fields {
		if strings.EqualFold(f.name, name) {
			vs = append(vs, f.value)
		}
	}
	return vs
}

// headerFromTextproto converts go-message's header, keeping the order and
// measuring physical lines from the raw bytes.
func headerFromTextproto(th textproto.Header) mimeHeader {
	var h mimeHeader
	fs := th.Fields()
	for fs.Next() {
		f := headerField{name: fs.Key(), value: fs.Value()}
		if raw, err := fs.Raw(); err == nil {
			f.longest = longestLine(raw)
		}
		h.fields = append(h.fields, f)
	}
	return h
}

// longestLine returns the length of the longest line of b without its
// line terminator.
func longestLine(b []byte) int {
	longest := 0
	for line := range bytes.Lines(b) {
		longest = max(longest, len(bytes.TrimRight(line, "\r\n")))
	}
	return longest
}

// readHeaderLenient splits b into a header block and a body the way a
// forgiving reader would: it accepts LF or CRLF (or CR CR LF), skips an mbox
// "From " line, drops lines that are not fields, and treats a line that
// cannot be a field as the start of the body when the blank separator line
// is missing. It never fails; problems come back as notes.
func readHeaderLenient(b []byte, top bool) (h mimeHeader, body []byte, notes []string) {
	rest := b
	if top && bytes.HasPrefix(rest, []byte("From ")) {
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[i+1:]
		}
	}
	var cur *headerField
	var raw []byte // physical lines of cur, name included
	var valueAt int
	finish := func() {
		if cur != nil {
			cur.longest = longestLine(raw)
			cur.value = unfoldValue(raw[valueAt:])
			h.fields = append(h.fields, *cur)
			cur, raw = nil, nil
		}
	}
	consumed := len(b) - len(rest)
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		line, next := rest, []byte(nil)
		if i >= 0 {
			line, next = rest[:i+1], rest[i+1:]
		}
		text := bytes.TrimRight(line, "\r\n")
		switch {
		case len(text) == 0:
			finish()
			return h, next, notes
		case consumed > maxHeaderBytes:
			finish()
			notes = append(notes, "header block larger than 1 MiB: rest treated as body")
			return h, rest, notes
		case text[0] == ' ' || text[0] == '\t':
			if cur != nil {
				raw = append(raw, line...)
			} else if len(h.fields) == 0 {
				notes = append(notes, "header starts with a continuation line")
			}
		default:
			name, ok := fieldName(text)
			if !ok {
				finish()
				if len(h.fields) == 0 {
					// No header at all: the whole entity is body.
					notes = append(notes, "part without a header")
					return h, b[len(b)-len(rest):], notes
				}
				// A stray line in the middle of the header (a broken
				// relay, a script) is skipped when fields go on after
				// it; only a line that is followed by no field starts
				// the body.
				if looksLikeBody(text) && !fieldNext(next) {
					notes = append(notes, "no blank line between header and body")
					return h, rest, notes
				}
				notes = append(notes, "header line without a colon ignored")
				break
			}
			finish()
			if len(h.fields) >= maxHeaderFields {
				if len(notes) == 0 || notes[len(notes)-1] != "too many header fields: the rest ignored" {
					notes = append(notes, "too many header fields: the rest ignored")
				}
				break
			}
			cur = &headerField{name: name}
			raw = append(raw[:0:0], line...)
			valueAt = bytes.IndexByte(line, ':') + 1
		}
		consumed += len(line)
		rest = next
	}
	finish()
	return h, nil, notes
}

// fieldName returns the field name of a header line, tolerating spaces
// before the colon ("Subject : x"), which appear in the wild.
func fieldName(line []byte) (string, bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 || i > 200 {
		return "", false
	}
	name := bytes.TrimRight(line[:i], " \t")
	if len(name) == 0 {
		return "", false
	}
	for _, c := range name {
		// RFC 5322 section 3.6.8: printable US-ASCII except colon.
		if c < 33 || c > 126 {
			return "", false
		}
	}
	return string(name), true
}

// fieldNext reports whether b starts with a header field line.
func fieldNext(b []byte) bool {
	line := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line = b[:i]
	}
	line = bytes.TrimRight(line, "\r")
	if len(line) == 0 || line[0] == ' ' || line[0] == '\t' {
		return false
	}
	_, ok := fieldName(line)
	return ok
}

// looksLikeBody guesses whether a non-field line after some fields is body
// text whose blank separator line went missing.
func looksLikeBody(line []byte) bool {
	return bytes.IndexByte(line, ' ') >= 0 || bytes.HasPrefix(line, []byte("--")) || len(line) > 0 && line[0] == '<'
}

// unfoldValue joins the physical lines of a field value (RFC 5322 section
// 2.2.3), trimming each one and separating them with a single space, as
// go-message does.
func unfoldValue(raw []byte) string {
	var b strings.Builder
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\n')
		line := raw
		if i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		line = bytes.Trim(line, " \t\r")
		if len(line) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.Write(line)
	}
	return b.String()
}

// headerHeavy reports input with so many header-like lines that parsing
// it strictly would build an unbounded number of fields; such input goes
// straight to the tolerant walker, which caps them.
func headerHeavy(raw []byte) bool {
	n := 0
	for line := range bytes.Lines(raw) {
		if c := bytes.IndexByte(line, ':'); c > 0 && c < 40 && bytes.IndexByte(line[:c], ' ') < 0 {
			n++
			if n > 20*maxHeaderFields {
				return true
			}
		}
	}
	return false
}
