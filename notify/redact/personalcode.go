package redact

import (
	"regexp"
	"strings"
	"time"
)

// codeCue is what residents write before their personal code: "asmens
// kodas", "a. k.", "a.k.". Lower-cased text is searched.
var codeCue = regexp.MustCompile(`(?:^|[^\p{L}])(?:asmens\s+kod\p{L}*|a\.\s?k\.?|ak)[\s:,.-]*$`)

// findPersonalCodes returns 11-digit runs that are valid personal codes,
// and any 11-digit run right after a personal-code cue: a resident who
// mistyped a digit of their code has still published most of it.
func findPersonalCodes(text string) []Span {
	var out []Span
	for _, m := range digitRuns(text, 11) {
		if !isolated(text, m[0], m[1]) {
			continue
		}
		code := text[m[0]:m[1]]
		before := strings.ToLower(text[max(0, m[0]-24):m[0]])
		if ValidPersonalCode(code) || codeCue.MatchString(before) {
			out = append(out, Span{Start: m[0], End: m[1], Kind: KindPersonalCode})
		}
	}
	return out
}

// digitRuns returns the runs of exactly n digits, as [start, end) pairs.
func digitRuns(text string, n int) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if j-i == n {
			out = append(out, [2]int{i, j})
		}
		i = j
	}
	return out
}

// isolated reports whether text[start:end] is not part of a longer run of
// digits, letters or a decimal number ("1.12345678901").
func isolated(text string, start, end int) bool {
	if start > 0 {
		c := text[start-1]
		if isDigit(c) || isASCIILetter(c) || (start > 1 && (c == '.' || c == ',' || c == '-') && isDigit(text[start-2])) {
			return false
		}
	}
	if end < len(text) {
		c := text[end]
		if isDigit(c) || isASCIILetter(c) || (end+1 < len(text) && (c == '.' || c == ',' || c == '-') && isDigit(text[end+1])) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool       { return c >= '0' && c <= '9' }
func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// ValidPersonalCode reports whether s is a Lithuanian personal code (asmens
// kodas, as the Residents' Register assigns it): GYYMMDDNNNC, where G 1–6 gives the
// century and sex (1,2: 1800s; 3,4: 1900s; 5,6: 2000s), YYMMDD is a real
// date, NNN a serial, and C the check digit: the weighted sum of the first
// ten digits with weights 1,2,…,9,1 modulo 11; if that is 10, the sum
// with weights 3,4,…,9,1,2,3 modulo 11; if that is 10 again, 0.
func ValidPersonalCode(s string) bool {
	if len(s) != 11 {
		return false
	}
	var d [11]int
	for i := range 11 {
		if !isDigit(s[i]) {
			return false
		}
		d[i] = int(s[i] - '0')
	}
	if d[0] < 1 || d[0] > 6 {
		return false
	}
	year := 1800 + 100*((d[0]-1)/2) + 10*d[1] + d[2]
	month := time.Month(10*d[3] + d[4])
	day := 10*d[5] + d[6]
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	if t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC); t.Month() != month {
		return false // 31 April, 29 February of a common year
	}
	return checkDigit(d) == d[10]
}

func checkDigit(d [11]int) int {
	sum := 0
	for i := range 10 {
		sum += d[i] * (i%9 + 1) // 1,2,…,9,1
	}
	if r := sum % 11; r != 10 {
		return r
	}
	sum = 0
	for i := range 10 {
		sum += d[i] * ((i+2)%9 + 1) // 3,4,…,9,1,2,3
	}
	if r := sum % 11; r != 10 {
		return r
	}
	return 0
}
