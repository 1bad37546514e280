package spam

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Score reads at most this much of a message: adverts say what they sell
// at the top, and a bounded prefix keeps the cost of any message bounded
// (a resident's long letter is not read to its end for sales talk).
const (
	MaxSubjectBytes = 300
	MaxTextBytes    = 6000
)

// maxWordBytes caps the folded bytes of one word that are hashed: longer
// runs are base64 debris or glued words, counted as such.
const maxWordBytes = 48

// prefixRunes is the length of the word-prefix feature: enough to keep a
// Lithuanian or Russian stem ("bendr", "скидк") and drop its ending.
const prefixRunes = 5

// Feature namespaces: the first byte hashed into every feature, so a
// subject word, a body word and a domain never share a weight.
const (
	nsWord    = 'w'
	nsPrefix  = 'p'
	nsBigram  = 'b'
	nsSubject = 's'
	nsDomain  = 'd'
	nsShape   = 'x'
)

// sink receives the features of one message. Lexical features are named
// by buf[start:end] of the extractor's folded text; shape features by a
// fixed name and the bounds of their bucket (hi < 0: no upper bound).
type sink interface {
	lexical(ns byte, h uint64, start, end int32)
	shape(h uint64, name string, lo, hi int)
}

// FNV-1a, inlined by hand: it runs once per byte of every message.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashByte(h uint64, c byte) uint64 { return (h ^ uint64(c)) * fnvPrime }

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = hashByte(h, s[i])
	}
	return h
}

// counts are the structural counts of one part (text or subject).
type counts struct {
	words, letters, upper, capsWords int
	excl, exclRuns                   int
}

// extractor turns a subject and text into features. It is built per call
// and holds no state between messages.
type extractor struct {
	s   sink
	buf []byte // folded words, each followed by a space

	part    [2]counts // [0] text, [1] subject
	scripts [4]int    // letters by script
	mixed   int       // words mixing Latin and Cyrillic letters (homoglyph disguise)
	long    int       // words of more than 24 letters: base64 debris, glued words
	money   int       // amounts: a number next to a currency sign or word
	percent int       // "50%", "50 %"
	phones  int       // digit groups of nine digits or more, as phone numbers are written
	urls    int       // links written in the text
	ipURLs  int       // links to a bare IP address
	tracked int       // links with utm_ tracking parameters
	emails  int       // addresses written in the text
	emoji   int       // pictographs
	curSign int       // currency signs ($ € £ ₽ …), with or without a number

	// The bigram chain: the previous word of the same run of text.
	prevH     uint64
	prevStart int32
	havePrev  bool

	// The previous number, for amounts and phone numbers.
	numEnd      int // byte offset just after it in the current part, -1 if none
	phoneDigits int // digits in the current run of number groups
	phoneSeen   bool
}

// extract feeds s the features of a message: its subject and text
// (each read up to its limit) and the caller's hints.
func extract(subject, text string, h Hints, s sink) *extractor {
	e := &extractor{s: s}
	subject = truncate(subject, MaxSubjectBytes)
	text = truncate(text, MaxTextBytes)
	e.buf = make([]byte, 0, 2*(len(subject)+len(text))+64)
	e.scan(subject, 1)
	e.scan(text, 0)
	e.finish(h)
	return e
}

// truncate cuts s to at most n bytes without splitting a rune.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// scan reads one part: part 1 is the subject, 0 the text.
func (e *extractor) scan(s string, part int) {
	c := &e.part[part]
	e.havePrev = false
	e.numEnd = -1
	e.phoneDigits = 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case isASCIIAlnum(b):
				if (b == 'h' || b == 'H' || b == 'w' || b == 'W') && isURLStart(s[i:]) {
					i = e.url(s, i)
					continue
				}
				i = e.word(s, i, part)
			case b == '!':
				j := i
				for j < len(s) && s[j] == '!' {
					j++
				}
				c.excl += j - i
				if j-i >= 2 {
					c.exclRuns++
				}
				e.havePrev = false
				i = j
			case b == '%':
				if e.numEnd >= 0 && i-e.numEnd <= 1 {
					e.percent++
				}
				i++
			case b == '$':
				e.currency(s, i, 1, "$")
				i++
			case b == '@':
				if i > 0 && i+1 < len(s) && isASCIIAlnum(s[i-1]) && isASCIIAlnum(s[i+1]) {
					e.emails++
				}
				i++
			case b == '.' || b == ',' || b == '?' || b == ';' || b == ':' || b == '\n':
				e.havePrev = false // a bigram does not cross a sentence or a line
				i++
			default:
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			i = e.word(s, i, part)
			continue
		case r == '€' || r == '£' || r == '₽' || r == '¥' || r == '₿' || r == '₴':
			e.currency(s, i, size, string(r))
		case isEmoji(r):
			e.emoji++
			e.lexRune(nsWord, r)
		}
		i += size
	}
}

