package notify

import (
	"regexp"

	"github.com/vvgintake/vvgintake/internal/excerpt"
)

// An acknowledgement goes to whatever address the message or the form
// gave, and quotes what was written. Anyone could therefore have the VVG's
// mailbox mail their words to a third party: an advert, a phishing link,
// an insult, under the VVG's name and reputation. The excerpt is there
// for the resident to recognise their own suggestion, which a few words
// do, so it quotes little and nothing a mail program would make
// clickable:
//   - links, e-mail addresses and bare domains are replaced by a mark: a
//     stranger cannot send a working link through us;
//   - to an address never seen before (no earlier suggestion from it, no
//     acknowledgement sent to it) the excerpt is short: a resident writing
//     for the first time still recognises the start of their letter; a
//     forged sender gets little of the forger's text. An address the
//     ledger knows gets the usual length.

// Excerpt lengths of an acknowledgement, in runes.
const (
	ackExcerptKnown    = excerptRunes // an address that wrote or was answered before
	ackExcerptStranger = 100          // an address never seen before
)

// linkMark stands where a link, address or domain was.
const linkMark = "[…]"

// linkRE finds what mail programs turn into links: URLs with a scheme,
// www. names, e-mail addresses, and bare domain names (letters before a
// dot and a top-level domain of letters, so "2.1" or "p.s." stay).
var linkRE = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+|\b(?:[\p{L}\p{N}-]+\.)+[a-z]{2,24}\b(?:/\S*)?`)

// ackExcerpt shortens what a resident wrote for their acknowledgement:
// links and addresses marked, short for an address never seen before.
func ackExcerpt(text string, known bool) string {
	n := ackExcerptStranger
	if known {
		n = ackExcerptKnown
	}
	return excerpt.Text(linkRE.ReplaceAllString(text, linkMark), n)
}
