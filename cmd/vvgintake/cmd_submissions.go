package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"

	"github.com/vvgintake/vvgintake/internal/excerpt"
)

func cmdSubmissions() *command {
	return &command{
		name: "submissions", args: "list|show|save|add|set-measure|decide|withdraw|split|merge|note|export ...",
		short: "list, correct, answer and export suggestions",
		long: `submissions list [--consultation SLUG] [--measure CODE] [--status new|reviewed|decided|withdrawn] [--late] [--on-time] [--needs-review] [--search TEXT]
    One line per suggestion: ref, date, source, measure, confidence, flags, excerpt. Withdrawn ones
    are left out unless --status withdrawn. --search finds words in the text, subject, sender's
    name and address with or without Lithuanian letters and in any ending ("savanoriu" finds
    "savanorių"), and reference numbers in any case or by number alone ("15"). --measure is a code
    of the --consultation's strategy or, without one, of any strategy.
submissions show REF
    Everything recorded about one suggestion: text, sender, attachments, replies, classification
    history, acknowledgement and decision.
submissions save REF DIR
    Write every e-mail of the case as delivered (DIR/REF-message-ID.eml) and every attachment
    kept, from mail or the web form (DIR/REF-N-name), each checked against its SHA-256.
submissions add --consultation SLUG [--text TEXT | stdin] [--name N] [--email E] [--sector S] [--received DATE] [--measure CODE] [--ack]
    Record a suggestion taken by phone or on paper. It gets a reference number and is classified
    with its consultation's strategy unless --measure (a code of that strategy) is given. --ack
    queues an acknowledgement to --email.
submissions set-measure REF CODE
    File a suggestion under another measure of its consultation's strategy; recorded as a staff
    correction that strategy's classifier learns from. CODE "kita" is other.
submissions decide REF accepted|partly|rejected --reason TEXT [--group]
    Record the VVG's decision and its reason (published with the consultation's results). The
    Lithuanian words work too: pritarta, iš dalies (is dalies), atmesta. A decision clears the
    needs-review flag; one that replaces another warns, and both stay in the history with who
    made them ('submissions show'). --group decides every suggestion of REF's near-duplicate
    group (a campaign's copies, 'vvgintake themes SLUG' lists them) at once: each keeps its own
    decision and its resident gets a letter of their own; withdrawn copies are left out.

submissions withdraw REF --reason TEXT
    Take a suggestion out of every count and report (spam, a duplicate that slipped through). It
    keeps its reference number. submissions reinstate REF puts it back.
submissions split REF [--part TEXT]... | stdin
    Cut one letter into several suggestions: the letter keeps REF with the first part, each other
    part gets its own reference; each is classified. Without --part, the parts are read from stdin,
    separated by lines of three dashes (---).
submissions merge REF INTO
    Withdraw REF as a duplicate of INTO; both name each other.
submissions note REF TEXT
    Keep an internal note on a suggestion (never sent to the resident).
submissions export --format csv|json|xlsx [--out FILE [--force]] [--headers lt|en] [--csv-separator ,|;|tab] [--quiet] [list filters]
    Export; json is one object per line with at least ref, consultation, source, received_at,
    sender, subject, text, measure, confidence, needs_review, late, status, decision, response_due;
    measure_title names the measure as the consultation's strategy does and strategy names that
    strategy ("" the default), in the last two columns of CSV and XLSX. CSV and XLSX have Lithuanian headers and words (taip/ne, atsižvelgta, Kita) for staff; --headers en
    gives the JSON field names and values, for scripts. --csv-separator ';' suits Lithuanian Excel
    (numbers then get a decimal comma). XLSX has date cells, a bold frozen header with a filter,
    column widths and wrapped text. A CSV cell a resident wrote that starts with = + - @ (a
    spreadsheet formula) gets a leading ' so that it is shown, not run. --out refuses to overwrite
    a file without --force. On a terminal a progress line shows the count; --quiet hides it.

REF is the reference in any case (VVG-2026-0042, vvg-2026-42), or its number alone (42) when only
one year has that number.`,
		run: ledgerSubcommands("submissions", []subcommand{
			{name: "list", run: submissionsList},
			{name: "show", one: submissionShow},
			{name: "save", run: submissionSave},
			{name: "add", run: submissionAdd},
			{name: "set-measure", run: submissionSetMeasure},
			{name: "decide", run: submissionDecide},
			staffAction("withdraw"), staffAction("reinstate"), staffAction("split"), staffAction("merge"), staffAction("note"),
			{name: "export", run: submissionsExport},
		}),
	}
}

