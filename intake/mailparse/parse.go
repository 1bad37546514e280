package mailparse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode"
	"unicode/utf8"
)

// Address is one mailbox of an address header.
type Address struct {
	Name string // decoded display name, "" when absent
	Addr string // addr-spec: local part as written, domain lower-cased
}

// Attachment is one attached (or inline) file of a message.
type Attachment struct {
	Filename    string // decoded name (RFC 2047 inside quotes, RFC 2231 with continuations and any charset)
	ContentType string // lower-case type/subtype as declared
	Size        int64  // decoded size in bytes, counted even when refused
	SHA256      string // hex of the decoded bytes, "" when refused
	Data        []byte // decoded bytes when held in one piece (KeepContent); nil when refused, not kept or in Parts
	// Parts holds the decoded bytes of a larger attachment in the pieces the
	// parser collected it in, so it is never copied whole; Content joins them.
	Parts   [][]byte
	Refused string // "" or why the bytes were not kept, e.g. "larger than the 10 MB limit"
	Inline  bool   // referenced by Content-ID from the HTML or marked inline
}

// Content returns the decoded bytes in one slice (joining Parts is a copy),
// nil when refused.
func (a *Attachment) Content() []byte {
	if a.Parts == nil {
		return a.Data
	}
	return bytes.Join(a.Parts, nil)
}

// Message is what Parse makes of one raw message.
type Message struct {
	MessageID   string    // without <>, "" when absent
	Date        time.Time // zero when absent or unparseable
	From        Address
	ReplyTo     *Address // nil when absent
	To, Cc      []Address
	Subject     string // fully decoded
	HasSubject  bool   // false when there is no Subject header at all
	InReplyTo   string // message id without <>
	References  []string
	Text        string // the sender's own text: quotes, signatures, disclaimers and footers removed, forwards kept
	FullText    string // the whole decoded body text before stripping
	Attachments []Attachment
	Defects     []string // what was wrong with the input, for staff and logs
	Kind        Kind
	KindReason  string // why Kind was chosen, e.g. "Auto-Submitted: auto-replied"
	Language    string // "lt" or "en", best guess from the text
	// Auth holds the Authentication-Results fields (RFC 8601), topmost
	// first. Which of them to believe is the caller's decision: only
	// the receiving server's own, named by its authserv-id.
	Auth []AuthResults
}

// ParseOptions bounds the work Parse does on one message. Zero fields take
// the defaults noted on each.
type ParseOptions struct {
	MaxAttachmentBytes int64 // per attachment, default 10 MiB; larger ones are listed with Refused set
	MaxAttachments     int   // default 20; further ones are listed with Refused set
	MaxParts           int   // MIME parts walked, default 200
	MaxTextBytes       int   // extracted text, default 1 MiB
	MaxMessageBytes    int64 // bytes read from r, default 64 MiB; the rest is drained and a defect recorded
	// KeepContent keeps each attachment's decoded bytes in Data or Parts.
	// Without it only its size and SHA-256 are worked out: an e-mail's
	// attachments are inside its raw bytes, which the ledger keeps, so
	// ingest need not hold or store them twice.
	KeepContent bool
}

const (
	defaultMaxAttachmentBytes = 10 << 20
	defaultMaxAttachments     = 20
	defaultMaxParts           = 200
	defaultMaxTextBytes       = 1 << 20
	defaultMaxMessageBytes    = 64 << 20
)

// withDefaults fills zero fields with their defaults.
func (o ParseOptions) withDefaults() ParseOptions {
	if o.MaxAttachmentBytes <= 0 {
		o.MaxAttachmentBytes = defaultMaxAttachmentBytes
	}
	if o.MaxAttachments <= 0 {
		o.MaxAttachments = defaultMaxAttachments
	}
	if o.MaxParts <= 0 {
		o.MaxParts = defaultMaxParts
	}
	if o.MaxTextBytes <= 0 {
		o.MaxTextBytes = defaultMaxTextBytes
	}
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = defaultMaxMessageBytes
	}
	return o
}

