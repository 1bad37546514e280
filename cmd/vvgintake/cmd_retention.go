package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/vvgintake/vvgintake/ledger"
)

func cmdRetention() *command {
	return &command{
		name: "retention", args: "[--dry-run]",
		short: "apply the retention rules now ([retention]; `run` does it hourly)",
		long: `Applies the rules of [retention] that are due: raw_mail_months after a consultation's results
are published (or its last suggestion decided, whichever is later) its raw e-mails and
attachments are deleted; personal_data_months after, each suggestion is left as an anonymous
record (reference, consultation, measure, decision, dates); case_months after, those records go
too (0: never). Mail in no consultation counts from its arrival. With retention.mailbox the
purged mail is deleted from the mailbox as well. Each step is an erasure in the audit log and a
line in the weekly digest; 'run' applies the rules hourly.

  --dry-run   list what is due, change nothing`,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := flag.NewFlagSet("retention", flag.ContinueOnError)
			dry := fs.Bool("dry-run", false, "list what is due, change nothing")
			if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
				return usagef("retention takes only --dry-run")
			}
			rules, on := e.cfg.RetentionRules()
			if !on {
				fmt.Fprintln(e.stdout, "retention is off (retention.enabled = false): nothing is purged by rule")
				return nil
			}
			r, err := e.records(ctx)
			if err != nil {
				return err
			}
			if *dry {
				due, err := r.RetentionDue(ctx, rules)
				if err != nil {
					return err
				}
				printRetention(e, due, "due")
				return nil
			}
			res, err := r.Retain(ctx, rules)
			var steps []ledger.RetentionStep
			waiting := 0
			for _, s := range res {
				steps = append(steps, s.RetentionStep)
				if s.MailboxErr != nil {
					waiting++
				}
			}
			printRetention(e, steps, "applied")
			if waiting > 0 && err == nil {
				err = fmt.Errorf("%d steps' mailbox copies are not deleted yet: `vvgintake run` deletes them when the mailbox answers", waiting)
			}
			return err
		},
	}
}

func printRetention(e *env, steps []ledger.RetentionStep, what string) {
	if len(steps) == 0 {
		fmt.Fprintf(e.stdout, "nothing is %s\n", what)
		return
	}
	loc := e.cfg.Location()
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "CONSULTATION\tRULE\tSINCE\tDUE\tCASES\tMESSAGES\tREMOVED")
	for _, s := range steps {
		removed := "-"
		if !s.Counts.Zero() {
			removed = s.Counts.String()
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", orDash(s.Consultation), s.Rule, s.Since.In(loc).Format("2006-01-02"),
			s.Due.In(loc).Format("2006-01-02"), s.Cases, s.Messages, removed)
	}
	w.Flush()
}
