package mailparse

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"regexp"
	"strings"

	"github.com/vvgintake/vvgintake/internal/numfmt"
)

// attachSink hashes an attachment's decoded bytes, and keeps them when
// asked, up to a limit; past it, it only counts, so a huge part costs no
// memory.
type attachSink struct {
	limit  int64
	n      int64
	keep   bool
	chunks [][]byte // filled in fixed-size pieces: no re-copying as it grows
	sum    hash.Hash
	over   bool
}

// The pieces an attachment is collected in start small and double up to
// a ceiling, so small files cost little and large ones are not re-copied.
const (
	sinkFirstChunk = 16 << 10
	sinkMaxChunk   = 1 << 20
)

// newSink returns a sink bounded by MaxAttachmentBytes.
func (c *collector) newSink() *attachSink {
	return &attachSink{limit: c.opt.MaxAttachmentBytes, keep: c.opt.KeepContent, sum: sha256.New()}
}

// Write implements io.Writer; it never fails.
func (s *attachSink) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	if s.over {
		return len(p), nil
	}
	if s.n > s.limit {
		s.over, s.chunks, s.sum = true, nil, nil
		return len(p), nil
	}
	s.sum.Write(p)
	if !s.keep {
		return len(p), nil
	}
	for rest := p; len(rest) > 0; {
		if len(s.chunks) == 0 || len(s.chunks[len(s.chunks)-1]) == cap(s.chunks[len(s.chunks)-1]) {
			size := int64(sinkFirstChunk)
			if k := len(s.chunks); k > 0 {
				size = int64(min(2*cap(s.chunks[k-1]), sinkMaxChunk))
			}
			s.chunks = append(s.chunks, make([]byte, 0, min(size, s.limit)))
		}
		last := &s.chunks[len(s.chunks)-1]
		n := min(len(rest), cap(*last)-len(*last))
		*last = append(*last, rest[:n]...)
		rest = rest[n:]
	}
	return len(p), nil
}

// finish stores the result in a.
func (s *attachSink) finish(a *Attachment) {
	a.Size = s.n
	if s.over {
		a.Refused = fmt.Sprintf("larger than the %s limit", numfmt.Bytes(s.limit))
		return
	}
	switch {
	case !s.keep:
	case len(s.chunks) == 0:
		a.Data = []byte{}
	case len(s.chunks) == 1:
		a.Data = s.chunks[0]
	default:
		a.Parts = s.chunks
	}
	s.chunks = nil
	a.SHA256 = hex.EncodeToString(s.sum.Sum(nil))
}

// cidRE finds cid: URLs (RFC 2392) in HTML attributes and CSS.
var cidRE = regexp.MustCompile(`(?i)cid:([^"'\s>)]+)`)

// htmlCIDs returns the Content-IDs an HTML part refers to.
func htmlCIDs(html string) []string {
	if !hasCIDScheme(html) {
		return nil // most HTML has no inline images: skip the pattern's pass
	}
	var ids []string
	for _, m := range cidRE.FindAllStringSubmatch(html, 200) {
		ids = append(ids, m[1])
	}
	return ids
}

// hasCIDScheme reports whether s contains "cid:" in any case, as cidRE
// needs: a search for colons, where the pattern, case-insensitive, would
// step through every byte.
func hasCIDScheme(s string) bool {
	for i := 3; i < len(s); i++ {
		k := strings.IndexByte(s[i:], ':')
		if k < 0 {
			return false
		}
		i += k
		if strings.EqualFold(s[i-3:i], "cid") {
			return true
		}
	}
	return false
}

// markInline flags attachments whose Content-ID the HTML refers to.
func (c *collector) markInline() {
	for i, cid := range c.attCIDs {
		if cid != "" && (c.cids[cid] || c.cids[strings.ToLower(cid)]) {
			c.atts[i].Inline = true
		}
	}
}
