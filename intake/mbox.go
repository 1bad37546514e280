package intake

import (
	"bufio"
	"bytes"
	"io"
	"net/mail"
	"strings"
	"time"
)

// ReadMbox splits an mbox archive (mboxo or mboxrd, as Google Takeout
// writes) into messages, one at a time, un-escaping ">From " lines.
func ReadMbox(r *bufio.Reader, fn func(raw []byte, fromLine time.Time) error) error {
	var (
		buf     bytes.Buffer
		at      time.Time
		started bool
	)
	flush := func() error {
		if !started {
			return nil
		}
		raw := bytes.TrimRight(buf.Bytes(), "\n")
		err := fn(append([]byte(nil), append(raw, '\n')...), at)
		buf.Reset()
		return err
	}
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			if bytes.HasPrefix(line, []byte("From ")) {
				if err := flush(); err != nil {
					return err
				}
				started, at = true, mboxFromDate(string(line))
			} else if started {
				if u := bytes.TrimLeft(line, ">"); len(u) < len(line) && bytes.HasPrefix(u, []byte("From ")) {
					line = line[1:]
				}
				buf.Write(line)
			}
		}
		if err == io.EOF {
			return flush()
		}
		if err != nil {
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
