package mailparse

import (
	"bytes"
	"io"
	"strings"
)

// lenientItem is a unit of work in walkLenient's explicit stack.
type lenientItem struct {
	kind int // itemEntity, itemLeave or itemEndMessage
	h    mimeHeader
	body []byte
}

const (
	itemEntity = iota
	itemLeave
	itemEndMessage
)

// walkLenient walks the message the way a forgiving reader would, on the
// bytes in memory: a missing closing boundary ends the multipart at the
// end of input, a missing boundary parameter is guessed from the body,
// header lines without a colon are skipped. Part bodies are sub-slices of
// raw, never copies.
func (c *collector) walkLenient(raw []byte) {
	h, body, notes := readHeaderLenient(raw, true)
	c.top = h
	for _, n := range notes {
		c.addDefect(true, "%s", n)
	}
	c.countPart()
	stack := []lenientItem{{kind: itemEntity, h: h, body: body}}
	first := true
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch it.kind {
		case itemLeave:
			c.leaveMultipart()
			continue
		case itemEndMessage:
			c.endMessage()
			continue
		}
		if !first && !c.countPart() {
			return
		}
		first = false
		mt, params := c.mediaType(it.h)
		switch {
		case strings.HasPrefix(mt, "multipart/"):
			if !c.nestingOK() {
				continue
			}
			sub := strings.TrimPrefix(mt, "multipart/")
			boundary := strings.TrimSpace(params["boundary"])
			if boundary == "" {
				boundary = sniffBoundary(it.body)
				c.addDefect(true, "multipart/%s without a boundary parameter", sub)
			}
			parts, closed, found := splitMultipart(it.body, boundary, c.opt.MaxParts)
			if !found {
				c.addDefect(true, "multipart/%s boundary never appears: body read as text", sub)
				_ = c.leaf(mimeHeader{}, bytes.NewReader(it.body))
				continue
			}
			if !closed {
				c.addDefect(true, "multipart/%s closing boundary missing", sub)
			}
			c.enterMultipart(sub, params)
			stack = append(stack, lenientItem{kind: itemLeave})
			for i := len(parts) - 1; i >= 0; i-- {
				ph, pb, notes := readHeaderLenient(parts[i], false)
				for _, n := range notes {
					c.addDefect(true, "%s", n)
				}
				stack = append(stack, lenientItem{kind: itemEntity, h: ph, body: pb})
			}
		case isMessageType(mt):
			if !c.nestingOK() {
				continue
			}
			descend, sink := c.messagePart(it.h)
			r, _ := transferReader(it.h.get("Content-Transfer-Encoding"), bytes.NewReader(it.body))
			decoded, _ := io.ReadAll(r) // reading memory cannot fail
			if sink != nil {
				_, _ = sink.Write(decoded)
			}
			if !descend {
				c.endMessage()
				continue
			}
			ih, ib, notes := readHeaderLenient(decoded, false)
			for _, n := range notes {
				c.addDefect(true, "forwarded message: %s", n)
			}
			c.messageHeader(ih)
			stack = append(stack, lenientItem{kind: itemEndMessage}, lenientItem{kind: itemEntity, h: ih, body: ib})
		default:
			_ = c.leaf(it.h, bytes.NewReader(it.body)) // reading memory cannot fail
		}
	}
}

// splitMultipart cuts a multipart body at its delimiter lines (RFC 2046
// section 5.1.1): "--boundary" at the start of a line, then only
// whitespace, or "--" for the close. The line break before a delimiter
// belongs to it. found is false when no delimiter occurs at all; closed
// is false when the close delimiter is missing, in which case the last
// part runs to the end of input. At most limit+1 parts are returned.
func splitMultipart(body []byte, boundary string, limit int) (parts [][]byte, closed, found bool) {
	if boundary == "" {
		return nil, false, false
	}
	delim := []byte("--" + boundary)
	start := -1
	for off := 0; off < len(body); {
		i := bytes.Index(body[off:], delim)
		if i < 0 {
			break
		}
		i += off
		lineEnd := len(body)
		if j := bytes.IndexByte(body[i:], '\n'); j >= 0 {
			lineEnd = i + j
		}
		nextLine := min(lineEnd+1, len(body))
		if i > 0 && body[i-1] != '\n' {
			off = i + 1
			continue
		}
		rest := bytes.TrimRight(body[i+len(delim):lineEnd], "\r")
		isClose := bytes.HasPrefix(rest, []byte("--"))
		if isClose {
			rest = rest[2:]
		}
		if len(bytes.Trim(rest, " \t")) != 0 {
			off = i + 1
			continue
		}
		found = true
		if start >= 0 {
			parts = append(parts, trimDelimiterBreak(body[start:i]))
			if len(parts) > limit {
				return parts, true, true // MaxParts stops the walk anyway
			}
		}
		if isClose {
			return parts, true, true
		}
		start = nextLine
		off = nextLine
	}
	if start >= 0 {
		parts = append(parts, body[start:])
	}
	return parts, false, found
}

// trimDelimiterBreak removes the CRLF (or LF) that precedes a delimiter.
func trimDelimiterBreak(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// sniffBoundary guesses the boundary of a multipart whose Content-Type
// lost it: the first "--token" line followed by a header field.
func sniffBoundary(body []byte) string {
	lines := bytes.SplitN(body, []byte("\n"), 200)
	for i, l := range lines {
		l = bytes.TrimRight(l, "\r \t")
		if len(l) < 3 || !bytes.HasPrefix(l, []byte("--")) || i+1 >= len(lines) {
			continue
		}
		if _, ok := fieldName(bytes.TrimRight(lines[i+1], "\r")); ok {
			return string(bytes.TrimSuffix(l[2:], []byte("--")))
		}
	}
	return ""
}
