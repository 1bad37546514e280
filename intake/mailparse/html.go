package mailparse

import (
	"strings"

	"golang.org/x/net/html"
)

// Marker lines the HTML converter leaves for quote stripping. They use
// private-use code points, which never occur in mail text, and are removed
// from every output.
const (
	// quoteMark stands where a client starts the quoted original
	// (Gmail's gmail_quote, Outlook's divRplyFwdMsg, Thunderbird's
	// moz-cite-prefix…): everything after it is quoted unless it turns out
	// to be a forward.
	quoteMark = "\uE000"
	// headerMark stands where Outlook desktop draws its border-top line
	// above a "From:/Sent:" block; it cuts only if such a block follows.
	headerMark = "\uE001"
)

// maxHTMLStack bounds the open-element stack; deeper elements are read as
// plain inline content.
const maxHTMLStack = 256

// htmlEl is one open element during conversion.
type htmlEl struct {
	name  string
	hides bool // hidden, skipped or a signature: content not shown
	quote bool
	pre   bool
	tight bool // a paragraph without margins (Word's MsoNormal): one line
}

// htmlConv turns HTML into text with a streaming tokenizer: no DOM is
// built, so hostile nesting costs neither recursion nor a tree.
type htmlConv struct {
	out       strings.Builder
	line      strings.Builder
	lineDepth int
	quote     int
	hide      int
	pre       int
	stack     []htmlEl
	lastBlank bool
	limit     int
}

// htmlToText renders HTML as plain text (see htmlConv), at most about
// limit bytes. Paragraphs and <br> become line breaks, list items "- ",
// blockquotes "> " lines; head, style, script, hidden elements (display:
// none, visibility:hidden, zero size, hidden attribute, preheader
// classes) and signature blocks are dropped; entities are decoded and
// NBSP becomes a space.
func htmlToText(src string, limit int) string {
	c := &htmlConv{limit: limit, lastBlank: true}
	z := html.NewTokenizer(strings.NewReader(src))
	for c.out.Len() < limit {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// io.EOF, or a tokenizer limit: either way the input ends.
			c.block()
			return tidyText(c.out.String())
		case html.TextToken:
			if c.hide == 0 {
				c.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			var attrs map[string]string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if attrs == nil {
					attrs = map[string]string{}
				}
				attrs[string(k)] = string(v)
			}
			n := string(name)
			c.start(n, attrs)
			if tt == html.SelfClosingTagToken && !voidElement(n) {
				c.end(n)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			c.end(string(name))
		}
	}
	c.block()
	return tidyText(c.out.String())
}

// voidElement reports elements without content or end tag.
func voidElement(n string) bool {
	switch n {
	case "br", "img", "hr", "meta", "link", "input", "wbr", "col", "area", "base", "embed", "param", "source", "track", "keygen":
		return true
	}
	return false
}

// skipElement reports elements whose content is never shown.
func skipElement(n string) bool {
	switch n {
	case "head", "style", "script", "title", "template", "xml", "svg", "math", "object", "noframes", "iframe":
		return true
	}
	return false
}

// paragraphElement reports elements rendered with space around them.
func paragraphElement(n string) bool {
	switch n {
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "dl", "pre":
		return true
	}
	return false
}

// blockElement reports elements that start on a line of their own.
func blockElement(n string) bool {
	switch n {
	case "div", "li", "tr", "address", "article", "aside", "center", "dd", "dt", "fieldset", "figure",
		"footer", "form", "header", "main", "nav", "section", "caption", "figcaption", "body", "html", "hr":
		return true
	}
	return paragraphElement(n)
}

// start handles a start tag.
func (c *htmlConv) start(n string, attrs map[string]string) {
	switch n {
	case "br":
		if c.hide == 0 {
			c.breakLine()
		}
		return
	case "hr":
		if c.hide == 0 {
			c.block()
		}
		return
	case "meta", "link", "title", "style", "script", "base", "noscript", "template", "xml", "head", "html":
	default:
		// Body content (or <body> itself) ends a <head> whose end tag
		// never came, as it does in browsers.
		for i := len(c.stack) - 1; i >= 0; i-- {
			if c.stack[i].name == "head" {
				c.pop(i)
				break
			}
		}
	}
	if voidElement(n) {
		return
	}
	if blockElement(n) {
		c.autoClose(n)
	}
	if len(c.stack) >= maxHTMLStack {
		return
	}
	el := htmlEl{name: n, hides: skipElement(n) || hiddenElement(attrs)}
	// Outlook and Word write every line as <p class=MsoNormal> with zero
	// margins and mark blank lines with an empty paragraph, so those
	// paragraphs are lines, not blocks with space around them.
	el.tight = n == "p" && strings.Contains(strings.ToLower(attrs["class"]), "msonormal")
	if c.hide == 0 && !el.hides {
		switch quoteMarker(attrs) {
		case quoteMark:
			c.block()
			c.emit(quoteMark, 0)
		case headerMark:
			c.block()
			c.emit(headerMark, 0)
		}
		switch {
		case paragraphElement(n) && !el.tight:
			c.paragraph()
		case blockElement(n) || el.tight:
			c.block()
		case n == "td" || n == "th":
			if strings.TrimSpace(c.line.String()) != "" {
				c.write(" ")
			}
		}
		if n == "li" {
			c.write("- ")
		}
	}
	if el.hides {
		c.hide++
	}
	if n == "blockquote" && citeBlockquote(attrs) {
		el.quote = true
		c.quote++
	}
	if n == "pre" || n == "textarea" {
		el.pre = true
		c.pre++
	}
	c.stack = append(c.stack, el)
}

