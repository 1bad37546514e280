package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

func cmdCheckConfig() *command {
	return &command{
		name: "check-config", args: "[--connect]", short: "validate the configuration and print a short summary", everyVVG: true,
		runDir: func(ctx context.Context, e *env, args []string) error {
			bad, failed, err := eachVVG(ctx, e, args, cmdCheckConfig().run)
			for _, f := range failed {
				var ce *config.Error
				if errors.As(f, &ce) {
					bad = append(bad, f.Error())
				}
			}
			return dirResult(e, bad, failed, err, true)
		},
		long: `Loads the configuration strictly (an unknown key or section is an error naming its line and the
nearest real name), applies VVGINTAKE_<SECTION>_<KEY> environment overrides, validates every
setting and prints a summary. Every problem is reported at once, in the order of the file's lines,
with its key and line: syntax errors, unknown names and bad values together. Exit code 2 when the
configuration is not valid, or when 'run' would refuse it (a secret of an enabled connection is
missing).

--connect
    Also log in to the mail servers as 'run' would, sending and changing nothing: IMAP (login,
    each watched folder) and SMTP (EHLO, STARTTLS, AUTH), each reported on its own line. Exit code
    1 when a server cannot be reached or refuses the login.

With -config-dir DIR and no --vvg: every VVG's file, each under its "== SLUG" heading; exit 2
when any does not load.`,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := flag.NewFlagSet("check-config", flag.ContinueOnError)
			connect := fs.Bool("connect", false, "log in to IMAP and SMTP")
			if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
				return usagef("check-config takes only --connect")
			}
			c := e.cfg
			w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(w, "configuration\t%s\n", e.cfgPath)
			fmt.Fprintf(w, "organisation\t%s <%s>, %s, language %s\n", c.Organisation.Name, c.Organisation.Mailbox, c.Organisation.Timezone, c.Organisation.Language)
			fmt.Fprintf(w, "ledger\t%s (checkpoints: %s)\n", c.Resolve(c.Ledger.Path), c.Ledger.Checkpoint)
			for _, st := range c.AllStrategies() {
				// One line per strategy when there are several; as before
				// when the top-level [[measures]] are all there is.
				prefix := ""
				if len(c.Strategies) > 0 {
					if st.Name == "" {
						fmt.Fprintf(w, "strategy\tdefault: the top-level [[measures]]\n")
					} else {
						fmt.Fprintf(w, "strategy\t%s: %s\n", st.Name, st.Label())
					}
					prefix = "  "
				}
				fmt.Fprintf(w, "%smeasures\t%d: %s\n", prefix, len(st.Measures), strings.Join(st.MeasureCodes(), ", "))
				ex, err := st.ReadExamples()
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "%sexamples\t%d labelled, %s; review below %.2f\n", prefix, len(ex), st.ExamplesSource(), c.Classify.ReviewThreshold)
			}
			for _, k := range c.Consultations {
				on := ""
				if k.Strategy != "" {
					on = ", strategy " + k.Strategy
				}
				fmt.Fprintf(w, "consultation\t%s: %s – %s (%s%s)\n", k.Slug,
					k.OpensAt.Time(c.Location(), false).Format("2006-01-02 15:04"),
					deadline(k.ClosesAt.Time(c.Location(), true), c.Location()), k.Title, on)
			}
			fmt.Fprintf(w, "imap\t%s\n", onOff(c.IMAP.Enabled, fmt.Sprintf("%s:%d %s, %s auth, folders %s, then %s",
				c.IMAP.Host, c.IMAP.Port, c.IMAP.TLS, c.IMAP.Auth, strings.Join(c.IMAP.Folders, ","), c.IMAP.AfterIngest)))
			fmt.Fprintf(w, "smtp\t%s\n", onOff(c.SMTP.Enabled, fmt.Sprintf("%s:%d %s, %s auth", c.SMTP.Host, c.SMTP.Port, c.SMTP.TLS, c.SMTP.Auth)))
			fmt.Fprintf(w, "acknowledgements\t%s\n", onOff(c.Notify.Acknowledge, fmt.Sprintf("language %s, at most %d per sender a day",
				c.Notify.AckLanguage, c.Notify.MaxAcksPerSenderPerDay)))
			fmt.Fprintf(w, "digest\t%s to %s\n", orDash(c.Notify.DigestSchedule), orDash(strings.Join(c.Notify.Board, ", ")))
			fmt.Fprintf(w, "staff\t%s\n", orDash(strings.Join(c.Notify.Staff, ", ")))
			fmt.Fprintf(w, "responses\twithin %d working days of the deadline\n", c.Response.WorkingDays)
			fmt.Fprintf(w, "form\t%s\n", onOff(c.Form.Enabled, "http://"+c.Form.Listen))
			fmt.Fprintf(w, "retention\t%s\n", onOff(c.Retention.Enabled, retentionSummary(c.Retention)))
			if err := w.Flush(); err != nil {
				return err
			}
			// What `run` would refuse, this refuses too (exit 2): a
			// service must not start only to fail.
			if err := c.CheckRun(); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "configuration is valid")
			if *connect {
				return checkConnections(ctx, e)
			}
			return nil
		},
	}
}

