package main

import (
	"context"
	"flag"
	"fmt"
)

func cmdRun() *command {
	return &command{
		name: "run", args: "[--once] | -config-dir DIR [--listen ADDR] [--console-listen ADDR]", everyVVG: true, runDir: runHost,
		short: "run the daemon: mailbox, outbox, scheduler, web form, staff console, health",
		long: `Runs everything the configuration enables in one process: mailbox sync (IMAP IDLE, or
polling, plus a periodic full sync), the outbox sender, the scheduler (opens and closes
consultations on their dates and queues the closing report, the weekly digest and reminders),
the web server (the form, /healthz, /readyz, /metrics) and, when [console] is enabled, the
staff console on console.listen (default 127.0.0.1:8081). Migrations run on start.
SIGTERM or SIGINT: stop taking new work, finish what is in flight (at most 20 s), exit 0; a
second signal exits at once. A lock file next to the ledger keeps a second instance out.

  --once   run one pass of every due job (scheduler, one mailbox sync, send what is due)
           and exit: for cron.

Several VVGs in one process: vvgintake run -config-dir DIR (or $VVGINTAKE_CONFIG_DIR) runs
every VVG whose file is in DIR (SLUG.toml), each as the single-file run would — its own ledger
and lock, mailbox, SMTP account, strategy, reference prefix and staff accounts — supervised
one by one: a VVG whose file does not load, whose ledger cannot be opened or whose daemon
stops is reported and retried with backoff, and the others go on. Adding, changing or removing
a file takes effect within 2 s, or at once on SIGHUP, restarting only that VVG; a changed file
that does not load leaves the previous configuration running. One form listener and one
console listener serve every VVG, at /SLUG/ or at the root of form.host / console.host:

  --listen ADDR          the forms, /healthz, /readyz and /metrics of every VVG (default
                         127.0.0.1:8080; each VVG's own under /SLUG/)
  --console-listen ADDR  the staff consoles (default 127.0.0.1:8081)

form.listen and console.listen in the VVGs' files are not used then. A VVG's file must set
ledger.path, and takes no VVGINTAKE_* overrides: secrets come from its *_file keys.`,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := flag.NewFlagSet("run", flag.ContinueOnError)
			once := fs.Bool("once", false, "one pass of every due job, then exit")
			if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
				return usagef("run takes only --once")
			}
			d, err := NewDaemon(ctx, e.cfg, DaemonOptions{Logger: e.logger(), Now: e.now})
			if err != nil {
				if ctx.Err() != nil && !*once {
					// SIGTERM during start-up (migrations, outbox
					// recovery) is a stop like any other: nothing was
					// half-done, so exit 0 as Run does.
					return nil
				}
				return err
			}
			defer d.Close()
			if *once {
				if err := d.Once(ctx); err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, "one pass done")
				return nil
			}
			return d.Run(ctx)
		},
	}
}
