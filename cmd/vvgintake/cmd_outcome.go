package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/results"
)

// The outcome of a consultation from the command line: how far its
// decisions are (decide-status), publishing its results with the
// decision letters (publish), and its results table as a file (results).
// The rules are intake's (who gets a letter), results' (the plan, the
// table) and the ledger's (the lifecycle); this wires them.

const outcomeHelp = `consultation decide-status SLUG
    How far the decisions are: suggestions decided and not, in the results table's words
    (atsižvelgta, iš dalies atsižvelgta, neatsižvelgta); who will get a decision letter and who
    cannot (no address, an automatic or no-reply address, sender authentication failed); the
    letters queued, sent and failed; how many residents are answered; the redactions staff
    reviewed. Withdrawn suggestions are counted apart and get neither a letter nor a row.
consultation publish SLUG [--dry-run [--out DIR]]
    Publish the results once every suggestion that counts has a decision: the consultation
    becomes published, a decision letter is queued for each resident with an address (once,
    ever; results.letters decides when), the others are answered by the published table, the
    redactions are frozen, and the results report goes to staff and the board. --dry-run changes
    nothing and writes every letter as REF.eml, the results report and the table (HTML, PDF) into
    DIR (default ./SLUG-publish) for a last look.
consultation results SLUG --format html|pdf|xlsx|csv --out FILE [--csv-separator ,|;|tab] [--lang lt|en] [--by-theme]
    The results table (pasiūlymų vertinimo lentelė), personal data hidden: HTML for the website
    (prints as A4 landscape), PDF (A4 landscape), XLSX, or CSV (';' suits Lithuanian Excel).
    Before publication it is marked as a draft. An existing FILE is never overwritten. --by-theme
    orders the rows by measure, then by theme (what many residents asked for together, the largest
    first; see 'vvgintake themes'), and adds a column naming each row's theme.`

// letterRule is the pipeline's rule for decision letters.
func letterRule(ctx context.Context, e *env) (results.LetterRule, error) {
	p, err := e.pipeline(ctx, "publish")
	if err != nil {
		return nil, err
	}
	return p.LetterTo, nil
}

