package mailparse

import (
	"strings"
)

// ownText extracts what the sender wrote from a decoded body text (LF line
// ends, possibly with the HTML converter's marker lines). It reads from
// the top and stops at the first sign of quoted mail: a reply attribution
// ("On … wrote:", "… rašė:"), an Outlook header block or "Original
// Message" separator, or a quote marker from HTML. Lines quoted with ">"
// are dropped, so interleaved answers survive. The signature after "-- "
// (RFC 3676 section 4.3), mobile footers and legal disclaimers go too.
// A forward is different: its content is the suggestion, so from a
// forward marker on everything is kept (see forwardText). forwardSubject
// says the Subject marks a forward (Fwd:, FW:, PRN:), which is how Outlook
// forwards, written like its replies, are told apart.
func ownText(s string, forwardSubject bool) string {
	lines := strings.Split(s, "\n")
	var keep []string
	rest := ""
	inSig := false
	quoting := false // an attribution was dropped: ">" lines are its quote
loop:
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		t := strings.TrimSpace(line)
		// A forward marker may itself be quoted (Apple Mail puts the
		// forward in a blockquote), but not inside a reply's quote.
		if forwardRE.MatchString(strings.TrimLeft(t, "> ")) && !(quoting && strings.HasPrefix(t, ">")) {
			rest = forwardText(strings.Join(lines[i:], "\n"))
			break
		}
		if inSig && t != quoteMark && t != headerMark {
			continue
		}
		switch {
		case t == quoteMark:
			if forwardSubject || forwardFollows(lines, i+1) {
				rest = forwardText(strings.Join(lines[i+1:], "\n"))
			}
			break loop
		case t == headerMark:
			j := nextNonEmpty(lines, i+1)
			if j < len(lines) && labelRE.MatchString(strings.TrimSpace(lines[j])) {
				if forwardSubject {
					rest = forwardText(strings.Join(lines[j:], "\n"))
				}
				break loop
			}
			continue
		case originalRE.MatchString(t), isRule(t) && headerBlockAt(lines, nextNonEmpty(lines, i+1)), headerBlockAt(lines, i):
			if forwardSubject {
				rest = forwardText(strings.Join(lines[i:], "\n"))
			}
			break loop
		}
		if strings.HasSuffix(t, ":") && strings.Contains(t, "@") && strings.ContainsAny(t, "0123456789") {
			// An attribution in a language not listed ("20.11.2026,
			// 10:15, VVG <vvg@example.lt>:") is still recognisable by
			// the quote that follows it.
			if j := nextNonEmpty(lines, i+1); j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), ">") {
				quoting = true
				continue
			}
		}
		if n := attributionAt(lines, i); n > 0 {
			j := nextNonEmpty(lines, i+n)
			if j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), ">") {
				// Bottom-posted or interleaved: drop the attribution
				// and let the ">" rule drop the quote.
				i += n - 1
				quoting = true
				continue
			}
			break
		}
		switch {
		case strings.HasPrefix(t, ">"):
		case isSignatureDelimiter(line):
			inSig = true
		case len(t) <= 100 && footerRE.MatchString(t):
		default:
			keep = append(keep, line)
		}
	}
	own := cleanSegment(strings.Join(keep, "\n"))
	switch {
	case rest == "":
		return own
	case own == "":
		return rest
	}
	return own + "\n\n" + rest
}

// forwardText cleans forwarded content, which is kept whole: marker
// lines go, one level of ">" goes when the forward was quoted as a block
// (Apple Mail's HTML), and so do mobile footers and disclaimers.
func forwardText(s string) string {
	lines := strings.Split(s, "\n")
	quoted, nonEmpty := 0, 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || t == quoteMark || t == headerMark {
			continue
		}
		nonEmpty++
		if strings.HasPrefix(t, ">") {
			quoted++
		}
	}
	unquoteAll := nonEmpty > 0 && quoted*2 > nonEmpty
	var keep []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == quoteMark || t == headerMark {
			continue
		}
		if unquoteAll && strings.HasPrefix(t, ">") {
			l = strings.TrimPrefix(strings.TrimPrefix(t, ">"), " ")
			t = strings.TrimSpace(l)
		}
		if len(t) <= 100 && footerRE.MatchString(t) {
			continue
		}
		keep = append(keep, l)
	}
	return cleanSegment(strings.Join(keep, "\n"))
}

// isSignatureDelimiter reports the "-- " line (RFC 3676 section 4.3),
// also without its space, as many clients and people write it.
func isSignatureDelimiter(line string) bool {
	t := strings.TrimRight(line, " \t\r")
	return t == "--" || t == "—" || t == "- -"
}

// isRule reports a separator line of underscores or dashes, which
// Outlook puts above its header block.
func isRule(t string) bool {
	return len(t) >= 8 && strings.Trim(t, "_-=—") == ""
}

// cleanSegment removes disclaimers and image placeholders, trailing
// separator lines and surplus blank lines.
func cleanSegment(s string) string {
	s = cidPlaceholderRE.ReplaceAllString(s, "")
	s = dropDisclaimers(s)
	lines := strings.Split(s, "\n")
	for len(lines) > 0 {
		t := strings.TrimSpace(lines[len(lines)-1])
		if t != "" && !isRule(t) && t != quoteMark && t != headerMark {
			break
		}
		lines = lines[:len(lines)-1]
	}
	return tidyText(stripMarkers(strings.Join(lines, "\n")))
}

// disclaimerStartMax bounds the bytes disclaimerStartRE can match: 36 runes
// of at most 4 bytes (TestDisclaimerStartBounded).
const disclaimerStartMax = 160

// dropDisclaimers removes a legal disclaimer: from a line that opens one
// to the end of its paragraph, and any paragraphs after it that read like
// more of the same. A starter alone is not enough: the paragraph must use
// disclaimer words, so "Šiame laiške siūlau…" stays.
func dropDisclaimers(s string) string {
	paras := strings.Split(s, "\n\n")
	var keep []string
	dropping := false
	for _, p := range paras {
		if dropping {
			if strings.TrimSpace(p) == "" || disclaimerWordRE.MatchString(p) && len(disclaimerWordRE.FindAllStringIndex(p, 3)) >= 2 {
				continue
			}
			dropping = false
		}
		lines := strings.Split(p, "\n")
		cut := -1
		for i, l := range lines {
			t := strings.TrimSpace(l)
			// The start pattern is anchored and bounded: the rest of a
			// long line would only cost the matcher time.
			if disclaimerStartRE.MatchString(capText(t, disclaimerStartMax)) && disclaimerWordRE.MatchString(strings.Join(lines[i:], " ")) {
				cut = i
				break
			}
		}
		if cut < 0 {
			keep = append(keep, p)
			continue
		}
		if cut > 0 {
			keep = append(keep, strings.Join(lines[:cut], "\n"))
		}
		dropping = true
	}
	return strings.Join(keep, "\n\n")
}

// stripMarkers removes the HTML converter's marker lines.
func stripMarkers(s string) string {
	// Two byte searches: ContainsAny with non-ASCII characters decodes
	// every rune of s.
	if !strings.Contains(s, quoteMark) && !strings.Contains(s, headerMark) {
		return s
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if t := strings.TrimSpace(l); t == quoteMark || t == headerMark {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
