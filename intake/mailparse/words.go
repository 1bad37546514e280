package mailparse

import (
	"strings"
)

// maxEncodedWord bounds the encoded text of one word; RFC 2047 section 2
// allows 75 characters in all, broken encoders write a few hundred.
const maxEncodedWord = 4096

// encodedWord is one parsed RFC 2047 encoded-word.
type encodedWord struct {
	charset string
	data    []byte // decoded octets, still in charset
	end     int    // index just past "?="
}

// parseEncodedWord parses "=?charset?enc?text?=" at s[i:] (RFC 2047
// section 2). It is lenient about case, a missing language tag separator
// and over-long words (section 2's 75-character limit is often broken).
func parseEncodedWord(s string, i int) (encodedWord, bool) {
	if !strings.HasPrefix(s[i:], "=?") {
		return encodedWord{}, false
	}
	j := i + 2
	q := strings.IndexByte(s[j:], '?')
	if q <= 0 || q > 64 {
		return encodedWord{}, false
	}
	cs := s[j : j+q]
	j += q + 1
	if j+2 > len(s) || s[j+1] != '?' {
		return encodedWord{}, false
	}
	enc := s[j] | 0x20
	j += 2
	// Look for the end within a bounded window, so a header full of
	// "=?" junk costs linear time.
	window := s[j:min(len(s), j+maxEncodedWord)]
	end := strings.Index(window, "?=")
	if end < 0 {
		return encodedWord{}, false
	}
	text := s[j : j+end]
	// RFC 2047 forbids spaces in encoded text, but broken senders put
	// them in Q words; accept them as long as no other word starts inside.
	if strings.ContainsAny(text, "\r\n") || strings.Contains(text, "=?") || strings.ContainsAny(cs, " \t\"") ||
		(enc == 'b' && strings.ContainsAny(text, " \t")) {
		return encodedWord{}, false
	}
	var data []byte
	switch enc {
	case 'b':
		data, _ = decodeBase64Lenient([]byte(text))
	case 'q':
		data = decodeQWord(text)
	default:
		return encodedWord{}, false
	}
	return encodedWord{charset: normalizeCharset(cs), data: data, end: j + end + 2}, true
}

// decodeQWord decodes the "Q" encoding (RFC 2047 section 4.2): "_" is a
// space, "=XX" an octet; a bad escape is kept literally.
func decodeQWord(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && hexPair(s, i+1):
			out = append(out, hexVal(s[i+1])<<4|hexVal(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

// hexPair reports whether s[i:i+2] are two hex digits.
func hexPair(s string, i int) bool {
	return i+1 < len(s) && hexVal(s[i]) != 0xFF && hexVal(s[i+1]) != 0xFF
}

// hexVal returns the value of a hex digit, 0xFF for others.
func hexVal(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0xFF
}

// decodeWords decodes an unstructured header text (RFC 2047 section 5):
// whitespace between adjacent encoded-words is dropped, and adjacent words
// in one charset are joined before charset decoding, so a character split
// across two words (as some encoders do) survives. Raw 8-bit bytes outside
// encoded-words are read as UTF-8 when valid, else windows-1257; raw8 tells
// the caller they were there. Control characters become spaces.
func decodeWords(s string) (out string, raw8 bool) {
	var b strings.Builder
	var pend []byte // octets of adjacent encoded-words in pendCS
	var pendCS string
	flush := func() {
		if len(pend) == 0 {
			return
		}
		b.WriteString(wordText(pendCS, pend))
		pend = pend[:0]
	}
	lastWordEnd := -1
	lit := 0 // start of pending literal text
	for i := 0; i < len(s); {
		if s[i] != '=' || i+1 >= len(s) || s[i+1] != '?' {
			i++
			continue
		}
		w, ok := parseEncodedWord(s, i)
		if !ok {
			i++
			continue
		}
		gap := s[lit:i]
		if lastWordEnd >= 0 && lit == lastWordEnd && strings.Trim(gap, " \t\r\n") == "" {
			gap = "" // RFC 2047 section 6.2: ignore space between words
		}
		if gap != "" {
			flush()
			lt, r8 := literalText(gap)
			raw8 = raw8 || r8
			b.WriteString(lt)
		}
		if w.charset != pendCS {
			flush()
			pendCS = w.charset
		}
		pend = append(pend, w.data...)
		i, lit, lastWordEnd = w.end, w.end, w.end
	}
	flush()
	if lit < len(s) {
		lt, r8 := literalText(s[lit:])
		raw8 = raw8 || r8
		b.WriteString(lt)
	}
	return cleanHeaderText(b.String()), raw8
}

// wordText converts the octets of encoded-words to UTF-8.
func wordText(cs string, data []byte) string {
	switch cs {
	case "", "us-ascii", "utf-8":
		return decodeHeaderBytes(data)
	}
	if s, ok := decodeWith(cs, data); ok {
		return s
	}
	return decodeHeaderBytes(data)
}

// literalText decodes header text outside encoded-words.
func literalText(s string) (string, bool) {
	if !hasHighBit([]byte(s)) {
		return s, false
	}
	return decodeHeaderBytes([]byte(s)), true
}

// cleanHeaderText turns control characters (CR, LF, tab, NUL…) into
// spaces and drops invalid UTF-8.
func cleanHeaderText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return ' '
		}
		return r
	}, s)
}
