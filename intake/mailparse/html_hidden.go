package mailparse

import (
	"strings"
)

// hiddenElement reports elements a mail client would not show, or that
// hold the sender's signature: the hidden attribute (HTML section
// 6.1), CSS that hides (display:none, visibility:hidden, mso-hide:all,
// opacity:0, zero font size, zero height with overflow hidden), preheader
// and preview-text classes (text meant for the inbox list, not the
// reader), and the signature blocks of Gmail, Thunderbird and Outlook on
// the web.
func hiddenElement(attrs map[string]string) bool {
	if attrs == nil {
		return false
	}
	if _, ok := attrs["hidden"]; ok {
		return true
	}
	if hiddenStyle(attrs["style"]) {
		return true
	}
	for _, cl := range strings.Fields(strings.ToLower(attrs["class"])) {
		switch {
		case strings.Contains(cl, "preheader"), strings.Contains(cl, "previewtext"),
			strings.Contains(cl, "preview-text"), strings.Contains(cl, "preview_text"):
			return true
		case cl == "hidden", cl == "hide", cl == "sr-only", cl == "visually-hidden",
			cl == "gmail_signature", cl == "moz-signature", cl == "x_gmail_signature":
			return true
		}
	}
	return stripOutlookPrefix(strings.ToLower(attrs["id"])) == "signature"
}

// hiddenStyle parses an inline style just enough to tell hidden content.
func hiddenStyle(style string) bool {
	if style == "" {
		return false
	}
	s := strings.ToLower(strings.Join(strings.Fields(style), ""))
	var zeroHeight, zeroWidth, overflowHidden bool
	for _, decl := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		v = strings.TrimSuffix(v, "!important")
		switch k {
		case "display":
			if v == "none" {
				return true
			}
		case "visibility":
			if v == "hidden" {
				return true
			}
		case "mso-hide":
			if v == "all" {
				return true
			}
		case "opacity":
			if v == "0" || v == "0.0" {
				return true
			}
		case "font-size":
			if zeroLength(v) {
				return true
			}
		case "max-height", "height":
			zeroHeight = zeroHeight || zeroLength(v)
		case "max-width", "width":
			zeroWidth = zeroWidth || zeroLength(v)
		case "overflow":
			overflowHidden = v == "hidden"
		}
	}
	return (zeroHeight && overflowHidden) || (zeroHeight && zeroWidth)
}

// zeroLength reports a CSS length of zero.
func zeroLength(v string) bool {
	switch v {
	case "0", "0px", "0pt", "0em", "0rem", "0%", "0.0", "0in", "0cm":
		return true
	}
	return false
}

// quoteMarker returns quoteMark for the elements clients wrap around the
// quoted original (Gmail, Outlook on the web and mobile, Thunderbird,
// Yahoo, Proton, Zoho), headerMark for Outlook desktop's border-top
// division above its "From:" block, and "" otherwise.
func quoteMarker(attrs map[string]string) string {
	if attrs == nil {
		return ""
	}
	switch stripOutlookPrefix(strings.ToLower(attrs["id"])) {
	case "divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container":
		return quoteMark
	}
	if strings.HasPrefix(strings.ToLower(attrs["id"]), "yahoo_quoted") {
		return quoteMark
	}
	for _, cl := range strings.Fields(strings.ToLower(attrs["class"])) {
		switch stripOutlookPrefix(cl) {
		case "gmail_quote", "gmail_quote_container", "moz-cite-prefix", "yahoo_quoted",
			"outlookmessageheader", "protonmail_quote", "zmail_extra":
			return quoteMark
		}
	}
	st := strings.ToLower(strings.Join(strings.Fields(attrs["style"]), ""))
	if strings.Contains(st, "border-top:solid") || strings.Contains(st, "border-top:1ptsolid") || strings.Contains(st, "border-top:1pxsolid") {
		return headerMark
	}
	return ""
}

// stripOutlookPrefix removes the "x_" Outlook adds to ids and classes each
// time it quotes HTML.
func stripOutlookPrefix(s string) string {
	for strings.HasPrefix(s, "x_") {
		s = s[2:]
	}
	return s
}

// citeBlockquote tells a quoting blockquote from one used for indentation
// (Gmail's and Thunderbird's indent button): quotes are marked type="cite"
// (Apple Mail, Thunderbird, Roundcube), carry a quote class (Gmail) or draw
// a bar with border-left (Yahoo, Zimbra and most webmail). An unmarked
// blockquote after an attribution is still cut by the attribution.
func citeBlockquote(attrs map[string]string) bool {
	if attrs == nil {
		return false
	}
	if strings.EqualFold(attrs["type"], "cite") || strings.Contains(strings.ToLower(attrs["class"]), "quote") {
		return true
	}
	st := strings.ToLower(strings.Join(strings.Fields(attrs["style"]), ""))
	return strings.Contains(st, "border-left") && !strings.Contains(st, "border-left:none") && !strings.Contains(st, "border-left:0")
}
