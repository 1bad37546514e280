package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/internal/excerpt"
)

func cmdImport() *command {
	return &command{
		name: "import", args: "[--consultation SLUG] [--send-acks] [--dry-run] [--json] [--quiet] FILE...",
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
  --quiet              no progress line (shown on a terminal: messages, share of the files
                       read, rate and time left; never with --json or when output is redirected)

Importing the same file twice records nothing new. A message larger than
limits.max_message_mb (an .eml, or one message of an .mbox) is not read whole nor recorded:
it is listed as refused (disposition "refused" in --json) and the import goes on.`,
		run: runImport,
	}
}

func runImport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	cons := fs.String("consultation", "", "file under this consultation")
	acks := fs.Bool("send-acks", false, "queue acknowledgements")
	dry := fs.Bool("dry-run", false, "record and send nothing")
	asJSON := fs.Bool("json", false, "JSON lines output")
	quiet := fs.Bool("quiet", false, "no progress line")
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
	clfs, err := newStrategies(ctx, e.cfg, db, nil)
	if err != nil {
		return err
	}
	p := intake.New(db, clfs, pipelineOptions(e.cfg, e.logger().With("component", "import"), e.nowUTC))
	var total int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			total += st.Size()
		}
	}
	imp := &importer{p: p, e: e, consultation: *cons, acks: *acks, dry: *dry, json: *asJSON,
		enc: newJSONEncoder(e.stdout), seen: map[string]bool{},
		prog: e.newProgress(*quiet || *asJSON, "importing", "messages", total)}
	for _, f := range files {
		if err := imp.file(ctx, f); err != nil {
			return err
		}
	}
	imp.prog.done()
	if !*dry && imp.recorded > 0 {
		// Grouped once here rather than per message; what fails is
		// grouped by the daemon's next pass.
		if err := p.Regroup(ctx, false); err != nil {
			e.logger().Warn("imported suggestions not grouped yet; the daemon will", "err", err)
		}
	}
	if !*asJSON {
		verb := "recorded"
		if *dry {
			verb = "would record"
		}
		fmt.Fprintf(e.stdout, "%d message(s) read, %s %d, %d already in the ledger, %d acknowledgement(s) %s\n",
			imp.read, verb, imp.recorded, imp.existing, imp.acked, map[bool]string{true: "would be queued", false: "queued"}[*dry])
		if imp.refused > 0 {
			fmt.Fprintf(e.stdout, "%d message(s) refused as larger than limits.max_message_mb, listed above\n", imp.refused)
		}
	}
	return nil
}

type importer struct {
	p               *intake.Pipeline
	e               *env
	consultation    string
	acks, dry, json bool
	enc             interface{ Encode(any) error }
	seen            map[string]bool
	pending         []ledger.AckRequest // acknowledgements a dry run would have queued
	read, recorded  int
	existing, acked int
	refused         int // larger than the limit: reported, not recorded
	prog            *progress
}

// countingReader tells the progress line how much of a file was read.
type countingReader struct {
	r    io.Reader
	prog *progress
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.prog.add(0, int64(n))
	return n, err
}

func (imp *importer) file(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(&countingReader{r: f, prog: imp.prog}, 64<<10)
	head, _ := br.Peek(5)
	limit := int64(imp.e.cfg.Limits.MaxMessageMB) << 20
	if string(head) == "From " || strings.EqualFold(filepath.Ext(path), ".mbox") {
		n := 0
		return intake.ReadMbox(br, limit, func(m intake.MboxMessage) error {
			n++
			name := fmt.Sprintf("%s#%d", path, n)
			if m.Raw == nil {
				return imp.refuse(name, m.Size)
			}
			return imp.message(ctx, name, m.Raw, m.FromLine)
		})
	}
	raw, err := io.ReadAll(io.LimitReader(br, limit+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(raw)) > limit {
		size := int64(len(raw))
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		return imp.refuse(path, size)
	}
	return imp.message(ctx, path, raw, time.Time{})
}

// refuse reports a message larger than limits.max_message_mb, which is
// neither read whole nor recorded, and goes on with the rest: one
// oversized message must not stop an import.
func (imp *importer) refuse(name string, size int64) error {
	imp.read++
	imp.refused++
	why := fmt.Sprintf("larger than limits.max_message_mb (%d MB): %d MB", imp.e.cfg.Limits.MaxMessageMB, (size+1<<20-1)>>20)
	if imp.json {
		return imp.enc.Encode(messageJSON{File: name, Disposition: "refused", Reason: why, Attachments: []attachmentJSON{}})
	}
	_, err := fmt.Fprintf(imp.e.stdout, "%s\trefused: %s\n", name, why)
	return err
}

func (imp *importer) message(ctx context.Context, name string, raw []byte, fromLine time.Time) error {
	imp.read++
	imp.prog.add(1, 0)
	at := fromLine
	if at.IsZero() {
		at = intake.ReceivedDate(raw)
	}
	d := &intake.Origin{Source: intake.SourceImport, File: name, InternalDate: at, Size: int64(len(raw)),
		Consultation: imp.consultation, Acks: imp.acks || imp.dry}
	if !imp.dry {
		res, v, err := imp.p.Ingest(ctx, raw, d)
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
	v, err := imp.p.Decide(ctx, raw, d)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	exact, dup, err := imp.p.Seen(ctx, raw, v)
	if err != nil {
		return err
	}
	if exact {
		imp.existing++
		return imp.print(name, v, false, "", false, d)
	}
	dup = dup || imp.seen[v.ContentKey]
	imp.seen[v.ContentKey] = true
	imp.recorded++
	ack := false
	if req := imp.p.AckRequest(v); !dup && req != nil {
		// Nothing is recorded in a dry run: the ledger's limit is asked
		// with the acknowledgements this run would have queued.
		ok, err := imp.p.AckAllowed(ctx, req, d.InternalDate, imp.pending)
		if err != nil {
			return err
		}
		if ok {
			imp.pending = append(imp.pending, *req)
			ack = true
			imp.acked++
		}
	}
	return imp.print(name, v, dup, "", ack, d)
}

func (imp *importer) print(name string, v *intake.Verdict, dup bool, ref string, ack bool, d *intake.Origin) error {
	disp := string(v.Disposition)
	loc := imp.e.cfg.Location()
	if imp.json {
		m := v.Message
		j := messageJSON{File: name, MessageID: m.MessageID, InternalDate: d.InternalDate.In(loc).Format(time.RFC3339),
			From: m.From.Addr, FromName: m.From.Name, Text: m.Text, Disposition: disp, Reason: v.Reason, Route: v.Route,
			Ack: ack, Ref: ref, Duplicate: dup, Defects: m.Defects, Attachments: []attachmentJSON{}}
		if m.ReplyTo != nil {
			j.ReplyTo = m.ReplyTo.Addr
		}
		if m.HasSubject {
			s := m.Subject
			j.Subject = &s
		}
		if v.Consultation != nil && v.Consultation.Slug != "" {
			j.Consultation = v.Consultation.Slug
		}
		if v.Class.Label != "" && v.Joins == nil {
			c := v.Class.Confidence
			j.Measure, j.Confidence = v.Class.Label, &c
		}
		for _, a := range m.Attachments {
			j.Attachments = append(j.Attachments, attachmentJSON{a.Filename, a.ContentType, a.Size, a.SHA256, a.Refused})
		}
		return imp.enc.Encode(j)
	}
	if dup {
		disp += " (duplicate)"
	}
	_, err := fmt.Fprintf(imp.e.stdout, "%s\t%s\t%s\t%s\tack=%v\t%s\n", name, disp, orDash(v.Route), orDash(ref), ack,
		excerpt.Line(v.Message.Subject, 50))
	return err
}
