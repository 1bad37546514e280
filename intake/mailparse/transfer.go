package mailparse

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"strings"
)

// encodingReport collects what a transfer decoder had to forgive.
type encodingReport struct {
	encoding  string
	illegal   int  // base64: bytes outside the alphabet (RFC 2045 section 6.8 says ignore them; their presence means damage)
	truncated bool // base64: a lone sextet at the end
	padding   bool // base64: missing or misplaced "="
	badEscape int  // quoted-printable: "=" not followed by two hex digits
	unknown   bool // encoding not understood; passed through as is
}

// problem describes the damage, or "" when the data was clean.
func (r *encodingReport) problem() string {
	var p []string
	if r.illegal > 0 {
		p = append(p, fmt.Sprintf("%d illegal base64 characters", r.illegal))
	}
	if r.truncated {
		p = append(p, "truncated base64")
	}
	if r.padding {
		p = append(p, "bad base64 padding")
	}
	if r.badEscape > 0 {
		p = append(p, fmt.Sprintf("%d invalid quoted-printable escapes", r.badEscape))
	}
	if r.unknown {
		p = append(p, fmt.Sprintf("unknown transfer encoding %q", r.encoding))
	}
	return strings.Join(p, ", ")
}

// serious reports damage that makes the message malformed: broken base64
// loses bytes, while a stray "=" in quoted-printable is a cosmetic slip.
func (r *encodingReport) serious() bool {
	return r.illegal > 0 || r.truncated || r.padding
}

// transferReader undoes the Content-Transfer-Encoding (RFC 2045 section 6)
// with decoders that never fail: they skip what they cannot use and tell
// the report.
func transferReader(cte string, r io.Reader) (io.Reader, *encodingReport) {
	cte = strings.ToLower(strings.Trim(strings.TrimSpace(cte), `"`))
	rep := &encodingReport{encoding: cte}
	switch cte {
	case "base64":
		return &base64Reader{src: bufio.NewReaderSize(r, 8192), rep: rep}, rep
	case "quoted-printable":
		return &qpReader{src: bufio.NewReaderSize(r, 8192), rep: rep}, rep
	case "", "7bit", "8bit", "binary", "7-bit", "8-bit":
		return r, rep
	}
	rep.unknown = true
	return r, rep
}

// b64 decodes base64 one character at a time.
type b64 struct {
	q   [4]byte
	n   int
	odd bool // encoding/base64 refused whole lines of this body once
	rep *encodingReport
}

// b64table maps a byte to its base64 sextet, 0xFF for bytes outside the
// alphabet. A string constant: a lookup table that cannot be modified.
const b64table = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x3e\xff\xff\xff\x3f\x34\x35\x36\x37\x38\x39\x3a\x3b\x3c\x3d\xff\xff\xff\xff\xff\xff\xff\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\xff\xff\xff\xff\xff\xff\x1a\x1b\x1c\x1d\x1e\x1f\x20\x21\x22\x23\x24\x25\x26\x27\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f\x30\x31\x32\x33\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"

// b64val returns the sextet of a base64 character, 0xFF for others.
func b64val(c byte) byte { return b64table[c] }

// feed adds one input byte and appends whatever it completes to out.
func (d *b64) feed(c byte, out []byte) []byte {
	if v := b64val(c); v != 0xFF {
		d.q[d.n] = v
		d.n++
		if d.n == 4 {
			out = append(out, d.q[0]<<2|d.q[1]>>4, d.q[1]<<4|d.q[2]>>2, d.q[2]<<6|d.q[3])
			d.n = 0
		}
		return out
	}
	switch c {
	case '=':
		// Padding ends a quantum; a second "=" or one after a complete
		// quantum is harmless. Data may follow (concatenated blocks).
		out = d.partial(out, false)
	case ' ', '\t', '\r', '\n', '\f', '\v':
	default:
		if d.rep != nil {
			d.rep.illegal++
		}
	}
	return out
}

// decode feeds every byte of in and appends the result to out. A
// well-formed body (76-character lines) goes to encoding/base64 whole
// lines at a time: it skips CR and LF itself and refuses anything else, so
// the lines it takes it decodes exactly as feed would. Where it refuses
// (damage, padding before the end, lines of odd length) decode stops
// trying for this body and takes runs of whole quanta of alphabet
// characters instead, and the rest byte by byte through feed. All three
// give the same bytes and report.
func (d *b64) decode(in, out []byte) []byte {
	for len(in) > 0 {
		if d.n == 0 && !d.odd {
			if k := bytes.LastIndexByte(in, '\n') + 1; k > 0 {
				start := len(out)
				out = slices.Grow(out, base64.StdEncoding.DecodedLen(k))
				n, err := base64.StdEncoding.Decode(out[start:start+base64.StdEncoding.DecodedLen(k)], in[:k])
				if err == nil {
					out, in = out[:start+n], in[k:]
					continue
				}
				out, d.odd = out[:start], true
			}
		}
		if d.n == 0 {
			k := 0
			for k < len(in) && b64table[in[k]] != 0xFF {
				k++
			}
			k -= k % 4
			if k > 0 {
				start := len(out)
				out = slices.Grow(out, k/4*3)[:start+k/4*3]
				// Only alphabet characters, no padding, whole quanta:
				// this cannot fail.
				if _, err := base64.StdEncoding.Decode(out[start:], in[:k]); err != nil {
					panic("intake: base64 fast path: " + err.Error())
				}
				in = in[k:]
				continue
			}
		}
		out = d.feed(in[0], out)
		in = in[1:]
	}
	return out
}

