package redact

import (
	"regexp"
	"strings"
)

// ibanCandidate finds a country code, two check digits and groups of
// letters and digits, written whole or in groups of four (ISO 13616's
// print format). It may take a word too many; findIBANs trims it.
var ibanCandidate = regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`)

// ibanLength is the length of the IBAN in the countries residents and
// their partners are likely to use. Other countries are accepted at any
// length ISO 13616 allows, 15 to 34; the checksum still has to hold.
var ibanLength = map[string]int{
	"LT": 20, "LV": 21, "EE": 20, "PL": 28, "DE": 22, "GB": 22, "IE": 22,
	"FR": 27, "NL": 18, "BE": 16, "SE": 24, "NO": 15, "DK": 18, "FI": 18,
	"ES": 24, "IT": 27, "AT": 20, "CZ": 24, "UA": 29, "CH": 21, "LU": 20,
}

// findIBANs returns IBANs with a valid checksum. A candidate that fails is
// retried without its last group, so "LT12 … 5869 EUR" still yields the
// account without the currency.
func findIBANs(text string) []Span {
	var out []Span
	for _, m := range ibanCandidates(text) {
		for end := m[1]; end-m[0] >= 15; {
			if ValidIBAN(text[m[0]:end]) {
				out = append(out, Span{Start: m[0], End: end, Kind: KindIBAN})
				break
			}
			sp := strings.LastIndexByte(text[m[0]:end], ' ')
			if sp < 0 {
				break
			}
			end = m[0] + sp
		}
	}
	return out
}

// ibanCandidates runs ibanCandidate only where two capital letters and two
// digits start a word, which is rare, rather than over the whole text.
func ibanCandidates(text string) [][]int {
	var out [][]int
	for i := 0; i+4 <= len(text); i++ {
		c := text[i]
		if c < 'A' || c > 'Z' || text[i+1] < 'A' || text[i+1] > 'Z' || !isDigit(text[i+2]) || !isDigit(text[i+3]) {
			continue
		}
		if i > 0 && (isASCIILetter(text[i-1]) || isDigit(text[i-1])) {
			continue
		}
		end := min(len(text), i+48)
		if m := ibanCandidate.FindStringIndex(text[i:end]); m != nil && m[0] == 0 {
			out = append(out, []int{i, i + m[1]})
			i += m[1]
		}
	}
	return out
}

// ValidIBAN reports whether s, with or without spaces, is an IBAN whose
// check digits hold: moved to the end with letters as 10–35, the number is
// 1 modulo 97 (ISO 13616-1, ISO 7064 MOD 97-10).
func ValidIBAN(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	if n, ok := ibanLength[s[:2]]; ok && n != len(s) {
		return false
	}
	rem := 0
	for i := range len(s) {
		c := s[(i+4)%len(s)]
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return rem == 1
}