// autoClose ends elements HTML closes implicitly: an open <p> before a
// block, an open <li> before the next item (likewise rows and cells).
func (c *htmlConv) autoClose(n string) {
	for i := len(c.stack) - 1; i >= 0 && i >= len(c.stack)-32; i-- {
		top := c.stack[i].name
		switch {
		case top == "p" && n != "li":
			c.pop(i)
			return
		case top == n && (n == "li" || n == "tr" || n == "dt" || n == "dd" || n == "p"):
			c.pop(i)
			return
		case top == "ul" || top == "ol" || top == "table" || top == "div" || top == "blockquote" || top == "td" || top == "body":
			return
		case top == "span" || top == "font" || top == "b" || top == "i" || top == "a" || top == "strong" || top == "em" || top == "u":
			continue
		default:
			return
		}
	}
}

// end handles an end tag, closing what was opened after its element.
func (c *htmlConv) end(n string) {
	for i := len(c.stack) - 1; i >= 0; i-- {
		if c.stack[i].name == n {
			c.pop(i)
			return
		}
	}
	if c.hide == 0 && blockElement(n) {
		c.block() // a stray end tag still ends a line
	}
}

// pop closes stack[i] and everything opened after it.
func (c *htmlConv) pop(i int) {
	for j := len(c.stack) - 1; j >= i; j-- {
		el := c.stack[j]
		if el.hides {
			c.hide--
		}
		if el.quote {
			c.block()
			c.quote--
		}
		if c.hide == 0 && !el.hides {
			switch {
			case el.tight && strings.TrimSpace(c.line.String()) == "":
				c.paragraph() // Word's empty paragraph is a blank line
			case paragraphElement(el.name) && !el.tight:
				c.paragraph()
			case blockElement(el.name) || el.tight:
				c.block()
			}
		}
		if el.pre {
			c.pre--
		}
	}
	c.stack = c.stack[:i]
}

// text adds character data, collapsing white space outside <pre>.
func (c *htmlConv) text(s string) {
	s = strings.Map(htmlRune, s)
	if c.pre > 0 {
		for i, piece := range strings.Split(s, "\n") {
			if i > 0 {
				c.breakLine()
			}
			c.write(strings.TrimRight(piece, "\r"))
		}
		return
	}
	s = collapseSpace(s)
	if s == "" {
		return
	}
	cur := c.line.String()
	if strings.HasPrefix(s, " ") && (strings.TrimSpace(cur) == "" || strings.HasSuffix(cur, " ")) {
		s = s[1:]
	}
	if s != "" {
		c.write(s)
	}
}

// htmlRune maps NBSP to a space and drops invisible characters used to
// pad preheaders (zero-width joiners, soft hyphens, BOM).
func htmlRune(r rune) rune {
	switch r {
	case '\u00A0':
		return ' '
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u034F':
		return -1
	}
	return r
}

// collapseSpace turns each run of HTML white space into one space.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// write appends inline text to the current line.
func (c *htmlConv) write(s string) {
	if c.line.Len() == 0 {
		c.lineDepth = c.quote
	}
	c.line.WriteString(s)
}

// breakLine ends the current line, even an empty one (<br>).
func (c *htmlConv) breakLine() {
	depth := c.lineDepth
	if c.line.Len() == 0 {
		depth = c.quote
	}
	c.emit(strings.TrimRight(c.line.String(), " "), depth)
	c.line.Reset()
}

// block ends the current line if it holds anything.
func (c *htmlConv) block() {
	if strings.TrimSpace(c.line.String()) != "" {
		c.breakLine()
	} else {
		c.line.Reset()
	}
}

// paragraph ends the line and leaves one blank line.
func (c *htmlConv) paragraph() {
	c.block()
	if !c.lastBlank {
		c.emit("", c.quote)
	}
}

// emit writes one output line with its quote prefix.
func (c *htmlConv) emit(s string, depth int) {
	if depth > 0 {
		if s == "" {
			s = strings.Repeat(">", depth)
		} else {
			s = strings.Repeat("> ", depth) + s
		}
	}
	c.out.WriteString(s)
	c.out.WriteByte('\n')
	// A marker counts as blank: no empty line is needed after it.
	c.lastBlank = s == "" || strings.Trim(s, "> ") == "" || s == quoteMark || s == headerMark
}

// tidyText trims line ends, squeezes runs of blank lines to one and trims
// the whole.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := true
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.TrimSpace(l) == "" {
			if blank {
				continue
			}
			blank = true
			out = append(out, "")
			continue
		}
		blank = false
		out = append(out, l)
	}
	for len(out) > 0 && strings.Trim(out[len(out)-1], "> ") == "" {
		out = out[:len(out)-1] // blank quote lines at the end
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