// partial flushes an incomplete quantum; atEOF means no "=" closed it.
func (d *b64) partial(out []byte, atEOF bool) []byte {
	switch d.n {
	case 1:
		if d.rep != nil {
			d.rep.truncated = true
		}
	case 2:
		out = append(out, d.q[0]<<2|d.q[1]>>4)
	case 3:
		out = append(out, d.q[0]<<2|d.q[1]>>4, d.q[1]<<4|d.q[2]>>2)
	}
	if atEOF && d.n >= 2 && d.rep != nil {
		d.rep.padding = true
	}
	d.n = 0
	return out
}

// decodeBase64Lenient decodes a whole base64 string.
func decodeBase64Lenient(in []byte) ([]byte, *encodingReport) {
	rep := &encodingReport{encoding: "base64"}
	d := b64{rep: rep}
	out := d.decode(in, make([]byte, 0, len(in)*3/4+3))
	return d.partial(out, true), rep
}

// base64Reader is the streaming form of decodeBase64Lenient.
type base64Reader struct {
	src *bufio.Reader
	dec b64
	rep *encodingReport
	out []byte
	pos int
	buf [4096]byte
	err error
}

// Read implements io.Reader.
func (r *base64Reader) Read(p []byte) (int, error) {
	r.dec.rep = r.rep
	if r.pos == len(r.out) {
		r.out, r.pos = r.out[:0], 0
	}
	for r.pos == len(r.out) && r.err == nil {
		n, err := r.src.Read(r.buf[:])
		r.out = r.dec.decode(r.buf[:n], r.out)
		if err != nil {
			r.err = err
			if err == io.EOF {
				r.out = r.dec.partial(r.out, true)
			}
		}
	}
	n := copy(p, r.out[r.pos:])
	r.pos += n
	if n == 0 {
		return 0, r.err
	}
	return n, nil
}

// qpReader decodes quoted-printable (RFC 2045 section 6.7) as a byte
// state machine, so it streams and never fails: trailing whitespace is
// dropped (rule 3), "=" at a line end is a soft break (rule 5), a bad
// escape is kept literally and counted.
type qpReader struct {
	src   *bufio.Reader
	rep   *encodingReport
	ws    []byte // held spaces and tabs: dropped if the line ends
	state int    // 0 text, 1 after "=", 2 after "=X", 3 "=" then CR, 4 "=" then blanks
	hex   byte
	out   []byte
	pos   int
	err   error
}

// Read implements io.Reader.
func (r *qpReader) Read(p []byte) (int, error) {
	if r.pos == len(r.out) {
		r.out, r.pos = r.out[:0], 0
	}
	for len(r.out)-r.pos < len(p) && r.err == nil {
		c, err := r.src.ReadByte()
		if err != nil {
			r.err = err
			r.end()
			break
		}
		r.step(c)
	}
	n := copy(p, r.out[r.pos:])
	r.pos += n
	if n == 0 {
		return 0, r.err
	}
	return n, nil
}

// step feeds one input byte through the state machine.
func (r *qpReader) step(c byte) {
	switch r.state {
	case 1:
		switch {
		case c == '\r':
			r.state = 3
		case c == '\n':
			r.state = 0
		case c == ' ' || c == '\t':
			r.state = 4
		case hexVal(c) != 0xFF:
			r.hex, r.state = c, 2
		default:
			r.rep.badEscape++
			r.out = append(r.out, '=')
			r.state = 0
			r.step(c)
		}
		return
	case 2:
		r.state = 0
		if hexVal(c) != 0xFF {
			r.out = append(r.out, hexVal(r.hex)<<4|hexVal(c))
			return
		}
		r.rep.badEscape++
		r.out = append(r.out, '=', r.hex)
		r.step(c)
		return
	case 3:
		r.state = 0
		if c == '\n' {
			return
		}
		r.step(c)
		return
	case 4:
		switch c {
		case ' ', '\t':
			return
		case '\r':
			r.state = 3
			return
		case '\n':
			r.state = 0
			return
		}
		r.rep.badEscape++
		r.out = append(r.out, '=', ' ')
		r.state = 0
		r.step(c)
		return
	}
	switch c {
	case ' ', '\t':
		if len(r.ws) < 1024 {
			r.ws = append(r.ws, c)
		}
		return
	case '\r', '\n':
		r.ws = r.ws[:0]
		r.out = append(r.out, c)
		return
	}
	r.out = append(r.out, r.ws...)
	r.ws = r.ws[:0]
	if c == '=' {
		r.state = 1
		return
	}
	r.out = append(r.out, c)
}

// end flushes a dangling escape at the end of input.
func (r *qpReader) end() {
	switch r.state {
	case 1:
		// "=" as the very last byte is a soft break without a newline.
	case 2:
		r.rep.badEscape++
		r.out = append(r.out, '=', r.hex)
	}
	r.state = 0
}
