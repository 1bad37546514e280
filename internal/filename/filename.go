// Package filename makes a file name that came from a stranger (a mail's
// attachment, a web-form upload) safe to list and to save: one rule, so
// the parser, the form and `save` agree. It keeps the last path element
// only, in NFC; drops control characters (C0 and C1), the
// bidirectional formatting characters that make "evil‮fdp.exe" read as
// "evilexe.pdf" (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C)
// and a few invisible ones; and cuts the name to a number of bytes, not
// characters, at a UTF-8 boundary, keeping the extension: file systems
// count bytes (NAME_MAX is 255 on Linux), and a name of 120 Lithuanian
// letters can take 240.
package filename

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxBytes is what a stored name keeps: `save` puts a prefix of some
// twenty bytes before it and must stay within NAME_MAX (255).
const MaxBytes = 200

// maxExtBytes is the longest ending kept as an extension when a name is
// cut: ".docx", ".jpeg", ".tar.gz" fit; a long tail after a dot is not an
// extension.
const maxExtBytes = 16

// Clean returns name made safe (see the package doc) in at most maxBytes
// bytes, or "" when nothing is left or it is "." or "..".
func Clean(name string, maxBytes int) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if hidden(r) {
			return -1
		}
		return r
	}, norm.NFC.String(name))
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		return ""
	}
	if len(name) <= maxBytes {
		return name
	}
	ext := path.Ext(name)
	if len(ext) > maxExtBytes || len(ext) >= maxBytes {
		ext = ""
	}
	base := name[:len(name)-len(ext)]
	cut := maxBytes - len(ext)
	for cut > 0 && !utf8.RuneStart(base[cut]) {
		cut--
	}
	return strings.TrimSpace(base[:cut]) + ext
}

// hidden reports characters that do not belong in a file name: controls,
// bidirectional formatting, and invisible ones that hide what it says.
func hidden(r rune) bool {
	switch r {
	case 0x200B, 0x2060, 0xFEFF, utf8.RuneError: // zero-width space, word joiner, BOM
		return true
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}
