package mailbox

import (
	"fmt"
	"io"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// fetchOptions asks for what the ledger needs and nothing the parser could
// choke on: ENVELOPE and BODYSTRUCTURE parse errors end go-imap connections
// on real servers (go-imap#557, #659, #704). BODY.PEEK[] leaves \Seen alone
// (RFC 3501 §6.4.5): staff read the mailbox in Gmail and \Seen is theirs.
func fetchOptions() *imap.FetchOptions {
	return &imap.FetchOptions{
		UID:          true,
		Flags:        true,
		InternalDate: true,
		RFC822Size:   true,
		BodySection:  []*imap.FetchItemBodySection{{Peek: true}},
	}
}

// fetch streams the messages of set and calls handle for each complete one
// (UID and body present), one at a time, never buffering the whole batch.
// The watchdog restarts on every chunk read, so a large message on a slow
// link is fine while a silent server is cut after CommandTimeout. If handle
// fails the connection is dropped: the rest of the response is not wanted.
func (cn *conn) fetch(set imap.NumSet, maxBytes int64, handle func(*Delivery) error) error {
	cmd := cn.c.Fetch(set, fetchOptions())
	wd := time.AfterFunc(cn.timeout, func() {
		cn.timedOut.Store(true)
		cn.abort()
	})
	defer wd.Stop()
	progress := func() { wd.Reset(cn.timeout) }

	var herr error
	literalFailed := false
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		progress()
		d, err := readFetched(msg, maxBytes, progress)
		if err != nil {
			herr, literalFailed = cn.wrapTimeout(err), true
			break
		}
		if d == nil {
			continue
		}
		// The Sink may take its time (SQLite fsync); that is not the
		// server being silent.
		wd.Stop()
		err = handle(d)
		wd.Reset(cn.timeout)
		if err != nil {
			herr = err
			break
		}
	}
	if herr != nil {
		if literalFailed {
			// Draining reads the failed literal again, racing go-imap's
			// reader goroutine on its bufio.Reader (seen with -race on a
			// cut mid-literal): let that goroutine die first.
			cn.abortAndWait()
		} else {
			// The reader goroutine may be waiting for us to take the next
			// literal; draining it (from a dead socket) lets it finish.
			cn.abort()
		}
		_ = cmd.Close()
		return herr
	}
	return cn.wrapTimeout(cmd.Close())
}

// readFetched reads one FETCH response. It returns nil when the response
// lacks the UID or the body: a flags-only update, or a message the server
// could not return; the caller notices the UID missing.
func readFetched(msg *imapclient.FetchMessageData, maxBytes int64, progress func()) (*Delivery, error) {
	d := &Delivery{}
	var gotUID, gotBody bool
	for {
		item := msg.Next()
		if item == nil {
			break
		}
		switch it := item.(type) {
		case imapclient.FetchItemDataUID:
			d.UID, gotUID = uint32(it.UID), true
		case imapclient.FetchItemDataFlags:
			d.Flags = make([]string, len(it.Flags))
			for i, f := range it.Flags {
				d.Flags[i] = string(f)
			}
		case imapclient.FetchItemDataInternalDate:
			d.InternalDate = it.Time
		case imapclient.FetchItemDataRFC822Size:
			d.Size = it.Size
		case imapclient.FetchItemDataBodySection:
			if it.Literal == nil {
				continue // BODY[] NIL
			}
			// The literal must be read now: the next msg.Next() moves the
			// stream past it and the body is lost (go-imap#667).
			raw, truncated, err := readLiteral(it.Literal, maxBytes, progress)
			if err != nil {
				return nil, fmt.Errorf("read body: %w", err)
			}
			d.Raw, d.Truncated, gotBody = raw, truncated, true
		}
	}
	if !gotUID || !gotBody {
		return nil, nil
	}
	if d.Size == 0 && !d.Truncated {
		d.Size = int64(len(d.Raw))
	}
	return d, nil
}

// readLiteral reads at most maxBytes of lit and discards the rest, so one
// huge message is delivered truncated instead of exhausting memory.
func readLiteral(lit imap.LiteralReader, maxBytes int64, progress func()) ([]byte, bool, error) {
	r := &progressReader{r: lit, progress: progress}
	n := lit.Size()
	if n > maxBytes {
		n = maxBytes
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, false, err
	}
	rest, err := io.Copy(io.Discard, r)
	if err != nil {
		return nil, false, err
	}
	return buf, rest > 0, nil
}

// progressReader calls progress after every read.
type progressReader struct {
	r        io.Reader
	progress func()
}

// Read reads from the wrapped reader and reports progress.
func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.progress()
	return n, err
}