// submissionSetMeasure files a suggestion under another measure: a staff
// correction its strategy's classifier learns from.
func submissionSetMeasure(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	if len(args) != 2 {
		return usagef("submissions set-measure takes REF and CODE")
	}
	// The codes are those of the suggestion's own strategy: another
	// set's 2.1 is another measure.
	cur, err := db.Submission(ctx, args[0])
	if err != nil {
		return err
	}
	st, err := e.cfg.StrategyFor(cur.Strategy)
	if err != nil {
		return fmt.Errorf("%s: consultation %s: %w", cur.Ref, cur.Consultation, err)
	}
	code, err := measureArg(st, args[1])
	if err != nil {
		return err
	}
	s, err := db.SetMeasure(ctx, cur.Ref, code, actor(e))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s filed under %s %s\n", s.Ref, s.Measure, st.MeasureTitle(s.Measure, "lt"))
	return nil
}

// submissionDecide records the VVG's decision on a suggestion or on its
// near-duplicate group.
func submissionDecide(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	fs := flag.NewFlagSet("decide", flag.ContinueOnError)
	reason := fs.String("reason", "", "why (required)")
	group := fs.Bool("group", false, "decide REF's whole near-duplicate group")
	pos, err := parseArgs(fs, args, 2, "submissions decide takes REF and accepted|partly|rejected")
	if err != nil {
		return err
	}
	// Through the pipeline: a decision may answer the resident at once
	// (results.letters = "decision", or after publication).
	p, err := e.pipeline(ctx, "decide")
	if err != nil {
		return err
	}
	if *group {
		refs, err := p.DecideGroup(ctx, pos[0], pos[1], *reason, actor(e))
		if err != nil {
			return err
		}
		d, _ := ledger.ParseDecision(pos[1])
		for _, ref := range refs {
			fmt.Fprintf(e.stdout, "%s: %s (%s)\n", ref, d, *reason)
		}
		fmt.Fprintf(e.stdout, "%d suggestion(s) of the group decided\n", len(refs))
		return nil
	}
	s, err := p.RecordDecision(ctx, pos[0], pos[1], *reason, actor(e))
	if err != nil {
		return err
	}
	if n := len(s.Decisions); n > 1 {
		// The earlier decision is kept; staff should know they changed
		// one rather than made one.
		p := s.Decisions[n-2]
		fmt.Fprintf(e.stderr, "warning: %s had the decision %s (%s) by %s on %s; it is replaced and kept in the history\n",
			s.Ref, p.Decision, p.Reason, orDash(p.Actor), p.CreatedAt.In(e.cfg.Location()).Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(e.stdout, "%s: %s (%s)\n", s.Ref, s.Decision, s.DecisionReason)
	return nil
}

// measureArg reads a measure code of strategy st given on the command
// line ("kita" for other), or says which codes there are.
func measureArg(st *config.Strategy, typed string) (string, error) {
	if code, ok := st.MeasureCode(typed); ok {
		return code, nil
	}
	has := "configured"
	if st.Name != "" {
		has = "strategy " + st.Name + " has"
	}
	return "", usagef("unknown measure code %q (%s: %s; \"kita\" is other)", typed, has, strings.Join(st.MeasureCodes(), ", "))
}

// measureTitle names a measure of a consultation's strategy in lang, for
// staff; "" when the strategy or the code is not configured.
func measureTitle(e *env, strategy, code, lang string) string {
	st, err := e.cfg.StrategyFor(strategy)
	if err != nil {
		return ""
	}
	return st.MeasureTitle(code, lang)
}

// filterFlags adds the list filters to fs. The measure is read as the
// chosen consultation's strategy names its measures or, with none chosen,
// as any strategy does.
func filterFlags(e *env, fs *flag.FlagSet) func(context.Context, *ledger.DB) (ledger.Filter, error) {
	cons := fs.String("consultation", "", "only this consultation")
	measure := fs.String("measure", "", "only this measure code")
	status := fs.String("status", "", "only new, reviewed or decided")
	late := fs.Bool("late", false, "only late ones")
	onTime := fs.Bool("on-time", false, "only on-time ones")
	review := fs.Bool("needs-review", false, "only those waiting for staff review")
	search := fs.String("search", "", "full-text search (words, a reference or its number)")
	return func(ctx context.Context, db *ledger.DB) (ledger.Filter, error) {
		f := ledger.Filter{Consultation: *cons, Status: *status, Search: strings.TrimSpace(*search)}
		if *measure != "" {
			sets := e.cfg.AllStrategies()
			if *cons != "" {
				c, err := db.Consultation(ctx, *cons)
				if err != nil {
					return f, err
				}
				st, err := e.cfg.StrategyFor(c.Strategy)
				if err != nil {
					return f, fmt.Errorf("consultation %s: %w", c.Slug, err)
				}
				sets = []*config.Strategy{st}
			}
			var codes []string
			for _, st := range sets {
				if code, ok := st.MeasureCode(*measure); ok {
					f.Measure = code
					break
				}
				for _, c := range st.MeasureCodes() {
					if !slices.Contains(codes, c) {
						codes = append(codes, c)
					}
				}
			}
			if f.Measure == "" {
				return f, usagef("--measure: unknown measure code %q (configured: %s)", *measure, strings.Join(codes, ", "))
			}
		}
		switch f.Status {
		case "", "new", "reviewed", "decided", "withdrawn":
		default:
			return f, usagef("--status: want new, reviewed, decided or withdrawn")
		}
		if *late && *onTime {
			return f, usagef("--late and --on-time exclude each other")
		}
		if *late || *onTime {
			v := *late
			f.Late = &v
		}
		if *review {
			v := true
			f.NeedsReview = &v
		}
		return f, nil
	}
}

func submissionsList(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	filter := filterFlags(e, fs)
	if _, err := parseArgs(fs, args, 0, "submissions list takes only flags"); err != nil {
		return err
	}
	f, err := filter(ctx, db)
	if err != nil {
		return err
	}
	if f.Consultation != "" {
		if _, err := db.Consultation(ctx, f.Consultation); err != nil {
			return err
		}
	}
	loc := e.cfg.Location()
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "REF\tRECEIVED\tSOURCE\tMEASURE\tCONF\tFLAGS\tTEXT")
	n := 0
	err = db.Submissions(ctx, f, func(s *ledger.Submission) error {
		n++
		var flags []string
		if s.Late {
			flags = append(flags, "late")
		}
		if s.NeedsReview {
			flags = append(flags, "review")
		}
		if s.Decision != "" {
			flags = append(flags, s.Decision)
		}
		if s.Withdrawn != "" {
			flags = append(flags, "withdrawn")
		}
		_, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%.2f\t%s\t%s\n", s.Ref, s.ReceivedAt.In(loc).Format("2006-01-02 15:04"),
			s.Source, orDash(s.Measure), s.Confidence, orDash(strings.Join(flags, ",")),
			excerpt.Line(firstNonEmpty(s.Text, s.Subject), 60))
		return err
	})
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d suggestion(s)\n", n)
	return nil
}

