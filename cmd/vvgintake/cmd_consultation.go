package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

func cmdConsultation() *command {
	return &command{
		name: "consultation", args: "create|list|show|open|close|report|decide-status|publish|results ...",
		short: "set up, open, close, report and publish consultations",
		long: `consultation create SLUG --title TEXT --opens DATE --closes DATE [--strategy NAME] [--description TEXT] [--title-en TEXT] [--description-en TEXT] [--keywords a,b]
    Record a new consultation as a draft. DATE is "2026-12-13" (a whole day in the VVG's zone:
    a closing date accepts suggestions until 23:59:59) or "2026-12-13T17:00". --title-en and
    --description-en are shown to residents who chose English (else the Lithuanian ones are).
    --strategy names the [[strategies]] entry whose measures its suggestions are filed under;
    without it, the default (the top-level [[measures]], or the one [[strategies]] entry there
    is). It cannot change once suggestions are filed.
consultation list
    Every consultation with its status, window, response date, number of suggestions and, when
    the configuration has [[strategies]], its strategy.
consultation show SLUG
    One consultation with its strategy and its totals per measure of that strategy.
consultation open SLUG
consultation close SLUG
    Open or close by hand (the daemon does both on the configured dates). Closing queues the
    closing report to staff (and the board when notify.report_to_board is true): what came in.
    Lifecycle: draft → open → closed → decided (every suggestion that counts has a decision;
    a late one makes it closed again) → published (consultation publish).
consultation report SLUG
    Print the closing report: totals, per measure, every suggestion with ref, date, late flag
    and decision.
` + outcomeHelp,
		run: ledgerSubcommands("consultation", []subcommand{
			{name: "create", run: consultationCreate},
			{name: "list", run: consultationList},
			{name: "show", one: consultationShow},
			{name: "open", one: consultationStatus(ledger.StatusOpen)},
			{name: "close", one: consultationStatus(ledger.StatusClosed)},
			{name: "report", one: writeReport},
			{name: "decide-status", one: decideStatus},
			{name: "publish", run: publish},
			{name: "results", run: resultsFile},
		}),
	}
}

// consultationStatus opens or closes a consultation by hand; closing
// queues the closing report.
func consultationStatus(status string) func(ctx context.Context, e *env, db *ledger.DB, slug string) error {
	return func(ctx context.Context, e *env, db *ledger.DB, slug string) error {
		var items []*ledger.OutboxItem
		if status == ledger.StatusClosed {
			items = e.cfg.Recipients().ClosingReport(slug)
		}
		c, err := db.SetConsultationStatus(ctx, slug, status, actor(e), items...)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "consultation %s is now %s\n", c.Slug, c.Status)
		if len(items) > 0 {
			fmt.Fprintf(e.stdout, "closing report queued for %s\n", strings.Join(items[0].Recipients, ", "))
		}
		return nil
	}
}

func oneArg(what string, args []string) (string, error) {
	if len(args) != 1 {
		return "", usagef("%s takes exactly one argument", what)
	}
	return args[0], nil
}

// actor names who ran a staff command, for the audit log: --actor, else
// the Unix user.
func actor(e *env) string {
	if e.actor != "" {
		return e.actor
	}
	if u := lookupEnv(e.environ, "USER"); u != "" {
		return u
	}
	return "staff"
}

func consultationCreate(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	fs := flag.NewFlagSet("consultation create", flag.ContinueOnError)
	title := fs.String("title", "", "title shown to residents (required)")
	desc := fs.String("description", "", "what is being consulted")
	titleEN := fs.String("title-en", "", "the title on English pages and in English mail")
	descEN := fs.String("description-en", "", "the description on English pages")
	opens := fs.String("opens", "", "first day (or date and time) suggestions are taken (required)")
	closes := fs.String("closes", "", "deadline: last day (or date and time) (required)")
	kw := fs.String("keywords", "", "comma-separated subject words for routing")
	strategy := fs.String("strategy", "", "the [[strategies]] entry whose measures it files under (default: the default strategy)")
	pos, err := parseArgs(fs, args, 1, "consultation create takes one SLUG")
	if err != nil {
		return err
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"--title", *title}, {"--opens", *opens}, {"--closes", *closes}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return usagef("%s required", strings.Join(missing, ", ")+map[bool]string{true: " is", false: " are"}[len(missing) == 1])
	}
	var o, c config.Deadline
	if err := o.UnmarshalText([]byte(*opens)); err != nil {
		return usagef("--opens: %v", err)
	}
	if err := c.UnmarshalText([]byte(*closes)); err != nil {
		return usagef("--closes: %v", err)
	}
	st, err := e.cfg.StrategyFor(*strategy)
	if err != nil {
		return usagef("--strategy: %v", err)
	}
	k := &ledger.Consultation{Slug: pos[0], Title: *title, Description: *desc, TitleEN: *titleEN, DescriptionEN: *descEN,
		OpensAt: o.Time(e.cfg.Location(), false), ClosesAt: c.Time(e.cfg.Location(), true), Strategy: st.Name}
	for _, w := range strings.Split(*kw, ",") {
		if w = strings.TrimSpace(w); w != "" {
			k.SubjectKeywords = append(k.SubjectKeywords, w)
		}
	}
	if err := db.CreateConsultation(ctx, k, actor(e)); err != nil {
		return err
	}
	loc := e.cfg.Location()
	on := ""
	if k.Strategy != "" {
		on = ", strategy " + k.Strategy
	}
	fmt.Fprintf(e.stdout, "created consultation %s (draft%s): %s – %s, responses due %s\n", k.Slug, on,
		k.OpensAt.In(loc).Format("2006-01-02 15:04"), deadline(k.ClosesAt, loc),
		k.ResponseDue.Format("2006-01-02"))
	return nil
}

