package mailparse

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxSubjectBytes bounds the decoded subject; residents do type whole
// suggestions into it, so the bound is generous.
const maxSubjectBytes = 16 << 10

// subjectPrefixRE finds the first reply or forward prefix of a subject,
// after any "[list]" tags: Re/ATS (Lithuanian Outlook)/AW/SV/Odp for
// replies, Fwd/FW/PRN (Lithuanian Outlook)/WG/TR/RV for forwards.
var subjectPrefixRE = regexp.MustCompile(`(?i)^\s*(?:\[[^\]]{0,80}\]\s*)*(re|ats|aw|sv|odp|antw|vs|fw|fwd|prn|persiųsta|persiunčiama|persiunčiu|wg|tr|rv|doorst)\s*(?:\[\d+\]|\(\d+\))?\s*:`)

// isForwardSubject reports whether the outermost subject prefix marks a
// forward: "Fwd: Re: x" is a forward, "Re: Fwd: x" a reply.
func isForwardSubject(s string) bool {
	m := subjectPrefixRE.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	switch strings.ToLower(m[1]) {
	case "fw", "fwd", "prn", "persiųsta", "persiunčiama", "persiunčiu", "wg", "tr", "rv", "doorst":
		return true
	}
	return false
}

// finish closes what the walk left open and builds the Message.
func (c *collector) finish() *Message {
	for len(c.stack) > 1 {
		if c.cur().msg {
			c.endMessage()
		} else {
			c.leaveMultipart()
		}
	}
	m := &Message{}
	c.readHeader(m)
	m.Auth = authResults(c.top)
	c.markInline()
	m.Attachments = c.atts
	c.buildText(m)
	if c.maxDepth >= deepNesting {
		c.addDefect(true, "multipart nesting %d levels deep", c.maxDepth)
	}
	switch {
	case len(m.Attachments) > 0:
	case strings.TrimSpace(m.FullText) == "":
		c.addDefect(true, "empty body")
	case strings.TrimSpace(m.Text) == "":
		c.addDefect(true, "empty body: only quotes, a signature or a footer")
	}
	for _, d := range c.defects {
		m.Defects = append(m.Defects, d.text)
	}
	m.Kind, m.KindReason = classify(kindInput{
		h:          c.top,
		from:       m.From,
		replyTo:    m.ReplyTo,
		subject:    m.Subject,
		text:       m.Text,
		full:       m.FullText,
		reportType: c.reportType,
		dsnPart:    c.dsnPart,
		reportPart: c.reportPart,
		forward:    isForwardSubject(m.Subject),
		hasRefs:    m.InReplyTo != "" || len(m.References) > 0,
		defects:    c.defects,
	})
	if m.Kind == KindBounce {
		// The returned message of a report that was not built as
		// multipart/report is still a report part, not a file.
		kept := m.Attachments[:0]
		for _, a := range m.Attachments {
			if a.ContentType != "message/rfc822" && a.ContentType != "message/global" && a.ContentType != "text/rfc822-headers" {
				kept = append(kept, a)
			}
		}
		m.Attachments = kept
	}
	lang := m.Text
	if strings.TrimSpace(lang) == "" {
		lang = m.Subject
	}
	m.Language = guessLanguage(lang)
	return m
}

// readHeader fills the header fields of m and notes header defects.
func (c *collector) readHeader(m *Message) {
	h := c.top
	if v := h.get("Message-ID"); v != "" {
		m.MessageID = firstID(v)
	}
	if m.MessageID == "" {
		c.addDefect(true, "missing Message-ID header")
	}
	switch v := h.get("Date"); {
	case !h.has("Date"):
		// RFC 5322 section 3.6: Date is required.
		c.addDefect(true, "missing Date header")
	default:
		if t, ok := parseDate(v); ok {
			m.Date = t
		} else {
			c.addDefect(true, "unparseable Date header %q", truncRunes(cleanHeaderText(v), 60))
		}
	}
	if !h.has("From") {
		c.addDefect(true, "missing From header")
	} else {
		list, quotedWord := parseAddressList(h.get("From"))
		if len(list) == 0 {
			c.addDefect(true, "From header without an address")
		} else {
			m.From = list[0]
		}
		if quotedWord {
			c.addDefect(false, "encoded-word inside a quoted string in From (RFC 2047 section 5)")
		}
	}
	if h.has("Reply-To") {
		if list, _ := parseAddressList(h.get("Reply-To")); len(list) > 0 {
			a := list[0]
			m.ReplyTo = &a
		}
	}
	for _, v := range h.values("To") {
		l, _ := parseAddressList(v)
		m.To = append(m.To, l...)
	}
	for _, v := range h.values("Cc") {
		l, _ := parseAddressList(v)
		m.Cc = append(m.Cc, l...)
	}
	if h.has("Subject") {
		m.HasSubject = true
		s, _ := decodeWords(h.get("Subject"))
		s = strings.Join(strings.Fields(s), " ")
		if len(s) > maxSubjectBytes {
			s = strings.ToValidUTF8(s[:maxSubjectBytes], "")
		}
		m.Subject = s
	}
	m.InReplyTo = firstID(h.get("In-Reply-To"))
	for _, v := range h.values("References") {
		m.References = append(m.References, msgIDs(v)...)
	}
	if len(m.References) > maxReferences {
		m.References = m.References[len(m.References)-maxReferences:]
	}
	for _, name := range []string{"From", "Subject", "To", "Cc", "Reply-To"} {
		for _, v := range h.values(name) {
			if hasHighBit([]byte(v)) {
				// RFC 5322 section 2.2 allows only US-ASCII; RFC 6532
				// needs an SMTPUTF8 path, which a resident's client
				// sending to us did not have.
				c.addDefect(true, "raw 8-bit bytes in %s header", name)
				break
			}
		}
	}
	for _, f := range h.fields {
		if f.longest > maxLineOctets {
			c.addDefect(true, "%s header line of %d characters exceeds the 998 limit (RFC 5322 section 2.1.1)", truncRunes(f.name, 40), f.longest)
		}
	}
}

// buildText converts and joins the body texts: the message's own text
// runs through quote stripping, forwarded message/rfc822 parts through
// the lighter forward cleaning.
func (c *collector) buildText(m *Message) {
	var all []textChunk
	for _, b := range c.stack[0].branches {
		all = append(all, b...)
	}
	forward := isForwardSubject(m.Subject)
	var own, full, seg []string
	segFwd := false
	flush := func() {
		if len(seg) == 0 {
			return
		}
		joined := strings.Join(seg, "\n\n")
		if segFwd {
			own = append(own, forwardText(joined))
		} else {
			own = append(own, ownText(joined, forward))
		}
		seg = nil
	}
	for _, ch := range all {
		t := ch.text
		if ch.html {
			t = htmlToText(t, c.opt.MaxTextBytes)
		}
		full = append(full, stripMarkers(t))
		if ch.fwd != segFwd {
			flush()
			segFwd = ch.fwd
		}
		seg = append(seg, t)
	}
	flush()
	var parts []string
	for _, p := range own {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	m.Text = capText(strings.Join(parts, "\n\n"), c.opt.MaxTextBytes)
	m.FullText = capText(strings.TrimSpace(strings.Join(full, "\n\n")), c.opt.MaxTextBytes)
}

// capText cuts s to at most n bytes on a character boundary.
func capText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if r != utf8.RuneError || size > 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}
