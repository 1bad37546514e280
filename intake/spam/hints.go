package spam

import (
	"bytes"
	"strings"
)

// CountLinks returns Hints.Links for a raw message: the href attributes
// in it, matched case-insensitively so that quoted-printable HTML
// ("href=3D") counts too. Links in a base64-encoded HTML part are
// missed; that is the price of not parsing MIME here, and the training
// program counts the same way, so the model saw what the intake passes.
func CountLinks(raw []byte) int {
	n := 0
	for i := 0; ; {
		k := bytes.IndexByte(raw[i:], '=')
		if k < 0 {
			return n
		}
		i += k + 1
		if i >= 5 && equalFoldASCII(raw[i-5:i-1], "href") {
			n++
		}
	}
}

func equalFoldASCII(b []byte, lower string) bool {
	for i := range len(lower) {
		if b[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}

// NameMismatch returns Hints.NameMismatch for a From header's decoded
// display name and addr-spec: true when the name is itself an address
// other than the sender's.
func NameMismatch(displayName, addr string) bool {
	name := strings.Trim(strings.TrimSpace(displayName), `"'<>`)
	return strings.Contains(name, "@") && !strings.EqualFold(name, addr)
}
