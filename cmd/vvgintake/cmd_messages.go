package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/internal/excerpt"
	"github.com/vvgintake/vvgintake/internal/filename"
)

// messageJSON is one inbound message in the contract `messages --json`
// and `import --dry-run --json` print (one object per line).
type messageJSON struct {
	ID           int64            `json:"id,omitempty"`
	File         string           `json:"file,omitempty"`
	MessageID    string           `json:"message_id"`
	InternalDate string           `json:"internal_date"`
	From         string           `json:"from"`
	FromName     string           `json:"from_name,omitempty"`
	ReplyTo      string           `json:"reply_to"`
	Subject      *string          `json:"subject"`
	Text         string           `json:"text"`
	Attachments  []attachmentJSON `json:"attachments"`
	Disposition  string           `json:"disposition"`
	Reason       string           `json:"reason,omitempty"`
	Route        string           `json:"route,omitempty"`
	Consultation string           `json:"consultation,omitempty"`
	Measure      string           `json:"measure,omitempty"`
	Confidence   *float64         `json:"confidence,omitempty"`
	Ack          bool             `json:"ack"`
	Ref          string           `json:"ref,omitempty"`
	Duplicate    bool             `json:"duplicate,omitempty"`
	Defects      []string         `json:"defects,omitempty"`
}

type attachmentJSON struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Refused     string `json:"refused,omitempty"`
}

func newJSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

func cmdMessages() *command {
	return &command{
		name: "messages", args: "[--json] [--disposition D] [--route R] | show ID | save ID DIR | assign ID SLUG",
		short: "list every message that arrived, whatever became of it",
		long: `messages [--json] [--disposition D] [--route R]
    Every ingested message in arrival order: id, received, from, disposition (suggestion, reply,
    auto-reply, bounce, list, spam, own, malformed, duplicate), route (routed, late, unrouted,
    out-of-window), ref and subject. --json prints one object per line with message_id,
    internal_date, from, reply_to, subject, text, attachments[{filename, content_type, size,
    sha256}], disposition, ack and ref.
messages show ID
    One message with its text, defects and attachments.
messages save ID DIR
    Write the message exactly as the mail server delivered it (DIR/message-ID.eml, the proof of
    receipt) and each attachment kept (DIR/ID-N-name) into DIR, checking every file against
    the SHA-256 recorded when it arrived. Existing files are never overwritten.
messages assign ID SLUG
    Turn a message that opened no case (unrouted, out of window, or wrongly taken for automatic
    mail) into a suggestion of consultation SLUG. No acknowledgement is sent.`,
		run: func(ctx context.Context, e *env, args []string) error {
			db, err := e.ledger(ctx)
			if err != nil {
				return err
			}
			if len(args) > 0 && (args[0] == "show" || args[0] == "save" || args[0] == "assign") {
				return messagesSub(ctx, e, db, args)
			}
			fs := flag.NewFlagSet("messages", flag.ContinueOnError)
			asJSON := fs.Bool("json", false, "one JSON object per line")
			disp := fs.String("disposition", "", "only this disposition")
			route := fs.String("route", "", "only this route")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 {
				return usagef("unknown messages subcommand %q", pos[0])
			}
			loc := e.cfg.Location()
			enc := newJSONEncoder(e.stdout)
			w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			if !*asJSON {
				fmt.Fprintln(w, "ID\tRECEIVED\tFROM\tDISPOSITION\tROUTE\tREF\tSUBJECT")
			}
			err = db.Messages(ctx, ledger.MessageFilter{Disposition: *disp, Route: *route}, func(m *ledger.Message) error {
				if *asJSON {
					return enc.Encode(messageToJSON(m, loc))
				}
				_, err := fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.InternalDate.In(loc).Format("2006-01-02 15:04"),
					excerpt.Line(m.FromAddr, 32), m.Disposition, orDash(m.Route), orDash(m.Ref), excerpt.Line(m.Subject, 50))
				return err
			})
			if err != nil {
				return err
			}
			if *asJSON {
				return nil
			}
			return w.Flush()
		},
	}
}

func messageToJSON(m *ledger.Message, loc *time.Location) messageJSON {
	j := messageJSON{ID: m.ID, File: m.File, MessageID: m.MessageID, InternalDate: m.InternalDate.In(loc).Format(time.RFC3339),
		From: m.FromAddr, FromName: m.FromName, ReplyTo: m.ReplyTo, Text: m.Text, Disposition: m.Disposition,
		Reason: m.Reason, Route: m.Route, Ack: m.Ack, Ref: m.Ref, Duplicate: m.DuplicateOf != 0, Defects: m.Defects,
		Attachments: []attachmentJSON{}}
	if m.HasSubject {
		s := m.Subject
		j.Subject = &s
	}
	for _, a := range m.Attachments {
		j.Attachments = append(j.Attachments, attachmentJSON{a.Filename, a.ContentType, a.Size, a.SHA256, a.Refused})
	}
	return j
}

