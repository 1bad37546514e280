package intake

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/mail"
	"strings"
	"time"
)

// MboxMessage is one message of an mbox archive.
type MboxMessage struct {
	// Raw is the message, un-escaped; nil when it was larger than the
	// limit, and then only Size tells it.
	Raw      []byte
	Size     int64     // bytes the message takes in the archive
	FromLine time.Time // the date of its "From " line, zero when unreadable
}

// ReadMbox splits an mbox archive (mboxo or mboxrd, as Google Takeout
// writes) into messages, one at a time, un-escaping ">From " lines. A
// message larger than maxBytes (0: no limit) is not kept: fn gets it
// with Raw nil and its size, and the archive goes on. Memory holds at
// most one message of maxBytes: a 200 MB message in an export must not
// take the importer to a gigabyte, nor stop the messages after it.
func ReadMbox(r *bufio.Reader, maxBytes int64, fn func(MboxMessage) error) error {
	var (
		buf     bytes.Buffer
		m       MboxMessage
		started bool
	)
	flush := func() error {
		if !started {
			return nil
		}
		if m.Raw = nil; m.Size <= maxBytes || maxBytes <= 0 {
			raw := bytes.TrimRight(buf.Bytes(), "\n")
			m.Raw = append(append(make([]byte, 0, len(raw)+1), raw...), '\n')
		}
		err := fn(m)
		buf.Reset()
		return err
	}
	// ReadSlice, not ReadBytes: a line is handled in pieces of the
	// reader's buffer, so even a message that is one huge line costs no
	// more than the limit.
	atStart := true
	for {
		frag, err := r.ReadSlice('\n')
		if len(frag) > 0 {
			switch {
			case atStart && bytes.HasPrefix(frag, []byte("From ")):
				if err := flush(); err != nil {
					return err
				}
				started, m = true, MboxMessage{FromLine: mboxFromDate(string(frag))}
			case started:
				if u := bytes.TrimLeft(frag, ">"); atStart && len(u) < len(frag) && bytes.HasPrefix(u, []byte("From ")) {
					frag = frag[1:]
				}
				m.Size += int64(len(frag))
				if maxBytes <= 0 || m.Size <= maxBytes {
					buf.Write(frag)
				} else if buf.Len() > 0 {
					buf.Reset() // past the limit: nothing of it is kept
				}
			}
			atStart = frag[len(frag)-1] == '\n'
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
		case err == io.EOF:
			return flush()
		case err != nil:
			return err
		}
	}
}

// mboxFromDate reads the date of an mbox "From sender date" line.
func mboxFromDate(line string) time.Time {
	f := strings.Fields(line)
	if len(f) < 3 {
		return time.Time{}
	}
	rest := strings.Join(f[2:], " ")
	for _, layout := range []string{time.ANSIC, "Mon Jan _2 15:04:05 -0700 2006", time.UnixDate, "Mon Jan _2 15:04:05 2006 -0700"} {
		if t, err := time.Parse(layout, rest); err == nil {
			return t
		}
	}
	return time.Time{}
}

// ReceivedDate returns the time in the topmost Received: header (the
// receiving server's clock), or the Date: header, or zero.
func ReceivedDate(raw []byte) time.Time {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if e2 := bytes.Index(raw, []byte("\n\n")); end < 0 || (e2 >= 0 && e2 < end) {
		end = e2
	}
	if end < 0 {
		end = len(raw)
	}
	var fields []string
	for _, line := range strings.Split(strings.ReplaceAll(string(raw[:end]), "\r\n", "\n"), "\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(fields) > 0 {
			fields[len(fields)-1] += " " + strings.TrimSpace(line)
			continue
		}
		fields = append(fields, line)
	}
	var date time.Time
	for _, f := range fields {
		name, val, ok := strings.Cut(f, ":")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "received":
			if i := strings.LastIndexByte(val, ';'); i >= 0 {
				if t, err := mail.ParseDate(strings.TrimSpace(val[i+1:])); err == nil {
					return t
				}
			}
		case "date":
			if t, err := mail.ParseDate(strings.TrimSpace(val)); err == nil && date.IsZero() {
				date = t
			}
		}
	}
	return date
}
