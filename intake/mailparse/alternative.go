package mailparse

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// placeholderRE matches the stub text/plain some senders put beside the
// real HTML ("this message requires HTML", "view it in your browser").
var placeholderRE = regexp.MustCompile(`(?i)\bhtml\b|does ?n[o']t support|view (this|it|the) (e-?mail|message|newsletter)|web version|naršyklėje|nepalaiko|internetinė versija`)

// chooseAlternative picks one branch of multipart/alternative (RFC 2046
// section 5.1.4). Plain text is preferred: it is what the sender's client
// wrote, with quotes marked by ">"; HTML is used when the plain branch is
// missing, empty or a placeholder. Among HTML branches the last (richest)
// wins, as the RFC orders them.
func chooseAlternative(branches [][]textChunk) []textChunk {
	hasHTML := false
	for _, b := range branches {
		for _, ch := range b {
			hasHTML = hasHTML || ch.html
		}
	}
	for _, b := range branches {
		if plainOnly(b) && !placeholder(joinChunks(b), hasHTML) {
			return b
		}
	}
	for i := len(branches) - 1; i >= 0; i-- {
		for _, ch := range branches[i] {
			if ch.html {
				return branches[i]
			}
		}
	}
	for _, b := range branches {
		if strings.TrimSpace(joinChunks(b)) != "" {
			return b
		}
	}
	return nil
}

// plainOnly reports a branch holding only plain text.
func plainOnly(b []textChunk) bool {
	for _, ch := range b {
		if ch.html {
			return false
		}
	}
	return len(b) > 0
}

// joinChunks joins the texts of a branch.
func joinChunks(b []textChunk) string {
	var parts []string
	for _, ch := range b {
		parts = append(parts, ch.text)
	}
	return strings.Join(parts, "\n")
}

// placeholder reports a plain branch not worth preferring to HTML.
func placeholder(s string, hasHTML bool) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	return hasHTML && utf8.RuneCountInString(s) < 300 && placeholderRE.MatchString(s)
}