func submissionShow(ctx context.Context, e *env, db *ledger.DB, ref string) error {
	s, err := db.Submission(ctx, ref)
	if err != nil {
		return err
	}
	loc := e.cfg.Location()
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "ref\t%s\nconsultation\t%s\nsource\t%s\nreceived\t%s\n", s.Ref, s.Consultation, s.Source,
		s.ReceivedAt.In(loc).Format("2006-01-02 15:04:05"))
	if s.Late {
		fmt.Fprintf(w, "late\tyes (after the deadline)\n")
	}
	fmt.Fprintf(w, "sender\t%s\n", orDash(strings.TrimSpace(s.SenderName+" <"+s.SenderEmail+">")))
	if s.Sector != "" {
		fmt.Fprintf(w, "sector\t%s\n", s.Sector)
	}
	fmt.Fprintf(w, "subject\t%s\n", orDash(s.Subject))
	if s.Strategy != "" {
		fmt.Fprintf(w, "strategy\t%s\n", s.Strategy)
	}
	fmt.Fprintf(w, "measure\t%s %s (confidence %.2f)\n", orDash(s.Measure), measureTitle(e, s.Strategy, s.Measure, "lt"), s.Confidence)
	if s.Secondary != "" {
		fmt.Fprintf(w, "also\t%s %s\n", s.Secondary, measureTitle(e, s.Strategy, s.Secondary, "lt"))
	}
	if len(s.Evidence) > 0 {
		fmt.Fprintf(w, "evidence\t%s\n", strings.Join(s.Evidence, ", "))
	}
	if s.ResidentMeasure != "" {
		fmt.Fprintf(w, "resident chose\t%s\n", s.ResidentMeasure)
	}
	if s.NeedsReview {
		fmt.Fprintf(w, "needs review\tyes\n")
	}
	fmt.Fprintf(w, "status\t%s\nresponse due\t%s\n", s.Status, s.ResponseDue.Format("2006-01-02"))
	for i, d := range s.Decisions {
		label := "decision"
		if i < len(s.Decisions)-1 {
			label = "replaced decision"
		}
		fmt.Fprintf(w, "%s\t%s: %s (%s, %s)\n", label, d.Decision, d.Reason, orDash(d.Actor), d.CreatedAt.In(loc).Format("2006-01-02 15:04"))
	}
	if err := showGrouping(ctx, w, db, s); err != nil {
		return err
	}
	ack := orDash(s.AckStatus)
	if s.AckStatus == "" && s.AckWithheld != "" {
		// Not sent, and why: staff may answer the resident by hand.
		ack = "withheld: " + s.AckWithheld
	}
	fmt.Fprintf(w, "acknowledgement\t%s\n", ack)
	for _, a := range s.Attachments {
		state := "stored"
		if a.Refused != "" {
			state = "refused: " + a.Refused
		}
		fmt.Fprintf(w, "attachment\t%s (%s, %d bytes, %s)\n", a.Filename, a.ContentType, a.Size, state)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n%s\n", firstNonEmpty(s.Text, "(no text)"))
	for _, f := range s.Followups {
		fmt.Fprintf(e.stdout, "\n--- reply from %s, %s ---\n%s\n", f.From, f.ReceivedAt.In(loc).Format("2006-01-02 15:04"), f.Text)
	}
	hist, err := db.History(ctx, s.ID)
	if err != nil {
		return err
	}
	if len(hist) > 0 {
		fmt.Fprintln(e.stdout, "\nclassification history:")
		for _, h := range hist {
			fmt.Fprintf(e.stdout, "  %s  %-8s %-6s %.2f %s\n", h.CreatedAt.In(loc).Format("2006-01-02 15:04"), h.Source,
				h.Measure, h.Confidence, h.Actor)
		}
	}
	return nil
}

