package mailparse

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"

	"github.com/vvgintake/vvgintake/internal/filename"
)

// Outlook in RTF mode sends its attachments inside one winmail.dat part
// (application/ms-tnef), which staff cannot open. TNEFFiles unpacks it.
// The format is Microsoft's [MS-OXTNEF]: a signature, then attributes of
// level (1 message, 2 attachment), id, length, data and a checksum. An
// attachment starts at attAttachRendData and carries its data in
// attAttachData, its 8.3 name in attAttachTitle and, in attAttachment's
// MAPI properties, its long name (PR_ATTACH_LONG_FILENAME).
//
// The TNEF libraries for Go (github.com/teamwork/tnef) are not available
// from the module proxy here; reading the attachments, which is all staff
// need, is the small part of the format implemented below, bounded in what
// it accepts. The message body, RTF and the other MAPI properties are not
// read.

// TNEFFile is one file inside a TNEF stream.
type TNEFFile struct {
	Name string // the long name when given, else the 8.3 one, made safe (internal/filename)
	Data []byte // a slice of the stream given to TNEFFiles
}

const (
	tnefSignature = 0x223E9F78

	attAttachRendData = 0x9002
	attAttachTitle    = 0x8010
	attAttachData     = 0x800F
	attAttachment     = 0x9005

	prAttachLongFilename = 0x3707

	// maxTNEFFiles bounds the files read from one stream.
	maxTNEFFiles = 100
)

// errTNEF is a stream that is not TNEF or is damaged.
var errTNEF = errors.New("not a valid TNEF stream")

// TNEFFiles returns the attached files of a TNEF stream (winmail.dat),
// in order. Files without data are left out. A damaged stream returns the
// files read before the damage with an error.
func TNEFFiles(data []byte) ([]TNEFFile, error) {
	if len(data) < 6 || binary.LittleEndian.Uint32(data) != tnefSignature {
		return nil, errTNEF
	}
	var (
		files []TNEFFile
		cur   *TNEFFile
		title string
	)
	flush := func() {
		if cur == nil || len(cur.Data) == 0 {
			cur = nil
			return
		}
		if cur.Name == "" {
			cur.Name = title
		}
		if cur.Name = filename.Clean(cur.Name, filename.MaxBytes); cur.Name == "" {
			cur.Name = fmt.Sprintf("priedas-%d", len(files)+1)
		}
		files = append(files, *cur)
		cur = nil
	}
	for i := 6; i < len(data); {
		if len(data)-i < 9 {
			break // trailing bytes some writers leave
		}
		level := data[i]
		id := binary.LittleEndian.Uint32(data[i+1:]) & 0xFFFF
		n := binary.LittleEndian.Uint32(data[i+5:])
		start := i + 9
		if uint64(n)+2 > uint64(len(data)-start) {
			flush()
			return files, fmt.Errorf("attribute %#x longer than the stream: %w", id, errTNEF)
		}
		v := data[start : start+int(n)]
		i = start + int(n) + 2 // the checksum is not worth refusing a file over
		if level != 2 {
			continue
		}
		switch id {
		case attAttachRendData:
			flush()
			if len(files) >= maxTNEFFiles {
				return files, nil
			}
			cur, title = &TNEFFile{}, ""
		case attAttachTitle:
			title = cString(v)
		case attAttachData:
			if cur != nil {
				cur.Data = v
			}
		case attAttachment:
			if cur != nil {
				if name := mapiLongFilename(v); name != "" {
					cur.Name = name
				}
			}
		}
	}
	flush()
	return files, nil
}

// cString is s up to its first NUL.
func cString(s []byte) string {
	for i, c := range s {
		if c == 0 {
			return string(s[:i])
		}
	}
	return string(s)
}

// MAPI property types ([MS-OXCDATA] §2.11.1) and their fixed sizes.
const (
	ptString8  = 0x001E
	ptUnicode  = 0x001F
	ptBinary   = 0x0102
	ptObject   = 0x000D
	ptMultiple = 0x1000
)

var mapiFixed = map[uint16]int{0x0002: 4, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8,
	0x000A: 4, 0x000B: 4, 0x0014: 8, 0x0040: 8, 0x0048: 16}

// mapiLongFilename finds PR_ATTACH_LONG_FILENAME in an attAttachment
// property list ([MS-OXTNEF] §2.1.3.4), or returns "".
func mapiLongFilename(b []byte) string {
	r := &tnefReader{b: b}
	count := r.u32()
	for k := uint32(0); k < count && r.ok(); k++ {
		typ, id := uint16(r.u32()&0xFFFF), uint16(0)
		id = uint16(r.last >> 16)
		if id >= 0x8000 { // a named property: GUID, then an id or a name
			r.skip(16)
			if r.u32() == 0 {
				r.skip(4)
			} else {
				r.skip(pad4(int(r.u32())))
			}
		}
		values := 1
		multi := typ&ptMultiple != 0
		base := typ &^ ptMultiple
		if multi || base == ptString8 || base == ptUnicode || base == ptBinary || base == ptObject {
			values = int(r.u32())
		}
		for v := 0; v < values && r.ok(); v++ {
			size, ok := mapiFixed[base]
			if !ok {
				size = int(r.u32())
				if !r.ok() {
					return ""
				}
			}
			val := r.take(pad4(size))
			if id == prAttachLongFilename && len(val) >= size {
				switch base {
				case ptString8:
					return cString(val[:size])
				case ptUnicode:
					return utf16String(val[:size])
				}
			}
		}
	}
	return ""
}

// utf16String decodes little-endian UTF-16 up to a NUL.
func utf16String(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

func pad4(n int) int { return (n + 3) &^ 3 }

// tnefReader reads little-endian values, failing for good past the end.
type tnefReader struct {
	b    []byte
	last uint32
	bad  bool
}

func (r *tnefReader) ok() bool { return !r.bad }

func (r *tnefReader) u32() uint32 {
	v := r.take(4)
	if len(v) < 4 {
		return 0
	}
	r.last = binary.LittleEndian.Uint32(v)
	return r.last
}

func (r *tnefReader) take(n int) []byte {
	if r.bad || n < 0 || n > len(r.b) {
		r.bad = true
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *tnefReader) skip(n int) { r.take(n) }