func decideStatus(ctx context.Context, e *env, db *ledger.DB, slug string) error {
	rule, err := letterRule(ctx, e)
	if err != nil {
		return err
	}
	p, err := results.MakePlan(ctx, db, slug, rule)
	if err != nil {
		return err
	}
	c, o := p.Consultation, p.Outcome
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "consultation\t%s – %s\n", c.Slug, c.Title)
	fmt.Fprintf(w, "status\t%s\n", c.Status)
	fmt.Fprintf(w, "suggestions\t%d that count (%d withdrawn: no letter, no row)\n", o.Total, o.Withdrawn)
	fmt.Fprintf(w, "decided\t%d: %s %d, %s %d, %s %d\n", o.Decided, results.DecisionWords("lt", "accepted"), o.Accepted,
		results.DecisionWords("lt", "partly"), o.Partly, results.DecisionWords("lt", "rejected"), o.Rejected)
	fmt.Fprintf(w, "undecided\t%d\t%s\n", o.Undecided, refsLine(o.UndecidedRefs, o.Undecided))
	if c.Status == ledger.StatusPublished {
		fmt.Fprintf(w, "letters\t%d queued, %d sent, %d failed (answer those by hand: vvgintake outbox)\n",
			o.LettersQueued, o.LettersSent, o.LettersFailed)
	} else {
		fmt.Fprintf(w, "letters\t%d to residents with an address (%s); %d without one, answered by the published table\n",
			len(p.Letters), lettersWhen(e), len(p.Without))
		if o.LettersQueued+o.LettersSent+o.LettersFailed > 0 {
			fmt.Fprintf(w, "\t%d queued, %d sent, %d failed already\n", o.LettersQueued, o.LettersSent, o.LettersFailed)
		}
	}
	for _, l := range p.Without {
		fmt.Fprintf(w, "  %s\tno letter: %s\n", l.Ref, l.Why)
	}
	fmt.Fprintf(w, "answered\t%d of %d\t%s\n", o.Answered, o.Total, refsLine(o.UnansweredRef, o.Total-o.Answered))
	staff, frozen, stale := 0, 0, 0
	err = db.ResultRows(ctx, c.ID, func(r *ledger.ResultRow) error {
		switch _, source := results.Spans(r); source {
		case results.SpansStaff:
			staff++
		case results.SpansFrozen:
			frozen++
		case results.SpansStale:
			stale++
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "redactions\t%d reviewed by staff, %d frozen at publication, %d found by the detector", staff, frozen, o.Total-staff-frozen-stale)
	if stale > 0 {
		fmt.Fprintf(w, ", %d made on an earlier text (review them in the console)", stale)
	}
	fmt.Fprintln(w)
	if ok, why := p.Ready(); ok {
		fmt.Fprintf(w, "next\tvvgintake consultation publish %s --dry-run, then without --dry-run\n", c.Slug)
	} else if c.Status == ledger.StatusPublished {
		fmt.Fprintf(w, "published\t%s; the table: vvgintake consultation results %s --format pdf --out FILE\n",
			c.PublishedAt.In(e.cfg.Location()).Format("2006-01-02 15:04"), c.Slug)
	} else {
		fmt.Fprintf(w, "next\tnot publishable: %s\n", why)
	}
	return w.Flush()
}

// refsLine lists references, saying how many more there are.
func refsLine(refs []string, total int) string {
	if len(refs) == 0 {
		return ""
	}
	s := strings.Join(refs, " ")
	if more := total - len(refs); more > 0 {
		s += fmt.Sprintf(" … and %d more", more)
	}
	return s
}

// lettersWhen says when the letters go, from results.letters.
func lettersWhen(e *env) string {
	switch e.cfg.Results.Letters {
	case intake.LettersOnDecision:
		return "each as soon as its decision is recorded"
	case intake.LettersOff:
		return "letters are off"
	}
	return "when the results are published"
}

func publish(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	fs := flag.NewFlagSet("consultation publish", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "change nothing; write the letters, the report and the table into --out")
	out := fs.String("out", "", "directory for --dry-run (default ./SLUG-publish)")
	pos, err := parseArgs(fs, args, 1, "consultation publish takes one SLUG")
	if err != nil {
		return err
	}
	slug := pos[0]
	if *out != "" && !*dry {
		return usagef("--out is for --dry-run")
	}
	rule, err := letterRule(ctx, e)
	if err != nil {
		return err
	}
	if *dry {
		return publishPreview(ctx, e, db, slug, rule, *out)
	}
	report := e.cfg.Recipients().Results(slug)
	pub, _, err := results.Publish(ctx, db, slug, rule, report, actor(e))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "consultation %s is published: %d decision letter(s) queued", slug, pub.Letters)
	if pub.Earlier > 0 {
		fmt.Fprintf(e.stdout, " (%d queued before)", pub.Earlier)
	}
	fmt.Fprintf(e.stdout, ", %d suggestion(s) without an address answered by the published table\n", pub.Unlettered)
	if len(report) > 0 {
		fmt.Fprintf(e.stdout, "results report queued for %s\n", strings.Join(report[0].Recipients, ", "))
	}
	fmt.Fprintf(e.stdout, "the results table: vvgintake consultation results %s --format pdf --out %s-rezultatai.pdf\n", slug, slug)
	if !e.cfg.SMTP.Enabled {
		fmt.Fprintln(e.stdout, "SMTP is disabled: `vvgintake run` sends the queued mail once smtp.enabled = true")
	}
	return nil
}

