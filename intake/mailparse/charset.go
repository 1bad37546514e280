package mailparse

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
)

// fallbackCharset decodes 8-bit text that is not UTF-8 and carries no
// usable label: in a Lithuanian mailbox that is nearly always Windows'
// Baltic code page (whose letters match ISO-8859-13).
const fallbackCharset = "windows-1257"

// metaCharsetRE finds <meta charset=…> or <meta http-equiv … content="…;
// charset=…"> in the first bytes of an HTML part (the HTML5 prescan
// looks at the first 1024 bytes; Word puts a long <html> tag first).
var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([-a-z0-9_:.]+)`)

// normalizeCharset maps the label variants seen in mail onto names
// charset.Reader resolves; "" means no usable label.
func normalizeCharset(label string) string {
	l := strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	if i := strings.IndexByte(l, '*'); i >= 0 {
		l = l[:i] // RFC 2231 section 5 language suffix: "utf-8*lt"
	}
	switch l {
	case "utf8", "utf-8", "x-utf8", "unicode-1-1-utf-8":
		return "utf-8"
	case "cp1257", "win-1257", "windows1257", "win1257", "x-cp1257", "cp-1257":
		return "windows-1257"
	case "ascii", "us-ascii", "ansi_x3.4-1968", "iso646-us", "us", "7bit":
		return "us-ascii"
	case "", "unknown-8bit", "x-unknown", "unknown", "8bit", "default", "x-user-defined", "none":
		return ""
	}
	return l
}

// decodeWith converts b from the named charset to UTF-8; ok is false
// when the charset is unknown.
func decodeWith(label string, b []byte) (string, bool) {
	if label == "utf-8" {
		return strings.ToValidUTF8(string(b), "\uFFFD"), true
	}
	r, err := charset.Reader(label, bytes.NewReader(b))
	if err != nil {
		return "", false
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return "", false
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), true
}

// decodeText turns the transfer-decoded bytes of a text part into UTF-8.
// The label is trusted only as far as the bytes agree with it: mail that
// says us-ascii (or nothing) but carries UTF-8 is read as UTF-8, 8-bit
// text that is not UTF-8 and has no usable label as windows-1257, and
// HTML without a label by its <meta> declaration.
func decodeText(b []byte, label string, html bool) (string, []parseDefect) {
	label = normalizeCharset(label)
	if bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		b, label = b[3:], "utf-8"
	}
	if html && (label == "" || label == "us-ascii") {
		if m := metaCharsetRE.FindSubmatch(b[:min(len(b), 4096)]); m != nil {
			label = normalizeCharset(string(m[1]))
		}
	}
	if !hasHighBit(b) && !stateful7bit(label) {
		return string(b), nil
	}
	valid := utf8.Valid(b)
	switch label {
	case "utf-8":
		if valid {
			return string(b), nil
		}
		d := parseDefect{true, "text labelled utf-8 is not valid UTF-8"}
		if !hasUTF8Sequence(b) {
			s, _ := decodeWith(fallbackCharset, b)
			return s, []parseDefect{{true, "text labelled utf-8 is not UTF-8; decoded as " + fallbackCharset}}
		}
		return strings.ToValidUTF8(string(b), "\uFFFD"), []parseDefect{d}
	case "", "us-ascii":
		return sniff8bit(b, valid, label)
	}
	if valid && singleByte(label) {
		return string(b), []parseDefect{{true, fmt.Sprintf("text labelled %s is UTF-8", label)}}
	}
	s, ok := decodeWith(label, b)
	if !ok {
		s, ds := sniff8bit(b, valid, label)
		return s, append([]parseDefect{{true, fmt.Sprintf("unknown charset %q", label)}}, ds...)
	}
	if (label == "iso-8859-1" || label == "windows-1252" || label == "latin1") && looksBaltic(s) {
		s, _ = decodeWith(fallbackCharset, b)
		return s, []parseDefect{{true, fmt.Sprintf("text labelled %s is Baltic; decoded as %s", label, fallbackCharset)}}
	}
	return s, nil
}

// sniff8bit decodes 8-bit text whose label is missing, us-ascii or
// unknown: UTF-8 when it validates, else the Baltic fallback.
func sniff8bit(b []byte, valid bool, label string) (string, []parseDefect) {
	what := "with no charset"
	if label != "" {
		what = "labelled " + label
	}
	if valid {
		return string(b), []parseDefect{{true, fmt.Sprintf("8-bit text %s is UTF-8", what)}}
	}
	s, _ := decodeWith(fallbackCharset, b)
	return s, []parseDefect{{true, fmt.Sprintf("8-bit text %s decoded as %s", what, fallbackCharset)}}
}

// decodeHeaderBytes decodes raw bytes found in a header outside encoded
// words (RFC 6532 allows UTF-8 there; older software sends code pages).
func decodeHeaderBytes(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	s, _ := decodeWith(fallbackCharset, b)
	return s
}

// hasHighBit reports bytes outside US-ASCII.
func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// hasUTF8Sequence reports whether b holds at least one well-formed
// multi-byte UTF-8 sequence, i.e. whether invalid UTF-8 is damaged UTF-8
// rather than a legacy code page.
func hasUTF8Sequence(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError && size > 1 {
			return true
		}
		i++
	}
	return false
}

// singleByte reports whether a label names a single-byte code page, where
// valid multi-byte UTF-8 is practically never produced by accident.
func singleByte(label string) bool {
	for _, p := range []string{"iso-8859", "iso8859", "windows-125", "cp125", "koi8", "latin", "ibm", "cp8", "mac"} {
		if strings.HasPrefix(label, p) {
			return true
		}
	}
	return false
}

// stateful7bit reports charsets that encode non-ASCII with 7-bit bytes.
func stateful7bit(label string) bool {
	return strings.HasPrefix(label, "iso-2022") || label == "utf-7" || label == "hz-gb-2312" || strings.HasPrefix(label, "utf-16") || strings.HasPrefix(label, "utf-32")
}

// looksBaltic spots windows-1257 Lithuanian read as Latin-1: š and ž become
// ð and þ, which Western European text (Icelandic aside) does not use,
// alongside ė/ų/ū turned into ë/ø/û.
func looksBaltic(s string) bool {
	return strings.ContainsAny(s, "ðþ") && strings.ContainsAny(s, "ëøûèà")
}