// Parse reads one RFC 5322 message from r and returns what it holds. It
// returns an error only when r itself fails: broken mail still yields a
// Message, with what went wrong listed in Defects. The message is held in
// memory (at most MaxMessageBytes) so a strict parse that fails can be
// redone tolerantly without reading r again; parts are streamed from there.
func Parse(r io.Reader, opt ParseOptions) (*Message, error) {
	opt = opt.withDefaults()
	// Size the buffer up front when the reader knows its length.
	size := int64(bytes.MinRead)
	if l, ok := r.(interface{ Len() int }); ok {
		size = min(int64(l.Len()), opt.MaxMessageBytes) + bytes.MinRead
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := buf.ReadFrom(io.LimitReader(r, opt.MaxMessageBytes)); err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	raw := buf.Bytes()
	var dropped int64
	if int64(len(raw)) == opt.MaxMessageBytes {
		// Drain the rest so the caller's connection stays in step.
		var err error
		dropped, err = io.Copy(io.Discard, r)
		if err != nil {
			return nil, fmt.Errorf("read message: %w", err)
		}
	}
	return parseSafely(raw, dropped, opt), nil
}

// ParseBytes is Parse for a message already in memory, such as a fetched
// IMAP literal: it reads raw in place instead of copying it, and never
// modifies it. Past MaxMessageBytes the rest is ignored, as by Parse.
func ParseBytes(raw []byte, opt ParseOptions) *Message {
	opt = opt.withDefaults()
	var dropped int64
	if int64(len(raw)) > opt.MaxMessageBytes {
		dropped = int64(len(raw)) - opt.MaxMessageBytes
		raw = raw[:opt.MaxMessageBytes:opt.MaxMessageBytes]
	}
	return parseSafely(raw, dropped, opt)
}

// parseSafely parses raw, noting dropped bytes. A daemon must survive one
// bad message: a parser bug becomes a defect, not a crash. FuzzParse calls
// parseBytes directly so bugs still surface.
func parseSafely(raw []byte, dropped int64, opt ParseOptions) (msg *Message) {
	defer func() {
		if p := recover(); p != nil {
			msg = &Message{
				Kind:       KindMalformed,
				KindReason: "internal parser error",
				Defects:    []string{fmt.Sprintf("internal parser error: %v", p)},
				Language:   "lt",
				FullText:   sanitizeText(string(raw), opt.MaxTextBytes),
			}
			msg.Text = msg.FullText
		}
	}()
	msg = parseBytes(raw, opt)
	if dropped > 0 {
		msg.Defects = append(msg.Defects, fmt.Sprintf("message larger than %d bytes: last %d bytes not read", opt.MaxMessageBytes, dropped))
	}
	return msg
}

// parseBytes parses a message held in memory. go-message's strict reader
// goes first; when it rejects the structure the tolerant walker starts over
// on the same bytes, so nothing is read twice from the caller.
func parseBytes(raw []byte, opt ParseOptions) *Message {
	c := newCollector(opt)
	var err error
	if headerHeavy(raw) {
		err = errors.New("too many header lines for the strict parser")
	} else {
		err = c.walkStrict(raw)
	}
	if err != nil {
		c = newCollector(opt)
		c.walkLenient(raw)
		// The tolerant walker usually names the problem itself; the
		// strict parser's complaint is then only a note.
		serious := true
		for _, d := range c.defects {
			serious = serious && !d.serious
		}
		c.addDefect(serious, "strict MIME parser failed (%v): tolerant parser used", err)
	}
	return c.finish()
}

// sanitizeText makes s valid UTF-8 without control characters other than
// tab and newline, with LF line ends, at most limit bytes long.
func sanitizeText(s string, limit int) string {
	if limit > 0 && len(s) > limit {
		s = s[:limit]
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		// Runs of printable ASCII, most of any text, are copied whole.
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] < 0x7f {
			j++
		}
		if j > i {
			b = append(b, s[i:j]...)
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b = utf8.AppendRune(b, utf8.RuneError)
		case r == '\r':
			if i+1 >= len(s) || s[i+1] != '\n' {
				b = append(b, '\n')
			}
		case r == '\n' || r == '\t':
			b = append(b, byte(r))
		case unicode.IsControl(r) || r == '\uFEFF':
			// dropped
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