// publishPreview writes what publishing would send, changing nothing.
func publishPreview(ctx context.Context, e *env, db *ledger.DB, slug string, rule results.LetterRule, dir string) error {
	p, err := results.MakePlan(ctx, db, slug, rule)
	if err != nil {
		return err
	}
	if dir == "" {
		dir = slug + "-publish"
	}
	// Letters quote residents' words and name them: owner only.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	sender, err := newSender(e.cfg, db, nil, e.logger(), e.now, nil)
	if err != nil {
		return err
	}
	for _, l := range p.Letters {
		msg, err := sender.PreviewDecision(ctx, l.SubmissionID, l.To)
		if err != nil {
			return fmt.Errorf("letter for %s: %w", l.Ref, err)
		}
		if err := writeEML(filepath.Join(dir, l.Ref+".eml"), msg); err != nil {
			return err
		}
	}
	tb, err := results.Build(ctx, db, slug, sender.ResultsOptions())
	if err != nil {
		return err
	}
	for _, format := range []string{"html", "pdf"} {
		if err := writeResults(filepath.Join(dir, slug+"-rezultatai."+format), tb, format, 0, true); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "dry run: nothing published, nothing queued\n")
	fmt.Fprintf(e.stdout, "%d decision letter(s) written to %s (REF.eml); %d suggestion(s) without a letter:\n", len(p.Letters), dir, len(p.Without))
	for _, l := range p.Without {
		fmt.Fprintf(e.stdout, "  %s: %s\n", l.Ref, l.Why)
	}
	fmt.Fprintf(e.stdout, "the table: %s\n", filepath.Join(dir, slug+"-rezultatai.html")+", .pdf")
	if ok, why := p.Ready(); !ok {
		fmt.Fprintf(e.stdout, "not publishable yet: %s\n", why)
	}
	return nil
}

// writeEML writes one message, readable by its owner only.
func writeEML(path string, msg *gomail.Msg) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := msg.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

func resultsFile(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	fs := flag.NewFlagSet("consultation results", flag.ContinueOnError)
	format := fs.String("format", "", "html, pdf, xlsx or csv (required)")
	out := fs.String("out", "", "the file to write (required; never overwritten)")
	sep := fs.String("csv-separator", ",", `csv field separator: "," or ";" (Lithuanian Excel) or "tab"`)
	lang := fs.String("lang", "", "lt or en (default: organisation.language)")
	byTheme := fs.Bool("by-theme", false, "order the rows by measure and theme, with a theme column")
	pos, err := parseArgs(fs, args, 1, "consultation results takes one SLUG")
	if err != nil {
		return err
	}
	switch *format {
	case "html", "pdf", "xlsx", "csv":
	case "":
		return usagef("--format is required: html, pdf, xlsx or csv")
	default:
		return usagef("--format: want html, pdf, xlsx or csv, got %q", *format)
	}
	if *out == "" {
		return usagef("--out FILE is required")
	}
	comma, err := separatorArg(*sep)
	if err != nil {
		return err
	}
	if comma != ',' && *format != "csv" {
		return usagef("--csv-separator is for --format csv")
	}
	if *lang != "" && *lang != "lt" && *lang != "en" {
		return usagef("--lang: want lt or en, got %q", *lang)
	}
	if _, err := os.Lstat(*out); err == nil {
		return usagef("%s exists: results never overwrites a file; give another --out", *out)
	}
	sender, err := newSender(e.cfg, db, nil, e.logger(), e.now, nil)
	if err != nil {
		return err
	}
	opt := sender.ResultsOptions()
	if *lang != "" {
		opt.Lang = *lang
	}
	if opt.ByTheme = *byTheme; *byTheme {
		// The themes as they stand now, suggestions recorded since the
		// last grouping included.
		p, err := e.pipeline(ctx, "results")
		if err != nil {
			return err
		}
		if err := p.Regroup(ctx, false); err != nil {
			return err
		}
	}
	tb, err := results.Build(ctx, db, pos[0], opt)
	if err != nil {
		return err
	}
	if err := writeResults(*out, tb, *format, comma, false); err != nil {
		return err
	}
	state := "published " + tb.PublishedAt.Format("2006-01-02")
	if tb.PublishedAt.IsZero() {
		state = "a draft: not published yet"
	}
	fmt.Fprintf(e.stderr, "wrote the results table of %s (%d suggestions, %s) to %s\n", pos[0], len(tb.Rows), state, *out)
	return nil
}

// writeResults renders the table into path through a temporary file
// beside it, so a failure never leaves half a file under the name; it
// refuses an existing file unless replace.
func writeResults(path string, tb *results.Table, format string, comma rune, replace bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".results-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = tb.Write(tmp, format, comma)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if replace {
		return os.Rename(tmp.Name(), path)
	}
	// A hard link fails when path exists: no window in which a file
	// that appeared meanwhile is replaced.
	if err := os.Link(tmp.Name(), path); err != nil {
		if os.IsExist(err) {
			return usagef("%s exists: results never overwrites a file; give another --out", path)
		}
		return err
	}
	return nil
}
