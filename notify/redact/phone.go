package redact

import (
	"regexp"
	"strings"
)

// phoneCue is a word that says a number follows: tel., telefonas,
// mob., numeris, skambinti, phone, call. Lower-cased text is searched.
var phoneCue = regexp.MustCompile(`(?:^|[^\p{L}])(?:tel\p{L}*|mob\p{L}*|numer\p{L}*|skambin\p{L}*|phone|call|sms)\.?[\s:,.-]*$`)

// afterNumber says that a number is a quantity, not a telephone: a
// currency, a percentage, a year or a unit follows it.
var afterNumber = regexp.MustCompile(`^\s?(?:€|eur|%|proc|m\.|m\b|d\.|val|mln|tūkst|kart|gyvent|žmon|vnt|egz|km|kv)`)

// findPhones returns telephone numbers in the forms Lithuanians write them
// (+370 6xx xxxxx, +37061234567, 8 612 34567, 8-612-34567, (8 37) 123456,
// 8 37 123456, 8 5 212 3456) and international ones after a "+". The
// national format is the trunk prefix 8 and eight digits (Ryšių
// reguliavimo tarnyba's numbering plan); 8 800 (free) and 8 700 / 8 900
// (premium) numbers belong to organisations and hotlines and are kept,
// as are short numbers (112, 116 111). Eight digits from 6 (a mobile
// number without its prefix) need a cue word such as "tel." before them.
func findPhones(text string) []Span {
	var out []Span
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '+' && c != '(' && !isDigit(c) {
			continue
		}
		start, end := i, phoneRunEnd(text, i)
		if end < 0 {
			continue
		}
		i = end - 1
		if s, e, ok := phoneAt(text, start, end); ok {
			out = append(out, Span{Start: s, End: e, Kind: KindPhone})
		}
	}
	return out
}

// phoneRunEnd returns the end of the run of digits and the separators
// people put in phone numbers (spaces, hyphens, dots, slashes,
// parentheses) that starts at i with an optional "+" and "(" and a digit,
// or -1. The run ends with a digit, or with a ")" that closes one opened
// inside it.
func phoneRunEnd(text string, i int) int {
	j := i
	if j < len(text) && text[j] == '+' {
		j++
	}
	if j < len(text) && text[j] == '(' {
		j++
	}
	if j >= len(text) || !isDigit(text[j]) {
		return -1
	}
	end, open := j+1, 0
	for k := i; k < len(text); {
		c := text[k]
		switch {
		case isDigit(c):
			k++
			end = k
		case c == ' ' || c == '-' || c == '.' || c == '/':
			k++
		case c == '+' && k == i:
			k++
		case c == '(':
			open++
			k++
		case c == ')':
			open--
			k++
			if open == 0 {
				end = k
			}
		case c == 0xc2 && k+1 < len(text) && text[k+1] == 0xa0: // no-break space
			k += 2
		default:
			return end
		}
	}
	return end
}

// phoneAt judges the run text[start:end] and returns the part of it that
// is a telephone number.
func phoneAt(text string, start, end int) (int, int, bool) {
	if start > 0 && (isDigit(text[start-1]) || isASCIILetter(text[start-1])) {
		return 0, 0, false
	}
	run := text[start:end]
	digits := make([]byte, 0, 16)
	cut := make([]int, 0, 16) // cut[i]: where the run ends after digit i
	for i := 0; i < len(run); i++ {
		if isDigit(run[i]) {
			digits = append(digits, run[i])
			cut = append(cut, i+1)
		}
	}
	n := len(digits)
	// take returns the run up to its k-th digit, if the run is not a
	// longer number there (a digit glued to it without a space).
	take := func(k int) (int, int, bool) {
		if k > n || k <= 0 {
			return 0, 0, false
		}
		e := start + cut[k-1]
		if k < n && e < end && isDigit(text[e]) {
			return 0, 0, false
		}
		if afterNumber.MatchString(strings.ToLower(text[e:min(len(text), e+8)])) {
			return 0, 0, false
		}
		if strings.ContainsAny(run[:cut[k-1]], "./") && !strings.Contains(run[:cut[k-1]], " ") && run[0] != '+' {
			return 0, 0, false // 12.34.56.789 is a date or a code, not a phone
		}
		return start, e, true
	}
	d := string(digits)
	switch {
	case strings.HasPrefix(run, "+"):
		if strings.HasPrefix(d, "370") {
			return take(11)
		}
		if n >= 8 && n <= 15 {
			return take(n)
		}
	case strings.HasPrefix(d, "370") && n >= 11 && run[3] == ' ':
		return take(11)
	case strings.HasPrefix(run, "8") || strings.HasPrefix(run, "(8"):
		if n < 9 {
			return 0, 0, false
		}
		if p := d[1:4]; p == "800" || p == "700" || p == "900" {
			return 0, 0, false
		}
		if d[1] == '0' {
			return 0, 0, false // no area or mobile code begins with 0
		}
		return take(9)
	case d[0] == '6' && n >= 8:
		if phoneCue.MatchString(strings.ToLower(text[max(0, start-24):start])) {
			return take(8)
		}
	}
	return 0, 0, false
}
