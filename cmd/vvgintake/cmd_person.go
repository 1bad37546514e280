package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"
	"github.com/vvgintake/vvgintake/privacy"
)

func cmdPerson() *command {
	return &command{
		name: "person", args: "find EMAIL|NAME|REF [--json] | export EMAIL --out FILE.zip | erase EMAIL|REF [--dry-run] [--yes] | erasures",
		short: "a person's data: find it, export it (GDPR Art. 15, 20), erase it everywhere (Art. 17)",
		long: `person find EMAIL|NAME|REF [--json]
    Every record that holds the person's data: suggestions, e-mails, their copies in the mailbox
    (folder and UID), attachments, web-form uploads, mail sent to them, staff notes, audit entries,
    and other people's suggestions that name them. A NAME matches without case or Lithuanian
    letters, in any order ("petraitiene ona"); a REF finds the person who sent that case.
person export EMAIL|NAME|REF --out FILE.zip
    A zip with manifest.json (format vvgintake-person-export/1, described in README.md), every
    e-mail as delivered, every attachment and upload, every mail sent to them, each file with its
    SHA-256. FILE is never overwritten.
person erase EMAIL [--dry-run] [--yes]
    Erases the person from the ledger (raw mail, attachments, address, name, text, mail sent,
    notes, the search index) and deletes their mail from the mailbox (every watched folder, the
    move_to folder; Gmail: through the Trash). Each case keeps an anonymous tombstone (reference,
    consultation, measure, decision, dates), so counts and published results stay true. The
    audit log records the erasure with a keyed hash of the address, never the address. Without
    --yes it lists what goes and asks to type the address again. --dry-run only lists. An erasure
    cut short (a crash, the mailbox unreachable) is finished by 'run' or by asking again; when
    nothing is left, it says when the address was erased. A case sent without an address (taken
    by phone or on paper) is erased by its REF.
person erasures
    Every erasure (on request and by the retention rules), unfinished ones first.`,
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) == 0 {
				return usagef("person needs a subcommand: find, export, erase or erasures")
			}
			sub, args := args[0], args[1:]
			switch sub {
			case "find":
				return personFind(ctx, e, args)
			case "export":
				return personExport(ctx, e, args)
			case "erase":
				return personErase(ctx, e, args)
			case "erasures":
				if len(args) > 0 {
					return usagef("person erasures takes no arguments")
				}
				return personErasures(ctx, e)
			}
			return usagef("person: unknown subcommand %q (find, export, erase or erasures)", sub)
		},
	}
}

// records builds the privacy view of the ledger: the mailbox to delete
// copies from (when IMAP is enabled) and the sender to render the mail
// sent (for an export).
func (e *env) records(ctx context.Context) (*privacy.Records, error) {
	db, err := e.ledger(ctx)
	if err != nil {
		return nil, err
	}
	log := e.logger().With("component", "privacy")
	opt := privacy.Options{Controller: e.cfg.Organisation.Name, Logger: log, Now: e.clock}
	if e.cfg.IMAP.Enabled {
		mo := imapOptions(ctx, e.cfg, e.logger().With("component", "imap"), e.clock, newTokenSources(db))
		opt.Mailbox = &mo
	}
	if s, err := newSender(e.cfg, db, nil, log, e.clock, nil); err == nil {
		opt.Render = renderSent(s)
	}
	return privacy.New(db, opt), nil
}

// renderSent writes a mail the VVG sent as the sender renders it, for an
// export.
func renderSent(s *notify.Sender) func(ctx context.Context, it *ledger.OutboxItem, w io.Writer) error {
	return func(ctx context.Context, it *ledger.OutboxItem, w io.Writer) error {
		msg, err := s.Render(ctx, it)
		if err != nil {
			return err
		}
		_, err = msg.WriteTo(w)
		return err
	}
}

func personFind(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("person find", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "one JSON object")
	pos, err := parseArgs(fs, args, 1, "person find takes one EMAIL, NAME or REF (quote a name with spaces)")
	if err != nil {
		return err
	}
	r, err := e.records(ctx)
	if err != nil {
		return err
	}
	p, err := r.Find(ctx, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return writePersonJSON(e.stdout, p)
	}
	printPerson(e, p)
	return nil
}

// personJSON is `person find --json`.
type personJSON struct {
	Query     string             `json:"query"`
	Addresses []string           `json:"addresses"`
	Names     []string           `json:"names"`
	Refs      []string           `json:"refs"`
	Records   []personRecordJSON `json:"records"`
	Erased    []erasureJSON      `json:"erased"`
}

