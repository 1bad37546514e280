package mailparse

import (
	"fmt"
	"io"
	"strings"
)

// maxNesting bounds multipart and message/rfc822 nesting. Real mail stays
// under ten levels; the walkers use explicit stacks, so this protects
// memory, not the goroutine stack.
const maxNesting = 64

// deepNesting is the multipart depth from which the structure counts as
// a defect: clients nest at most mixed/related/alternative, twice when a
// whole message is forwarded, while gateway re-wrapping goes far deeper.
const deepNesting = 8

// parseDefect is one problem found in the input. Serious ones make a person's
// message KindMalformed.
type parseDefect struct {
	serious bool
	text    string
}

// textChunk is one piece of body text in MIME order.
type textChunk struct {
	html bool   // text is HTML source, converted at the end
	text string // decoded (and unflowed) text or HTML
	fwd  bool   // from a forwarded message/rfc822 part
}

// mimeFrame is an open multipart or message/rfc822 entity.
type mimeFrame struct {
	subtype  string // multipart subtype; "" for a message frame
	msg      bool
	report   bool          // multipart/report (RFC 6522)
	skip     bool          // a returned message inside a report: ignored
	branches [][]textChunk // one per child, in order
	inner    mimeHeader    // message frame: the enclosed message's header
	attach   int           // message frame: index of its attachment, or -1
	sink     *attachSink
}

// collector receives the walk of a message and builds the Message. Both
// the strict and the tolerant walker drive it the same way.
type collector struct {
	opt        ParseOptions
	top        mimeHeader
	defects    []parseDefect
	stack      []*mimeFrame // stack[0] is the root
	parts      int
	depth      int // open multiparts
	maxDepth   int
	atts       []Attachment
	attCIDs    []string
	cids       map[string]bool // Content-IDs referenced from HTML
	reportType string
	dsnPart    bool
	// reportPart is the type of the first machine-readable report part
	// met anywhere ("message/feedback-report"), whatever the multipart
	// around it says: not every reporter builds multipart/report.
	reportPart string
	stopped    bool // MaxParts reached
	textRead   int  // bytes of text parts kept so far
}

// newCollector returns a collector with an empty root frame.
func newCollector(opt ParseOptions) *collector {
	return &collector{opt: opt, stack: []*mimeFrame{{subtype: "mixed", attach: -1}}, cids: map[string]bool{}}
}

// addDefect records a problem once; the list is bounded.
func (c *collector) addDefect(serious bool, format string, args ...any) {
	// Library errors may quote raw input: keep the text printable.
	text := truncRunes(cleanHeaderText(fmt.Sprintf(format, args...)), 300)
	for _, d := range c.defects {
		if d.text == text {
			return
		}
	}
	if len(c.defects) < 50 {
		c.defects = append(c.defects, parseDefect{serious, text})
	}
}

// cur returns the innermost open frame.
func (c *collector) cur() *mimeFrame { return c.stack[len(c.stack)-1] }

// skipping reports whether the current part lies inside ignored content.
func (c *collector) skipping() bool {
	for _, f := range c.stack {
		if f.skip {
			return true
		}
	}
	return false
}

// countPart counts one more entity; false means MaxParts is reached and
// the walk must stop.
func (c *collector) countPart() bool {
	c.parts++
	if c.parts > c.opt.MaxParts {
		if !c.stopped {
			c.addDefect(true, "more than %d MIME parts: the rest was not read", c.opt.MaxParts)
		}
		c.stopped = true
		return false
	}
	return true
}

// nestingOK reports whether one more level may be opened.
func (c *collector) nestingOK() bool {
	if len(c.stack) > maxNesting {
		c.addDefect(true, "MIME nesting deeper than %d levels: inner parts ignored", maxNesting)
		return false
	}
	return true
}

// mediaType returns the Content-Type of a part, defaulting per RFC 2045
// section 5.2 (text/plain) and RFC 2046 section 5.1.5 (message/rfc822
// inside multipart/digest).
func (c *collector) mediaType(h mimeHeader) (string, map[string]string) {
	mt, params := parseMediaValue(h.get("Content-Type"))
	if mt == "" || !strings.Contains(mt, "/") {
		if mt != "" {
			c.addDefect(false, "invalid Content-Type %q treated as default", truncRunes(mt, 60))
		}
		mt = "text/plain"
		if c.cur().subtype == "digest" {
			mt = "message/rfc822"
		}
	}
	return mt, params
}

// enterMultipart opens a multipart frame.
func (c *collector) enterMultipart(subtype string, params map[string]string) {
	c.depth++
	c.maxDepth = max(c.maxDepth, c.depth)
	f := &mimeFrame{subtype: subtype, attach: -1, report: subtype == "report"}
	if f.report && c.reportType == "" {
		c.reportType = strings.ToLower(params["report-type"])
	}
	c.stack = append(c.stack, f)
}