// checkConnections logs in to each enabled mail server and reports each
// on its own line; it fails when any did.
func checkConnections(ctx context.Context, e *env) error {
	c := e.cfg
	var failed []string
	report := func(name, what string, err error) {
		if err != nil {
			failed = append(failed, name)
			fmt.Fprintf(e.stdout, "%s\tFAILED: %v\n", name, err)
			return
		}
		fmt.Fprintf(e.stdout, "%s\tok: %s\n", name, what)
	}
	if !c.IMAP.Enabled && !c.SMTP.Enabled {
		fmt.Fprintln(e.stdout, "imap and smtp are disabled: nothing to connect to")
		return nil
	}
	// The ledger keeps OAuth refresh tokens a server rotated: logging in
	// here must use and keep the same ones the daemon does.
	db, err := e.ledger(ctx)
	if err != nil {
		return err
	}
	tokens := newTokenSources(db)
	if c.IMAP.Enabled {
		cctx, cancel := context.WithTimeout(ctx, 2*c.IMAP.CommandTimeout.D())
		what, err := mailbox.Check(cctx, imapOptions(cctx, c, e.logger().With("component", "imap"), e.clock, tokens))
		cancel()
		report("imap", what, err)
	}
	if c.SMTP.Enabled {
		cctx, cancel := context.WithTimeout(ctx, 2*c.SMTP.Timeout.D())
		m, err := newMailer(cctx, c, tokens)
		what := ""
		if err == nil {
			what, err = m.Check(cctx)
		}
		cancel()
		report("smtp", what, err)
	}
	if len(failed) > 0 {
		return fmt.Errorf("could not log in to %s", strings.Join(failed, " and "))
	}
	return nil
}

// retentionSummary says what the retention rules keep and for how long.
func retentionSummary(r config.RetentionConfig) string {
	months := func(n int) string {
		if n == 0 {
			return "kept"
		}
		return fmt.Sprintf("%d months", n)
	}
	s := fmt.Sprintf("raw mail %s, personal data %s, anonymous records %s after a consultation's results",
		months(r.RawMailMonths), months(r.PersonalDataMonths), months(r.CaseMonths))
	if r.Mailbox {
		s += "; the mailbox copies go too"
	}
	return s
}

func onOff(on bool, detail string) string {
	if !on {
		return "disabled"
	}
	return detail
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func cmdMigrate() *command {
	return &command{
		name: "migrate", short: "create or upgrade the ledger database schema",
		long: `Opens the ledger, applies every missing migration (each in its own transaction) and prints
the schema version. 'run' does the same on start; this command lets an upgrade be done and checked
by hand first. A database written by a newer vvgintake is refused and left untouched.`,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
			if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
				return usagef("migrate takes no arguments")
			}
			db, err := e.ledger(ctx)
			if err != nil {
				return err
			}
			v, err := db.Version(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "ledger %s is at schema version %d (this program: %d)\n",
				e.cfg.Resolve(e.cfg.Ledger.Path), v, ledger.SchemaVersion())
			return nil
		},
	}
}