func submissionAdd(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	cons := fs.String("consultation", "", "consultation slug (required)")
	text := fs.String("text", "", "the suggestion (default: read from stdin)")
	name := fs.String("name", "", "resident's name")
	email := fs.String("email", "", "resident's e-mail address")
	sector := fs.String("sector", "", "resident, ngo, business or public")
	received := fs.String("received", "", "when it was received (date or date and time; default now)")
	measure := fs.String("measure", "", "file under this measure instead of classifying")
	ack := fs.Bool("ack", false, "queue an acknowledgement to --email")
	if _, err := parseArgs(fs, args, 0, "submissions add takes only flags (the text with --text or on stdin)"); err != nil {
		return err
	}
	if *cons == "" {
		return usagef("--consultation is required")
	}
	c, err := db.Consultation(ctx, *cons)
	if err != nil {
		return err
	}
	body := *text
	if body == "" {
		b, err := io.ReadAll(io.LimitReader(bufio.NewReader(e.stdin), 1<<20))
		if err != nil {
			return err
		}
		body = string(b)
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return usagef("the suggestion text is empty (give --text or pipe it on stdin)")
	}
	switch *sector {
	case "", "resident", "ngo", "business", "public":
	default:
		return usagef("--sector: want resident, ngo, business or public")
	}
	if *email != "" {
		if err := config.CheckAddress(*email); err != nil {
			return usagef("--email: %v", err)
		}
	}
	if *ack && *email == "" {
		return usagef("--ack needs --email")
	}
	at := e.clock()
	if *received != "" {
		var d config.Deadline
		if err := d.UnmarshalText([]byte(*received)); err != nil {
			return usagef("--received: %v", err)
		}
		at = d.Time(e.cfg.Location(), false)
	}
	if *measure != "" {
		st, err := e.cfg.StrategyFor(c.Strategy)
		if err != nil {
			return fmt.Errorf("consultation %s: %w", c.Slug, err)
		}
		if *measure, err = measureArg(st, *measure); err != nil {
			return err
		}
	}
	p, err := e.pipeline(ctx, "submissions")
	if err != nil {
		return err
	}
	s, err := p.AddStaff(ctx, intake.StaffEntry{Consultation: c, ReceivedAt: at, Name: *name, Email: *email,
		Sector: *sector, Text: body, Measure: *measure, Ack: *ack, Actor: actor(e)})
	if err != nil {
		return err
	}
	late := ""
	if s.Late {
		late = " (late)"
	}
	fmt.Fprintf(e.stdout, "recorded %s%s under %s %s, response due %s\n", s.Ref, late, orDash(s.Measure),
		measureTitle(e, s.Strategy, s.Measure, "lt"), s.ResponseDue.Format("2006-01-02"))
	return nil
}