// leaveMultipart closes the innermost multipart and hands its text
// (one alternative, or all parts in order) to the parent.
func (c *collector) leaveMultipart() {
	f := c.cur()
	c.stack = c.stack[:len(c.stack)-1]
	c.depth--
	var res []textChunk
	if f.subtype == "alternative" {
		res = chooseAlternative(f.branches)
	} else {
		for _, b := range f.branches {
			res = append(res, b...)
		}
	}
	if len(res) > 0 {
		p := c.cur()
		p.branches = append(p.branches, res)
	}
}

// messagePart decides what to do with a message/rfc822 part: descend
// into a forward (its text is the suggestion), listing it as one
// attachment when it has a name; ignore the returned message of a bounce
// report. sink receives the part's bytes when it is listed.
func (c *collector) messagePart(h mimeHeader) (descend bool, sink io.Writer) {
	parent := c.cur()
	if c.skipping() || parent.report {
		c.stack = append(c.stack, &mimeFrame{msg: true, skip: true, attach: -1})
		return false, nil
	}
	_, ctParams := parseMediaValue(h.get("Content-Type"))
	disp, dParams := parseMediaValue(h.get("Content-Disposition"))
	name := partFilename(dParams, ctParams)
	f := &mimeFrame{msg: true, attach: -1}
	if (name != "" || disp == "attachment") && !c.insideListed() {
		f.attach = len(c.atts)
		f.sink = c.newSink()
		c.atts = append(c.atts, Attachment{Filename: name, ContentType: "message/rfc822", Inline: disp == "inline"})
		c.attCIDs = append(c.attCIDs, cleanCID(h.get("Content-ID")))
		sink = f.sink
	}
	c.stack = append(c.stack, f)
	return true, sink
}

// messageHeader records the header of the message being descended into.
func (c *collector) messageHeader(h mimeHeader) { c.cur().inner = h }

// endMessage closes the frame opened by messagePart.
func (c *collector) endMessage() {
	f := c.cur()
	c.stack = c.stack[:len(c.stack)-1]
	if f.skip {
		return
	}
	if f.attach >= 0 {
		a := &c.atts[f.attach]
		f.sink.finish(a)
		if f.attach >= c.opt.MaxAttachments {
			a.Data, a.Parts, a.SHA256 = nil, nil, ""
			a.Refused = fmt.Sprintf("more than %d attachments", c.opt.MaxAttachments)
		}
		if a.Filename == "" {
			subj, _ := decodeWords(f.inner.get("Subject"))
			a.Filename = sanitizeFilename(strings.TrimSpace(subj) + ".eml")
			if a.Filename == ".eml" {
				a.Filename = "forwarded.eml"
			}
		}
	}
	res := []textChunk{{text: forwardHeader(f.inner), fwd: true}}
	for _, b := range f.branches {
		for _, ch := range b {
			ch.fwd = true
			res = append(res, ch)
		}
	}
	p := c.cur()
	p.branches = append(p.branches, res)
}

// forwardHeader renders the header of a forwarded message/rfc822 the way
// Gmail writes an inline forward, so both read alike downstream.
func forwardHeader(h mimeHeader) string {
	var b strings.Builder
	b.WriteString("---------- Forwarded message ---------\n")
	for _, name := range []string{"From", "Date", "Subject", "To"} {
		if v := h.get(name); v != "" {
			d, _ := decodeWords(v)
			fmt.Fprintf(&b, "%s: %s\n", name, strings.Join(strings.Fields(d), " "))
		}
	}
	b.WriteString("\n")
	return b.String()
}

// leaf handles a part that is neither multipart nor a descended message.
func (c *collector) leaf(h mimeHeader, body io.Reader) error {
	if c.skipping() {
		_, err := io.Copy(io.Discard, body)
		return err
	}
	mt, ctParams := c.mediaType(h)
	disp, dParams := parseMediaValue(h.get("Content-Disposition"))
	name := partFilename(dParams, ctParams)
	if reportPart(mt) || (c.cur().report && mt == "text/rfc822-headers") {
		// RFC 3464 delivery status, RFC 8098 disposition and RFC 5965
		// feedback parts are machine data, not attachments.
		c.dsnPart = c.dsnPart || strings.Contains(mt, "delivery-status")
		if c.reportPart == "" {
			c.reportPart = mt
		}
		_, err := io.Copy(io.Discard, body)
		return err
	}
	isText := mt == "text/plain" || mt == "text/html"
	// A single-part message's only text is its body even when a script
	// gave it a name.
	sole := len(c.stack) == 1
	if isText && disp != "attachment" && (name == "" || sole) {
		return c.text(h, mt, ctParams, body)
	}
	return c.attachment(h, mt, name, disp, body)
}

