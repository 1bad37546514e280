package mailparse

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind says what sort of mail a message is, which decides whether it
// opens a case and gets an acknowledgement.
type Kind string

// Kinds. Parse returns suggestion, auto-reply, bounce, list, spam or
// malformed; the pipeline, which sees the ledger, turns some of them into
// reply, own or duplicate.
const (
	KindSuggestion Kind = "suggestion" // a person's message: opens a case
	KindReply      Kind = "reply"      // a person answering our acknowledgement: joins its case
	KindAutoReply  Kind = "auto-reply" // out-of-office, autoresponders, no-reply notifications
	KindBounce     Kind = "bounce"     // delivery failure reports
	KindList       Kind = "list"       // mailing-list posts and newsletters
	KindSpam       Kind = "spam"       // advertising
	KindOwn        Kind = "own"        // sent by vvgintake itself
	KindMalformed  Kind = "malformed"  // a person's defective message, text extracted as well as possible
	KindDuplicate  Kind = "duplicate"  // a repeated delivery of a message already recorded
)

// Automatic reports kinds that come from machines or crowds rather than a
// resident writing to the VVG. They must never be acknowledged (RFC 3834
// section 2: an automatic answer to them starts mail loops).
func (k Kind) Automatic() bool {
	switch k {
	case KindAutoReply, KindBounce, KindList, KindSpam, KindOwn:
		return true
	}
	return false
}

// kindInput is what classification looks at.
type kindInput struct {
	h          mimeHeader
	from       Address
	replyTo    *Address
	subject    string
	text       string // own text, forwards included
	full       string // whole body text
	reportType string
	dsnPart    bool
	reportPart string // type of the first report part anywhere, "" for none
	forward    bool   // Subject marks a forward
	hasRefs    bool   // In-Reply-To or References present
	defects    []parseDefect

	// Lower-cased, bounded copies for the text patterns.
	lowerText string // start of the text
	lowerFull string // start of the whole body
	lowerSpam string // the text as far as spamScore reads it
}

// withLower fills the lower-cased copies, lowering the text once for all
// three (the whole body is most often the text itself).
func (in kindInput) withLower() kindInput {
	in.lowerSpam = toLower(capText(in.text, spamTextBytes))
	in.lowerText = capText(in.lowerSpam, 2000)
	if in.full == in.text {
		in.lowerFull = capText(in.lowerSpam, 4000)
	} else {
		in.lowerFull = toLower(capText(in.full, 4000))
	}
	return in
}

// toLower is strings.ToLower (unicode.ToLower on every rune) with a fast
// path for the ASCII bytes, which are most of a Lithuanian text: one
// letter with a diacritic no longer sends the whole text through
// strings.Map.
func toLower(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				if b.Cap() == 0 {
					b.Grow(len(s))
					b.WriteString(s[:i])
				}
				c += 'a' - 'A'
			}
			if b.Cap() > 0 {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		l := unicode.ToLower(r)
		if l != r || r == utf8.RuneError && size == 1 {
			// Changed, or invalid UTF-8, which strings.ToLower turns
			// into U+FFFD: write from here on.
			if b.Cap() == 0 {
				b.Grow(len(s))
				b.WriteString(s[:i])
			}
		}
		if b.Cap() > 0 {
			b.WriteRune(l)
		}
		i += size
	}
	if b.Cap() == 0 {
		return s
	}
	return b.String()
}

// classify decides the Kind. Machine kinds are checked before malformed:
// a defective auto-reply is still an auto-reply and must not be answered.
func classify(in kindInput) (Kind, string) {
	in = in.withLower()
	if why := bounceReason(in); why != "" {
		return KindBounce, why
	}
	if why := autoReplyReason(in); why != "" {
		return KindAutoReply, why
	}
	if why := spamHeaderReason(in.h); why != "" {
		return KindSpam, why
	}
	if why := listReason(in.h); why != "" {
		return KindList, why
	}
	if score, why := spamScore(in); score >= spamThreshold {
		return KindSpam, why
	}
	for _, d := range in.defects {
		if d.serious {
			return KindMalformed, d.text
		}
	}
	return KindSuggestion, "a person's message with no automatic markers"
}

// localPart returns the lower-cased local part of an address.
func localPart(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		addr = addr[:i]
	}
	return strings.ToLower(strings.Trim(addr, `"`))
}

// domainOf returns the lower-cased domain of an address.
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}

// headerKeyword returns the first word of a header value, lower-cased,
// without comments ("auto-replied (vacation)" → "auto-replied").
func headerKeyword(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if i := strings.IndexAny(v, " \t(;,"); i >= 0 {
		v = v[:i]
	}
	return v
}

// IsNoReply reports whether addr is a mailbox that never reads what is
// sent to it: mail daemons and postmasters, no-reply and notification
// senders. Mail from one is automatic (autoReplyReason), and nothing may be
// sent to one (RFC 3834 §2: responses go only where a person reads them).
func IsNoReply(addr string) bool {
	local := localPart(addr)
	return daemonLocalRE.MatchString(local) || noreplyLocalRE.MatchString(local)
}

// Person reports kinds written by a person to the VVG: a suggestion, or a
// defective message whose text was still recovered. Only these open a
// case (or, when they answer our mail, join one).
func (k Kind) Person() bool { return k == KindSuggestion || k == KindMalformed }
