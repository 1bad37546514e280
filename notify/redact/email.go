package redact

import (
	"regexp"
	"slices"
	"strings"
)

// email is deliberately plain: the address forms residents type, not all
// of RFC 5322 (quoted local parts never reach a suggestion).
var email = regexp.MustCompile(`[\p{L}0-9._%+\-]+@[\p{L}0-9\-]+(?:\.[\p{L}0-9\-]+)*\.\p{L}{2,}`)

// findEmails returns every e-mail address. All of them go, a VVG's or a
// company's too: the issue asks for it, and staff can keep an
// organisation's address in the console.
func findEmails(text string) []Span {
	if !strings.Contains(text, "@") {
		return nil
	}
	var out []Span
	for _, m := range email.FindAllStringIndex(text, -1) {
		out = append(out, Span{Start: m[0], End: m[1], Kind: KindEmail})
	}
	return out
}

// link finds web addresses with or without a scheme.
var link = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s<>"“”„]+|\b(?:[a-z0-9-]+\.)*(?:facebook|fb|instagram|linkedin|tiktok|twitter|x|youtube)\.com/[^\s<>"“”„]+`)

// profileHost lists the sites where a link names one person, and the
// first path segments there that lead to something else (a group, an
// event, a page), which stay.
var profileHost = map[string][]string{
	"facebook.com":  {"groups", "events", "pages", "watch", "share", "hashtag", "photo", "story.php", "marketplace"},
	"fb.com":        {"groups", "events", "pages"},
	"instagram.com": {"p", "reel", "explore", "stories"},
	"linkedin.com":  {"company", "school", "jobs", "posts", "feed"},
	"tiktok.com":    {"tag", "music", "discover"},
	"twitter.com":   {"hashtag", "search", "i"},
	"x.com":         {"hashtag", "search", "i"},
	"youtube.com":   {"watch", "playlist", "results", "shorts"},
}

// findProfileLinks returns links to a person's profile on a social
// network: the link identifies the person as well as the name does.
// Organisations' pages on the same sites look alike and are redacted
// too; staff keep them in the console.
func findProfileLinks(text string) []Span {
	if !strings.Contains(text, ".com/") && !strings.Contains(text, "://") && !strings.Contains(text, "www.") {
		return nil
	}
	var out []Span
	for _, m := range link.FindAllStringIndex(text, -1) {
		start, end := m[0], m[1]
		for end > start && strings.ContainsRune(".,;:!?)»“'", rune(text[end-1])) {
			end--
		}
		u := strings.ToLower(text[start:end])
		u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
		host, path, _ := strings.Cut(u, "/")
		host = strings.TrimPrefix(strings.TrimPrefix(host, "www."), "m.")
		skip, ok := profileHost[host]
		if !ok || path == "" {
			continue
		}
		first, _, _ := strings.Cut(path, "/")
		first, _, _ = strings.Cut(first, "?")
		if first == "" || slices.Contains(skip, first) || (host == "linkedin.com" && first != "in") {
			continue
		}
		out = append(out, Span{Start: start, End: end, Kind: KindURL})
	}
	return out
}