func messagesSub(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	sub := args[0]
	args = args[1:]
	if (sub == "show" && len(args) != 1) || (sub != "show" && len(args) != 2) {
		return usagef("messages show ID | messages save ID DIR | messages assign ID SLUG")
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return usagef("message id %q is not a number", args[0])
	}
	m, err := db.MessageByID(ctx, id)
	if err != nil {
		return err
	}
	loc := e.cfg.Location()
	if sub == "save" {
		return saveMessage(ctx, e, db, m, args[1])
	}
	if sub == "show" {
		w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintf(w, "id\t%d\nsource\t%s %s %s\nreceived\t%s\nfrom\t%s <%s>\n", m.ID, m.Source, m.Account, m.Folder+m.File,
			m.InternalDate.In(loc).Format(time.DateTime), m.FromName, m.FromAddr)
		if m.ReplyTo != "" {
			fmt.Fprintf(w, "reply-to\t%s\n", m.ReplyTo)
		}
		fmt.Fprintf(w, "subject\t%s\nmessage-id\t%s\nsize\t%d bytes (sha256 %s)\n", m.Subject, orDash(m.MessageID), m.Size, m.RawSHA256)
		fmt.Fprintf(w, "disposition\t%s (%s)\nroute\t%s\nref\t%s\n", m.Disposition, orDash(m.Reason), orDash(m.Route), orDash(m.Ref))
		for _, d := range m.Defects {
			fmt.Fprintf(w, "defect\t%s\n", d)
		}
		for _, a := range m.Attachments {
			fmt.Fprintf(w, "attachment\t%s (%s, %d bytes) %s\n", a.Filename, a.ContentType, a.Size, a.Refused)
		}
		w.Flush()
		fmt.Fprintf(e.stdout, "\n%s\n", firstNonEmpty(m.Text, "(no text)"))
		return nil
	}
	c, err := db.Consultation(ctx, args[1])
	if err != nil {
		return err
	}
	p, err := e.pipeline(ctx, "messages")
	if err != nil {
		return err
	}
	s, err := p.Assign(ctx, m, c, actor(e))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "message %d is now suggestion %s of %s (measure %s)\n", id, s.Ref, c.Slug, orDash(s.Measure))
	return nil
}

// saveMessage writes a message's raw bytes and its kept attachments into
// dir, each checked against its recorded SHA-256.
func saveMessage(ctx context.Context, e *env, db *ledger.DB, m *ledger.Message, dir string) error {
	sv, err := newSaver(ctx, e, db, dir)
	if err != nil {
		return err
	}
	if err := sv.write(fmt.Sprintf("message-%d.eml", m.ID), m.RawSHA256); err != nil {
		return err
	}
	return sv.attachments(strconv.FormatInt(m.ID, 10), m.Attachments)
}

// saver writes stored content out of the ledger for staff.
type saver struct {
	ctx context.Context
	e   *env
	db  *ledger.DB
	dir string
}

func newSaver(ctx context.Context, e *env, db *ledger.DB, dir string) (*saver, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &saver{ctx, e, db, dir}, nil
}

// write saves the content with digest sha as dir/name, streamed out of
// the ledger and checked against the digest; a file that fails either is
// removed. An existing file is never overwritten.
func (s *saver) write(name, sha string) error {
	path := filepath.Join(s.dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	w := io.MultiWriter(f, h)
	n, err := intake.WriteContent(s.ctx, s.db, sha, w)
	if err == nil && hex.EncodeToString(h.Sum(nil)) != sha {
		err = fmt.Errorf("%s: stored content does not match its SHA-256 %s: the ledger is damaged", name, sha)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return err
	}
	fmt.Fprintf(s.e.stdout, "%s\t%d bytes\tsha256 %s\n", path, n, sha)
	return nil
}

// attachments saves each kept attachment as PREFIX-N-name and names the
// refused ones. The name is made safe again (internal/filename), within
// NAME_MAX with the prefix: names recorded by earlier versions may be
// long or hold bidirectional overrides. One that cannot be written does
// not stop the others; the errors come back together.
func (s *saver) attachments(prefix string, atts []ledger.Attachment) error {
	var errs []error
	for i, a := range atts {
		if a.SHA256 == "" {
			fmt.Fprintf(s.e.stdout, "%s\tnot kept: %s\n", a.Filename, a.Refused)
			continue
		}
		head := fmt.Sprintf("%s-%d-", prefix, i+1)
		name := filename.Clean(a.Filename, nameMax-len(head))
		if name == "" {
			name = "priedas"
		}
		if err := s.write(head+name, a.SHA256); err != nil {
			errs = append(errs, err)
			continue
		}
		if a.ContentType == "application/ms-tnef" {
			errs = append(errs, s.unpackTNEF(fmt.Sprintf("%s-%d", prefix, i+1), filepath.Join(s.dir, head+name)))
		}
	}
	return errors.Join(errs...)
}

// unpackTNEF writes the files inside a saved winmail.dat (Outlook's
// application/ms-tnef, which staff cannot open) beside it as
// PREFIX.K-name. The message's attachment list keeps winmail.dat as
// received; its inner files appear where staff save them.
func (s *saver) unpackTNEF(prefix, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	files, err := mailparse.TNEFFiles(data)
	for k, f := range files {
		head := fmt.Sprintf("%s.%d-", prefix, k+1)
		p := filepath.Join(s.dir, head+filename.Clean(f.Name, nameMax-len(head)))
		out, werr := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if werr == nil {
			_, werr = out.Write(f.Data)
			if cerr := out.Close(); werr == nil {
				werr = cerr
			}
		}
		if werr != nil {
			os.Remove(p)
			return werr
		}
		sum := sha256.Sum256(f.Data)
		fmt.Fprintf(s.e.stdout, "%s\t%d bytes\tsha256 %s\t(from %s)\n", p, len(f.Data), hex.EncodeToString(sum[:]), filepath.Base(path))
	}
	if err != nil {
		return fmt.Errorf("unpack %s: %w", filepath.Base(path), err)
	}
	return nil
}

// nameMax is the longest file name Linux file systems take (NAME_MAX).
const nameMax = 255