func submissionsExport(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", "", "csv, json or xlsx (required)")
	out := fs.String("out", "", "write to this file instead of stdout")
	force := fs.Bool("force", false, "overwrite --out if it exists")
	headers := fs.String("headers", ledger.HeadersLT, "lt (Lithuanian headers and words) or en (field names, for scripts)")
	sep := fs.String("csv-separator", ",", `csv field separator: "," or ";" (Lithuanian Excel) or "tab"`)
	quiet := fs.Bool("quiet", false, "no progress line")
	filter := filterFlags(e, fs)
	if _, err := parseArgs(fs, args, 0, "submissions export takes only flags"); err != nil {
		return err
	}
	switch *format {
	case "csv", "json", "xlsx":
	case "":
		return usagef("--format is required: csv, json or xlsx")
	default:
		return usagef("--format: want csv, json or xlsx, got %q", *format)
	}
	if *headers != ledger.HeadersLT && *headers != ledger.HeadersEN {
		return usagef("--headers: want lt or en, got %q", *headers)
	}
	comma, err := separatorArg(*sep)
	if err != nil {
		return err
	}
	if comma != ',' && *format != "csv" {
		return usagef("--csv-separator is for --format csv")
	}
	f, err := filter(ctx, db)
	if err != nil {
		return err
	}
	if *format == "xlsx" && *out == "" && isTerminal(e.stdout) {
		return usagef("--format xlsx writes a binary file: give --out FILE")
	}
	opt := ledger.ExportOptions{Format: *format, Filter: f, Headers: *headers, Comma: comma,
		MeasureTitle: func(strategy, code string) string { return measureTitle(e, strategy, code, *headers) }}
	if *out == "" {
		_, err = db.Export(ctx, e.stdout, opt)
		return err
	}
	if !*force {
		if _, err := os.Stat(*out); err == nil {
			return usagef("%s exists: give --force to overwrite it, or another --out", *out)
		}
	}
	prog := e.newProgress(*quiet, "exporting", "suggestions", 0)
	opt.Progress = func(int) { prog.add(1, 0) }
	// Write next to the target and rename, so a failed export never
	// leaves half a file under the requested name.
	tmp, err := os.CreateTemp(dirOf(*out), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	n, err := db.Export(ctx, tmp, opt)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	prog.done()
	fmt.Fprintf(e.stderr, "exported %d suggestion(s) to %s\n", n, *out)
	return nil
}

// separatorArg reads --csv-separator.
func separatorArg(s string) (rune, error) {
	switch s {
	case ",", "":
		return ',', nil
	case ";":
		return ';', nil
	case "tab", "\\t", "\t":
		return '\t', nil
	}
	return 0, usagef(`--csv-separator: want "," or ";" or "tab", got %q`, s)
}

func dirOf(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i+1]
	}
	return "."
}