// reportPart reports the machine-readable parts of RFC 6522 reports.
func reportPart(mt string) bool {
	switch mt {
	case "message/delivery-status", "message/global-delivery-status",
		"message/disposition-notification", "message/global-disposition-notification",
		"message/feedback-report":
		return true
	}
	return false
}

// text reads a body text part into the current frame.
func (c *collector) text(h mimeHeader, mt string, params map[string]string, body io.Reader) error {
	r, rep := transferReader(h.get("Content-Transfer-Encoding"), body)
	html := mt == "text/html"
	limit := c.opt.MaxTextBytes
	if html {
		limit *= 4 // markup weighs more than the text it carries
	}
	// All text parts together get a budget too: two hundred parts of a
	// megabyte each would otherwise all be held until the end.
	budget := 4*c.opt.MaxTextBytes - c.textRead
	if budget <= 0 {
		c.addDefect(false, "more body text than %d bytes: further text parts skipped", 4*c.opt.MaxTextBytes)
		_, err := io.Copy(io.Discard, r)
		return err
	}
	limit = min(limit, budget)
	data, truncated, err := readCapped(r, limit)
	c.textRead += len(data)
	if err != nil {
		return err
	}
	if p := rep.problem(); p != "" {
		c.addDefect(rep.serious(), "text part: %s", p)
	}
	if truncated {
		c.addDefect(false, "text part longer than %d bytes: truncated", limit)
	}
	s, ds := decodeText(data, params["charset"], html)
	for _, d := range ds {
		c.addDefect(d.serious, "%s", d.text)
	}
	s = sanitizeText(s, 0)
	ch := textChunk{html: html, text: s}
	if html {
		for _, id := range htmlCIDs(s) {
			c.cids[id] = true
		}
	} else if strings.EqualFold(params["format"], "flowed") {
		ch.text = unflow(s, strings.EqualFold(params["delsp"], "yes"))
	}
	f := c.cur()
	f.branches = append(f.branches, []textChunk{ch})
	return nil
}

// readCapped reads r to the end, keeping at most limit bytes.
func readCapped(r io.Reader, limit int) (data []byte, truncated bool, err error) {
	data, err = io.ReadAll(io.LimitReader(r, int64(limit)))
	if err != nil {
		return data, false, err
	}
	n, err := io.Copy(io.Discard, r)
	return data, n > 0, err
}

// insideListed reports whether the current part belongs to a forwarded
// message that is itself listed as one attachment.
func (c *collector) insideListed() bool {
	for _, f := range c.stack {
		if f.msg && f.attach >= 0 {
			return true
		}
	}
	return false
}

// attachment lists one attached part.
func (c *collector) attachment(h mimeHeader, mt, name, disp string, body io.Reader) error {
	if c.insideListed() {
		// Counted once, as the .eml it travels in.
		_, err := io.Copy(io.Discard, body)
		return err
	}
	cid := cleanCID(h.get("Content-ID"))
	if name == "" {
		name = fmt.Sprintf("attachment-%d%s", len(c.atts)+1, extensionFor(mt))
	}
	a := Attachment{Filename: name, ContentType: mt}
	// RFC 2183 inline disposition, or an undispositioned part of
	// multipart/related (RFC 2387), which exists to be referenced.
	a.Inline = disp == "inline" || (disp == "" && cid != "" && c.cur().subtype == "related")
	c.atts = append(c.atts, a)
	c.attCIDs = append(c.attCIDs, cid)
	idx := len(c.atts) - 1
	r, rep := transferReader(h.get("Content-Transfer-Encoding"), body)
	if idx >= c.opt.MaxAttachments {
		n, err := io.Copy(io.Discard, r)
		c.atts[idx].Size = n
		c.atts[idx].Refused = fmt.Sprintf("more than %d attachments", c.opt.MaxAttachments)
		return err
	}
	sink := c.newSink()
	if _, err := io.Copy(sink, r); err != nil {
		return err
	}
	sink.finish(&c.atts[idx])
	if p := rep.problem(); p != "" {
		c.addDefect(rep.serious(), "attachment %q: %s", name, p)
	}
	return nil
}

// cleanCID returns a Content-ID without angle brackets.
func cleanCID(v string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(v), "<>"))
}

// extensionFor names unnamed parts so staff can open them.
func extensionFor(mt string) string {
	switch mt {
	case "image/jpeg", "image/jpg", "image/pjpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "application/pdf":
		return ".pdf"
	case "text/plain":
		return ".txt"
	case "text/html":
		return ".html"
	case "text/calendar":
		return ".ics"
	case "message/rfc822":
		return ".eml"
	case "application/pgp-signature":
		return ".asc"
	case "application/ms-tnef":
		return ".dat"
	}
	return ".bin"
}

// truncRunes shortens s to n runes, marking the cut.
func truncRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