func isASCIIAlnum(b byte) bool {
	return b|0x20 >= 'a' && b|0x20 <= 'z' || b >= '0' && b <= '9'
}

// isURLStart reports whether s starts with http://, https:// or www.
func isURLStart(s string) bool {
	return hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://") || hasPrefixFold(s, "www.")
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

// currency counts a currency sign at s[i:i+size] and an amount when a
// number stands right before or after it, and feeds the sign as a word.
func (e *extractor) currency(s string, i, size int, sign string) {
	e.curSign++
	after := i + size
	if after < len(s) && s[after] == ' ' {
		after++
	}
	if (e.numEnd >= 0 && i-e.numEnd <= 1) || (after < len(s) && s[after] >= '0' && s[after] <= '9') {
		e.money++
	}
	e.lexString(nsWord, sign)
}

// url reads the link starting at s[i], feeds its domain and returns the
// offset after it.
func (e *extractor) url(s string, i int) int {
	e.urls++
	e.havePrev = false
	j := i
	if k := strings.Index(s[i:min(len(s), i+10)], "://"); k >= 0 {
		j = i + k + 3
	}
	hostStart := j
	for j < len(s) && !isURLEnd(s[j]) && s[j] != '/' && s[j] != '?' && s[j] != '#' && s[j] != ':' {
		j++
	}
	host := s[hostStart:j]
	if k := strings.LastIndexByte(host, '@'); k >= 0 {
		host = host[k+1:] // http://user@host: the host is what counts
	}
	rest := j
	for j < len(s) && !isURLEnd(s[j]) {
		j++
	}
	if strings.Contains(s[rest:j], "utm_") {
		e.tracked++
	}
	e.domain(host)
	return j
}

// isURLEnd reports the bytes that end a link in running text.
func isURLEnd(b byte) bool {
	switch b {
	case ' ', '\t', '\r', '\n', '<', '>', '"', '\'', '(', ')', '[', ']', '{', '}', '|', '\\', '^', '`':
		return true
	}
	return false
}

// domain feeds a link's registrable domain (its last two labels, which
// is what a spammer has to register) and its top-level domain.
func (e *extractor) domain(host string) {
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return
	}
	if isIPv4(host) {
		e.ipURLs++
		return
	}
	reg := host
	if k := strings.LastIndexByte(host, '.'); k >= 0 {
		if k2 := strings.LastIndexByte(host[:k], '.'); k2 >= 0 {
			reg = host[k2+1:]
		}
		e.lexString(nsDomain, host[k:])
	}
	e.lexString(nsDomain, reg)
}

func isIPv4(host string) bool {
	dots := 0
	for i := 0; i < len(host); i++ {
		switch c := host[i]; {
		case c == '.':
			dots++
		case c < '0' || c > '9':
			return false
		}
	}
	return dots == 3
}

// lexString feeds a lexical feature made of s, lower-cased.
func (e *extractor) lexString(ns byte, s string) {
	start := int32(len(e.buf))
	h := hashByte(fnvOffset, ns)
	for i := 0; i < len(s) && i < 64; i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		e.buf = append(e.buf, c)
		h = hashByte(h, c)
	}
	end := int32(len(e.buf))
	e.buf = append(e.buf, ' ')
	e.s.lexical(ns, h, start, end)
}

// lexRune feeds a one-rune lexical feature (an emoji).
func (e *extractor) lexRune(ns byte, r rune) {
	start := int32(len(e.buf))
	e.buf = utf8.AppendRune(e.buf, r)
	end := int32(len(e.buf))
	h := hashString(hashByte(fnvOffset, ns), string(e.buf[start:end]))
	e.buf = append(e.buf, ' ')
	e.s.lexical(ns, h, start, end)
}

