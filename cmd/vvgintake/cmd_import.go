package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func cmdImport() *command {
	return &command{
		name: "import", args: "[--consultation SLUG] [--send-acks] [--dry-run] [--json] FILE...",
		short: "take saved mail (.eml files, .mbox archives) through the pipeline",
		long: `Imports .eml files and .mbox archives (e.g. a Google Takeout export of an earlier
consultation's mail, or mail a board member forwarded late) through the same pipeline as the
mailbox, in the order given. Without INTERNALDATE the receipt time is taken from the mbox "From "
line, the last Received: header, or the Date: header.

  --consultation SLUG  file everything under this consultation whatever its window
  --send-acks          queue acknowledgements (imported mail is not acknowledged otherwise)
  --dry-run            record and send nothing; print what would be recorded, per message
  --json               one JSON object per message (file, message_id, internal_date, from,
                       reply_to, subject, text, attachments, disposition, ack, ref)

Importing the same file twice records nothing new.`,
		run: runImport,
	}
}

func runImport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	cons := fs.String("consultation", "", "file under this consultation")
	acks := fs.Bool("send-acks", false, "queue acknowledgements")
	dry := fs.Bool("dry-run", false, "record and send nothing")
	asJSON := fs.Bool("json", false, "JSON lines output")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("import needs at least one .eml or .mbox file")
	}
	db, err := e.ledger(ctx)
	if err != nil {
		return err
	}
	if *cons != "" {
		if _, err := db.Consultation(ctx, *cons); err != nil {
			return err
		}
	}
	clf, err := newClassifier(ctx, e.cfg, db)
	if err != nil {
		return err
	}
	p := &pipeline{cfg: e.cfg, db: db, clf: clf, log: e.logger().With("component", "import"), now: e.nowUTC}
	imp := &importer{p: p, e: e, consultation: *cons, acks: *acks, dry: *dry, json: *asJSON,
		enc: newJSONEncoder(e.stdout), seen: map[string]bool{}, ackCount: map[string]int{}}
	for _, f := range files {
		if err := imp.file(ctx, f); err != nil {
			return err
		}
	}
	if !*asJSON {
		verb := "recorded"
		if *dry {
			verb = "would record"
		}
		fmt.Fprintf(e.stdout, "%d message(s) read, %s %d, %d already in the ledger, %d acknowledgement(s) %s\n",
			imp.read, verb, imp.recorded, imp.existing, imp.acked, map[bool]string{true: "would be queued", false: "queued"}[*dry])
	}
	return nil
}

type importer struct {
	p               *pipeline
	e               *env
	consultation    string
	acks, dry, json bool
	enc             interface{ Encode(any) error }
	seen            map[string]bool
	ackCount        map[string]int
	read, recorded  int
	existing, acked int
}

func (imp *importer) file(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(5)
	if string(head) == "From " || strings.EqualFold(filepath.Ext(path), ".mbox") {
		n := 0
		return readMbox(br, func(raw []byte, fromLine time.Time) error {
			n++
			return imp.message(ctx, fmt.Sprintf("%s#%d", path, n), raw, fromLine)
		})
	}
	limit := int64(imp.p.cfg.Limits.MaxMessageMB) << 20
	raw, err := io.ReadAll(io.LimitReader(br, limit+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(raw)) > limit {
		return fmt.Errorf("%s is larger than limits.max_message_mb (%d MB)", path, imp.p.cfg.Limits.MaxMessageMB)
	}
	return imp.message(ctx, path, raw, time.Time{})
}

func (imp *importer) message(ctx context.Context, name string, raw []byte, fromLine time.Time) error {
	imp.read++
	at := fromLine
	if at.IsZero() {
		at = receivedDate(raw)
	}
	d := &delivery{source: "import", file: name, internalDate: at, size: int64(len(raw)),
		consultation: imp.consultation, acks: imp.acks || imp.dry}
	if !imp.dry {
		res, v, err := imp.p.ingest(ctx, raw, d)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if res.Existing {
			imp.existing++
		} else {
			imp.recorded++
		}
		if res.Acked && !res.Existing {
			imp.acked++
		}
		return imp.print(name, v, res.Duplicate, res.Ref, res.Acked && !res.Existing, d)
	}
	v, err := imp.p.decide(ctx, raw, d)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	exact, dup, err := imp.p.db.Seen(ctx, raw, v.contentKey)
	if err != nil {
		return err
	}
	if exact {
		imp.existing++
		return imp.print(name, v, false, "", false, d)
	}
	dup = dup || imp.seen[v.contentKey]
	imp.seen[v.contentKey] = true
	imp.recorded++
	ack := false
	if !dup && v.ackTo != "" {
		max := imp.p.cfg.Notify.MaxAcksPerSenderPerDay
		if max == 0 || imp.ackCount[v.ackTo] < max {
			imp.ackCount[v.ackTo]++
			ack = true
			imp.acked++
		}
	}
	return imp.print(name, v, dup, "", ack, d)
}

func (imp *importer) print(name string, v *verdict, dup bool, ref string, ack bool, d *delivery) error {
	disp := v.disposition
	loc := imp.p.cfg.Location()
	if imp.json {
		m := v.msg
		j := messageJSON{File: name, MessageID: m.MessageID, InternalDate: d.internalDate.In(loc).Format(time.RFC3339),
			From: m.From.Addr, FromName: m.From.Name, Text: m.Text, Disposition: disp, Reason: v.reason, Route: v.route,
			Ack: ack, Ref: ref, Duplicate: dup, Defects: m.Defects, Attachments: []attachmentJSON{}}
		if m.ReplyTo != nil {
			j.ReplyTo = m.ReplyTo.Addr
		}
		if m.HasSubject {
			s := m.Subject
			j.Subject = &s
		}
		if v.cons != nil && v.cons.Slug != "" {
			j.Consultation = v.cons.Slug
		}
		if v.class.Label != "" && v.joins == nil {
			c := v.class.Confidence
			j.Measure, j.Confidence = v.class.Label, &c
		}
		for _, a := range m.Attachments {
			j.Attachments = append(j.Attachments, attachmentJSON{a.Filename, a.ContentType, a.Size, a.SHA256, a.Refused})
		}
		return imp.enc.Encode(j)
	}
	if dup {
		disp += " (duplicate)"
	}
	_, err := fmt.Fprintf(imp.e.stdout, "%s\t%s\t%s\t%s\tack=%v\t%s\n", name, disp, orDash(v.route), orDash(ref), ack,
		truncate(oneLine(v.msg.Subject), 50))
	return err
}

// readMbox splits an mbox archive (mboxo or mboxrd, as Google Takeout
// writes) into messages, one at a time, un-escaping ">From " lines.
func readMbox(r *bufio.Reader, fn func(raw []byte, fromLine time.Time) error) error {
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

// receivedDate returns the time in the topmost Received: header (the
// receiving server's clock), or the Date: header, or zero.
func receivedDate(raw []byte) time.Time {
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