// now returns the command's clock in UTC.
func (e *env) nowUTC() time.Time { return e.clock().UTC() }

// submissionSave writes a case's e-mails and attachments into a
// directory.
func submissionSave(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	if len(args) != 2 {
		return usagef("submissions save takes REF and DIR")
	}
	ref, dir := args[0], args[1]
	s, err := db.Submission(ctx, ref)
	if err != nil {
		return err
	}
	sv, err := newSaver(ctx, e, db, dir)
	if err != nil {
		return err
	}
	for _, id := range s.MessageRows {
		m, err := db.MessageByID(ctx, id)
		if err != nil {
			return err
		}
		if err := sv.write(fmt.Sprintf("%s-message-%d.eml", s.Ref, m.ID), m.RawSHA256); err != nil {
			return err
		}
	}
	return sv.attachments(s.Ref, s.Attachments)
}

// staffAction is the subcommand of submissionsStaff's action sub.
func staffAction(sub string) subcommand {
	return subcommand{name: sub, run: func(ctx context.Context, e *env, db *ledger.DB, args []string) error {
		return submissionsStaff(ctx, e, db, sub, args)
	}}
}

// submissionsStaff runs the staff actions the console has too: withdraw,
// reinstate, split, merge and note, through the same ledger and pipeline
// rules.
func submissionsStaff(ctx context.Context, e *env, db *ledger.DB, sub string, args []string) error {
	fs := flag.NewFlagSet(sub, flag.ContinueOnError)
	reason := fs.String("reason", "", "why (withdraw)")
	var parts multiFlag
	fs.Var(&parts, "part", "one part (split; repeat)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch sub {
	case "withdraw":
		if len(pos) != 1 {
			return usagef("submissions withdraw takes REF and --reason TEXT")
		}
		if strings.TrimSpace(*reason) == "" {
			return usagef("--reason is required (spam, duplicate, ...)")
		}
		s, err := db.Withdraw(ctx, pos[0], *reason, actor(e))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s withdrawn from every count and report (%s)\n", s.Ref, s.Withdrawn)
	case "reinstate":
		if len(pos) != 1 {
			return usagef("submissions reinstate takes REF")
		}
		s, err := db.Reinstate(ctx, pos[0], actor(e))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s counts again\n", s.Ref)
	case "merge":
		if len(pos) != 2 {
			return usagef("submissions merge takes REF and INTO")
		}
		s, err := db.Merge(ctx, pos[0], pos[1], actor(e))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s merged into %s as a duplicate\n", pos[0], s.Ref)
	case "note":
		if len(pos) != 2 {
			return usagef("submissions note takes REF and TEXT")
		}
		if err := db.AddNote(ctx, pos[0], pos[1], actor(e)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "note added to %s\n", pos[0])
	case "split":
		if len(pos) != 1 {
			return usagef("submissions split takes REF and the parts (--part, or stdin separated by ---)")
		}
		if len(parts) == 0 {
			b, err := io.ReadAll(io.LimitReader(e.stdin, 1<<20))
			if err != nil {
				return err
			}
			parts = intake.SplitParts(string(b))
		}
		p, err := e.pipeline(ctx, "submissions")
		if err != nil {
			return err
		}
		subs, err := p.Split(ctx, pos[0], parts, actor(e))
		if err != nil {
			return err
		}
		for _, s := range subs {
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", s.Ref, orDash(s.Measure), excerpt.Line(s.Text, 60))
		}
	}
	return nil
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " | ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