func consultationList(ctx context.Context, e *env, db *ledger.DB, _ []string) error {
	cs, err := db.Consultations(ctx)
	if err != nil {
		return err
	}
	loc := e.cfg.Location()
	// The strategy column appears once there is more than one strategy
	// (or a consultation names one): scripts reading the old columns of a
	// one-strategy VVG see them unchanged.
	strategies := len(e.cfg.Strategies) > 0
	for _, c := range cs {
		strategies = strategies || c.Strategy != ""
	}
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	head := "SLUG\tSTATUS\tOPENS\tCLOSES\tRESPONSES DUE\tSUGGESTIONS\t"
	if strategies {
		head += "STRATEGY\t"
	}
	fmt.Fprintln(w, head+"TITLE")
	for _, c := range cs {
		t, err := db.Totals(ctx, c.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t", c.Slug, c.Status, c.OpensAt.In(loc).Format("2006-01-02 15:04"),
			deadline(c.ClosesAt, loc), c.ResponseDue.Format("2006-01-02"), t.Total)
		if strategies {
			fmt.Fprintf(w, "%s\t", orDash(c.Strategy))
		}
		fmt.Fprintf(w, "%s\n", c.Title)
	}
	return w.Flush()
}

func consultationShow(ctx context.Context, e *env, db *ledger.DB, slug string) error {
	c, err := db.Consultation(ctx, slug)
	if err != nil {
		return err
	}
	t, err := db.Totals(ctx, c.ID)
	if err != nil {
		return err
	}
	counts, err := db.CountByMeasure(ctx, c.ID, 0, 0)
	if err != nil {
		return err
	}
	loc := e.cfg.Location()
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "slug\t%s\ntitle\t%s\nstatus\t%s\n", c.Slug, c.Title, c.Status)
	if c.Description != "" {
		fmt.Fprintf(w, "description\t%s\n", c.Description)
	}
	fmt.Fprintf(w, "opens\t%s\ncloses\t%s\nresponses due\t%s\n", c.OpensAt.In(loc).Format(time.DateTime),
		deadline(c.ClosesAt, loc), c.ResponseDue.Format(time.DateOnly))
	st, err := e.cfg.StrategyFor(c.Strategy)
	if c.Strategy != "" || len(e.cfg.Strategies) > 0 {
		label := c.Strategy + " (not in the configuration)"
		if err == nil {
			label = st.Label()
		}
		fmt.Fprintf(w, "strategy\t%s\n", label)
	}
	fmt.Fprintf(w, "suggestions\t%d (late %d, needs review %d, decided %d, answered %d)\n", t.Total, t.Late, t.NeedsReview, t.Decided, t.Answered)
	if st != nil {
		for _, m := range st.Measures {
			fmt.Fprintf(w, "  %s\t%d\t%s\n", m.Code, counts[m.Code], m.Title)
		}
	}
	if n := counts[""]; n > 0 {
		fmt.Fprintf(w, "  (unfiled)\t%d\t\n", n)
	}
	return w.Flush()
}

// writeReport prints the closing report of a consultation as the mail
// to staff words it (notify renders both).
func writeReport(ctx context.Context, e *env, db *ledger.DB, slug string) error {
	sender, err := newSender(e.cfg, db, nil, e.logger(), e.now, nil)
	if err != nil {
		return err
	}
	text, err := sender.ReportText(ctx, slug)
	if err != nil {
		return err
	}
	_, err = io.WriteString(e.stdout, text)
	return err
}

// deadline shows a consultation's end as people read it: a deadline kept
// as the following midnight (exclusive) is "2026-12-13 23:59".
func deadline(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		t = t.Add(-time.Minute)
	}
	return t.Format("2006-01-02 15:04")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// errIs is errors.Is, shortened for command code.
func errIs(err, target error) bool { return errors.Is(err, target) }