type personRecordJSON struct {
	Kind     string    `json:"kind"`
	ID       int64     `json:"id"`
	Ref      string    `json:"ref"`
	At       time.Time `json:"at"`
	Detail   string    `json:"detail"`
	Folder   string    `json:"folder,omitempty"`
	UID      uint32    `json:"uid,omitempty"`
	Erasable bool      `json:"erasable"`
}

type erasureJSON struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	RequestedAt time.Time `json:"requested_at"`
	Finished    bool      `json:"finished"`
	Summary     string    `json:"summary"`
}

func writePersonJSON(w io.Writer, p *ledger.Person) error {
	out := personJSON{Query: p.Query, Addresses: nonNil(p.Addresses), Names: nonNil(p.Names), Refs: nonNil(p.Refs),
		Records: []personRecordJSON{}, Erased: []erasureJSON{}}
	for _, r := range p.Records {
		out.Records = append(out.Records, personRecordJSON{Kind: r.Kind, ID: r.ID, Ref: r.Ref, At: r.At, Detail: r.Detail,
			Folder: r.Folder, UID: r.UID, Erasable: r.Erasable})
	}
	for _, x := range p.Erased {
		out.Erased = append(out.Erased, erasureJSON{ID: x.ID, Kind: x.Kind, RequestedAt: x.RequestedAt, Finished: x.Done(), Summary: x.Summary})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// printPerson lists the records for staff.
func printPerson(e *env, p *ledger.Person) {
	loc := e.cfg.Location()
	who := strings.Join(p.Addresses, ", ")
	if len(p.Names) > 0 {
		who = strings.Join(p.Names, " / ") + " <" + who + ">"
	}
	if len(p.Records) == 0 {
		fmt.Fprintf(e.stdout, "nothing of %q is in the ledger\n", p.Query)
	} else {
		fmt.Fprintf(e.stdout, "%s\n\n", who)
		w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "KIND\tID\tREF\tWHEN\tWHAT")
		for _, r := range p.Records {
			when := "-"
			if !r.At.IsZero() {
				when = r.At.In(loc).Format("2006-01-02 15:04")
			}
			detail := r.Detail
			if r.Kind == ledger.RecordMailbox && e.cfg.IMAP.AfterIngest == "move" {
				detail += "; moved to " + e.cfg.IMAP.MoveTo + " after ingest"
			}
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\n", r.Kind, r.ID, orDash(r.Ref), when, detail)
		}
		w.Flush()
		erasable, mentions := 0, 0
		for _, r := range p.Records {
			switch {
			case r.Erasable:
				erasable++
			case r.Kind == ledger.RecordMention:
				mentions++
			}
		}
		fmt.Fprintf(e.stdout, "\n%d records; `person erase` removes %d of them and blanks the audit details that name them",
			len(p.Records), erasable)
		if mentions > 0 {
			fmt.Fprintf(e.stdout, "; %d other people's suggestions name them and stay", mentions)
		}
		fmt.Fprintln(e.stdout)
	}
	for _, x := range p.Erased {
		state := "finished"
		if !x.Done() {
			state = "unfinished"
		}
		fmt.Fprintf(e.stdout, "erased on %s (erasure #%d, %s): %s\n", x.RequestedAt.In(loc).Format("2006-01-02 15:04"), x.ID, state, x.Summary)
	}
}

func personExport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("person export", flag.ContinueOnError)
	out := fs.String("out", "", "the zip file to write (required; never overwritten)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return usagef("person export takes one EMAIL (or NAME or REF) and --out FILE.zip")
	}
	r, err := e.records(ctx)
	if err != nil {
		return err
	}
	m, err := r.Export(ctx, pos[0], *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d suggestions, %d e-mails, %d attachments, %d mails sent, %d files with their SHA-256 in manifest.json\n",
		*out, len(m.Submissions), len(m.Messages), len(m.Attachments), len(m.Sent), len(m.Files))
	return nil
}