// word reads the word starting at s[i] (letters and digits), feeds its
// features and returns the offset after it.
func (e *extractor) word(s string, i, part int) int {
	c := &e.part[part]
	start := int32(len(e.buf))
	h := hashByte(fnvOffset, nsWord)
	var (
		j                     = i
		runes, letters, upper int
		digits                int
		latin, cyr            bool
		prefixEnd             = int32(-1)
		wordBytes             int
	)
	for j < len(s) {
		var f rune // the folded rune
		sc, letter := scriptLatin, false
		if b := s[j]; b < utf8.RuneSelf {
			// ASCII, most bytes of most mail: no Unicode tables.
			switch {
			case b >= 'a' && b <= 'z':
				f, letter = rune(b), true
			case b >= 'A' && b <= 'Z':
				f, letter = rune(b+'a'-'A'), true
				upper++
			case b >= '0' && b <= '9':
				f = rune(b)
				digits++
			default:
				goto done
			}
			j++
		} else {
			r, size := utf8.DecodeRuneInString(s[j:])
			switch {
			case unicode.IsLetter(r):
				letter = true
				if unicode.IsUpper(r) {
					upper++
				}
				f, sc = foldRune(r)
			case unicode.IsDigit(r):
				f = r
				digits++
			case unicode.Is(unicode.Mn, r):
				j += size // a combining accent typed as its own code point: folded away
				continue
			default:
				goto done
			}
			j += size
		}
		if letter {
			letters++
			e.scripts[sc]++
			if sc == scriptCyrillic {
				cyr = true
			} else if sc != scriptOther {
				latin = true
			}
		}
		runes++
		if wordBytes >= maxWordBytes {
			continue
		}
		if f < utf8.RuneSelf {
			e.buf = append(e.buf, byte(f))
			h = hashByte(h, byte(f))
			wordBytes++
		} else {
			n := len(e.buf)
			e.buf = utf8.AppendRune(e.buf, f)
			for _, fb := range e.buf[n:] {
				h = hashByte(h, fb)
			}
			wordBytes += len(e.buf) - n
		}
		if runes == prefixRunes {
			prefixEnd = int32(len(e.buf))
		}
	}
done:
	if runes == 0 { // a lone combining mark
		return j
	}
	c.words++
	c.letters += letters
	c.upper += upper
	if letters >= 4 && upper == letters {
		c.capsWords++
	}
	if latin && cyr {
		e.mixed++
	}
	if runes > 24 {
		e.long++
	}
	if digits == runes {
		return e.number(s, i, j, digits, start, part)
	}
	end := int32(len(e.buf))
	e.buf = append(e.buf, ' ')
	e.s.lexical(nsWord, h, start, end)
	if part == 1 {
		e.s.lexical(nsSubject, h^nsSubject<<56, start, end)
	}
	if prefixEnd > 0 && runes > prefixRunes+1 {
		ph := hashString(hashByte(fnvOffset, nsPrefix), string(e.buf[start:prefixEnd]))
		e.s.lexical(nsPrefix, ph, start, prefixEnd)
	}
	if e.havePrev {
		e.s.lexical(nsBigram, (e.prevH*31+h)^nsBigram<<56, e.prevStart, end)
	}
	e.prevH, e.prevStart, e.havePrev = h, start, true
	if e.numEnd >= 0 && i-e.numEnd <= 1 && isCurrencyWord(string(e.buf[start:end])) {
		e.money++
	}
	e.numEnd = -1
	return j
}

// number handles a word of digits s[i:j]: it is fed as its shape
// ("#4" for any four-digit number) and joined to the numbers before it
// to spot amounts and phone numbers.
func (e *extractor) number(s string, i, j, digits int, start int32, part int) int {
	e.buf = e.buf[:start]
	// A gap of one or two separators continues a phone number
	// ("+370 600 12345", "8 (800) 555-35-35"); anything else starts anew.
	if e.numEnd >= 0 && i-e.numEnd <= 2 && onlyPhoneSeparators(s[e.numEnd:i]) {
		e.phoneDigits += digits
	} else {
		e.phoneDigits = digits
		e.phoneSeen = false
	}
	if e.phoneDigits >= 9 && !e.phoneSeen {
		e.phones++
		e.phoneSeen = true
	}
	e.numEnd = j
	e.buf = append(e.buf, '#', byte('0'+min(digits, 9)))
	end := int32(len(e.buf))
	e.buf = append(e.buf, ' ')
	h := hashString(hashByte(fnvOffset, nsWord), string(e.buf[start:end]))
	e.s.lexical(nsWord, h, start, end)
	if part == 1 {
		e.s.lexical(nsSubject, h^nsSubject<<56, start, end)
	}
	e.havePrev = false
	return j
}

func onlyPhoneSeparators(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '-', '(', ')', '.':
		default:
			return false
		}
	}
	return true
}

// isCurrencyWord reports a folded word that names a currency after an
// amount ("500 eur", "1000 руб", "0.5 btc").
func isCurrencyWord(w string) bool {
	switch w {
	case "eur", "euro", "euros", "eurai", "euru", "euro's", "usd", "dollars", "dollar", "gbp", "pounds",
		"rub", "руб", "рублей", "рубля", "долларов", "доллара", "евро", "грн", "pln", "zl",
		"btc", "eth", "usdt", "bitcoin", "bitcoins", "tys", "тыс", "k":
		return true
	}
	return false
}
