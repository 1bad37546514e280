package mailparse

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// mimeEntity is a part waiting to be handled: its header and undecoded body.
type mimeEntity struct {
	h    mimeHeader
	body io.Reader
}

// strictFrame is an open container in walkStrict.
type strictFrame struct {
	mr   *textproto.MultipartReader // multipart
	body io.Reader                  // message/rfc822: rest of the enclosed message
}

// walkStrict walks the message with go-message's textproto reader, which
// follows RFC 2045/2046 to the letter and streams every part. It uses an
// explicit stack, not recursion, so nesting depth cannot exhaust the
// goroutine stack. Any structural error is returned and the caller starts
// over with walkLenient.
func (c *collector) walkStrict(raw []byte) error {
	br := bufio.NewReader(bytes.NewReader(raw))
	th, err := textproto.ReadHeader(br)
	if err != nil {
		return fmt.Errorf("read header: %w", err)
	}
	c.top = headerFromTextproto(th)
	c.countPart()
	var stack []strictFrame
	next := &mimeEntity{h: c.top, body: br}
	for {
		if next != nil {
			e := next
			next = nil
			mt, params := c.mediaType(e.h)
			switch {
			case strings.HasPrefix(mt, "multipart/"):
				b := params["boundary"]
				if b == "" {
					return errors.New("multipart without boundary")
				}
				if !c.nestingOK() {
					if _, err := io.Copy(io.Discard, e.body); err != nil {
						return fmt.Errorf("skip part: %w", err)
					}
					break
				}
				c.enterMultipart(strings.TrimPrefix(mt, "multipart/"), params)
				stack = append(stack, strictFrame{mr: textproto.NewMultipartReader(e.body, b)})
			case isMessageType(mt):
				if !c.nestingOK() {
					if _, err := io.Copy(io.Discard, e.body); err != nil {
						return fmt.Errorf("skip part: %w", err)
					}
					break
				}
				descend, sink := c.messagePart(e.h)
				r, _ := transferReader(e.h.get("Content-Transfer-Encoding"), e.body)
				if sink != nil {
					r = io.TeeReader(r, sink)
				}
				if !descend {
					if _, err := io.Copy(io.Discard, r); err != nil {
						return fmt.Errorf("skip message: %w", err)
					}
					c.endMessage()
					break
				}
				ibr := bufio.NewReader(r)
				ih, err := textproto.ReadHeader(ibr)
				if err != nil {
					return fmt.Errorf("read enclosed header: %w", err)
				}
				inner := headerFromTextproto(ih)
				c.messageHeader(inner)
				stack = append(stack, strictFrame{body: ibr})
				next = &mimeEntity{h: inner, body: ibr}
				continue
			default:
				if err := c.leaf(e.h, e.body); err != nil {
					return fmt.Errorf("read part: %w", err)
				}
			}
		}
		if len(stack) == 0 {
			return nil
		}
		top := stack[len(stack)-1]
		if top.mr == nil {
			// End of an enclosed message: feed any epilogue to the sink.
			if _, err := io.Copy(io.Discard, top.body); err != nil {
				return fmt.Errorf("read enclosed message: %w", err)
			}
			stack = stack[:len(stack)-1]
			c.endMessage()
			continue
		}
		p, err := top.mr.NextPart()
		if err == io.EOF {
			stack = stack[:len(stack)-1]
			c.leaveMultipart()
			continue
		}
		if err != nil {
			return fmt.Errorf("next part: %w", err)
		}
		if !c.countPart() {
			return nil
		}
		next = &mimeEntity{h: headerFromTextproto(p.Header), body: p}
	}
}

// isMessageType reports encapsulated messages the walkers descend into
// (RFC 2046 section 5.2.1; RFC 6532 section 3.7 for message/global).
func isMessageType(mt string) bool {
	return mt == "message/rfc822" || mt == "message/global"
}
