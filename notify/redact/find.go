package redact

import (
	"cmp"
	"slices"
	"strings"
)

// Find returns the personal data in text as sorted, non-overlapping spans
// with byte offsets into text. known may be the zero value.
//
// Where two findings overlap, the more certain kind wins, in this order:
// e-mail, profile link, IBAN, personal code, phone, address, name (an
// e-mail address holds a name, an address may hold one). Names inside
// one of known.Public are dropped.
func Find(text string, known Known) []Span {
	groups := [][]Span{
		findEmails(text),
		findProfileLinks(text),
		findIBANs(text),
		findPersonalCodes(text),
		findPhones(text),
		findAddresses(text, known.Addresses),
		dropPublic(text, findNames(text, known), known.Public),
	}
	var out []Span
	for _, g := range groups {
		for _, s := range g {
			if !overlapsAny(out, s.Start, s.End) {
				out = append(out, s)
			}
		}
	}
	slices.SortFunc(out, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	for i := range out {
		out[i].Text = text[out[i].Start:out[i].End]
	}
	return out
}

// dropPublic removes names that lie inside an occurrence of a public name
// (an organisation, an office holder), compared without case.
func dropPublic(text string, names []Span, public []string) []Span {
	if len(public) == 0 {
		return names
	}
	lower := strings.ToLower(text)
	var keep [][2]int
	for _, p := range public {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		for at := 0; ; {
			i := strings.Index(lower[at:], p)
			if i < 0 {
				break
			}
			keep = append(keep, [2]int{at + i, at + i + len(p)})
			at += i + len(p)
		}
	}
	out := names[:0]
	for _, s := range names {
		inside := false
		for _, k := range keep {
			if s.Start >= k[0] && s.End <= k[1] {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, s)
		}
	}
	return out
}