func personErase(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("person erase", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "only list what would be erased")
	yes := fs.Bool("yes", false, "do not ask")
	pos, err := parseArgs(fs, args, 1, "person erase takes one EMAIL address (find it with `person find NAME`), or the REF of a case sent without one")
	if err != nil {
		return err
	}
	addr := ledger.NormAddress(pos[0])
	r, err := e.records(ctx)
	if err != nil {
		return err
	}
	byRef := !strings.Contains(addr, "@")
	p, err := r.Find(ctx, pos[0])
	if err != nil {
		return err
	}
	if byRef {
		if len(p.Addresses) > 0 {
			return usagef("%s was sent from %s: erase that address, so that nothing of the person is left", pos[0], strings.Join(p.Addresses, ", "))
		}
		if len(p.Refs) > 0 {
			addr = p.Refs[0]
		}
		if p.Erased == nil {
			if p.Erased, err = r.ErasuresOf(ctx, "case:"+addr); err != nil {
				return err
			}
		}
	}
	open := false
	for _, x := range p.Erased {
		open = open || !x.Done()
	}
	if len(p.Records) > 0 || *dry || !open {
		printPerson(e, p)
	}
	if *dry || len(p.Records) == 0 && !open {
		return nil // nothing left: a second erasure changes nothing
	}
	if len(p.Records) > 0 && !*yes {
		if !isTerminal(e.stdout) || e.stdin == nil {
			return usagef("person erase: add --yes to erase without asking (or run it on a terminal)")
		}
		fmt.Fprintf(e.stdout, "\nThis cannot be undone. Type %s again to erase it: ", addr)
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if !strings.EqualFold(strings.TrimSpace(line), addr) {
			return usagef("what was typed does not match; nothing was erased")
		}
	}
	erase := r.Erase
	if byRef {
		erase = r.EraseCase
	}
	res, err := erase(ctx, addr, actor(e))
	if err != nil {
		return err
	}
	return reportErasure(e, addr, res)
}

// reportErasure prints what an erasure did, and fails (exit 1) while a
// part of it waits.
func reportErasure(e *env, addr string, res *privacy.ErasureResult) error {
	if res.Erasure == nil {
		fmt.Fprintf(e.stdout, "nothing of %s is left in the ledger\n", addr)
		return nil
	}
	x := res.Erasure
	if !res.Ledger.Zero() {
		fmt.Fprintf(e.stdout, "erased from the ledger: %s (erasure #%d)\n", res.Ledger, x.ID)
	} else {
		fmt.Fprintf(e.stdout, "continuing erasure #%d: the ledger part was done before (%s)\n", x.ID, x.Summary)
	}
	switch {
	case res.MailboxErr != nil:
		return fmt.Errorf("the mailbox copies are not deleted yet (%v): `vvgintake run` deletes them when the mailbox answers, or run this command again", res.MailboxErr)
	case len(res.Left) > 0:
		fmt.Fprintf(e.stdout, "the mailbox is not configured: delete these %d copies by hand:\n", len(res.Left))
		for _, c := range res.Left {
			fmt.Fprintf(e.stdout, "  %s UID %d, Message-ID <%s>\n", orDash(c.Folder), c.UID, c.MessageID)
		}
	case res.Mailbox.Deleted > 0 || res.Mailbox.Missing > 0:
		fmt.Fprintf(e.stdout, "deleted from the mailbox: %d messages (in %s); %d were already gone\n",
			res.Mailbox.Deleted, strings.Join(res.Mailbox.Folders, ", "), res.Mailbox.Missing)
	}
	if !x.Done() {
		return fmt.Errorf("erasure #%d is not finished: %s", x.ID, orDash(x.LastError))
	}
	fmt.Fprintln(e.stdout, "the ledger's files are compacted: the erased bytes are gone from them")
	return nil
}

func personErasures(ctx context.Context, e *env) error {
	db, err := e.ledger(ctx)
	if err != nil {
		return err
	}
	open, err := db.Erasures(ctx, true, 0)
	if err != nil {
		return err
	}
	all, err := db.Erasures(ctx, false, 200)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tKIND\tREQUESTED\tBY\tSTATE\tWHAT")
	loc := e.cfg.Location()
	row := func(x *ledger.Erasure) {
		state := "finished"
		switch {
		case x.Done():
		case x.LastError != "":
			state = fmt.Sprintf("waiting (%d mailbox copies): %s", x.Copies, x.LastError)
		default:
			state = "unfinished"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", x.ID, x.Kind, x.RequestedAt.In(loc).Format("2006-01-02 15:04"), x.Actor, state, x.Summary)
	}
	for _, x := range open {
		row(x)
	}
	for _, x := range all {
		if x.Done() {
			row(x)
		}
	}
	return w.Flush()
}
