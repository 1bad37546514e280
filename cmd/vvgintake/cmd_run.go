package main

import (
	"context"
	"flag"
	"fmt"
)

func cmdRun() *command {
	return &command{
		name: "run", args: "[--once]",
		short: "run the daemon: mailbox, outbox, scheduler, web form, staff console, health",
		long: `Runs everything the configuration enables in one process: mailbox sync (IMAP IDLE, or
polling, plus a periodic full sync), the outbox sender, the scheduler (opens and closes
consultations on their dates and queues the closing report, the weekly digest and reminders),
the web server (the form, /healthz, /readyz, /metrics) and, when [console] is enabled, the
staff console on console.listen (default 127.0.0.1:8081). Migrations run on start.
SIGTERM or SIGINT: stop taking new work, finish what is in flight (at most 20 s), exit 0; a
second signal exits at once. A lock file next to the ledger keeps a second instance out.

  --once   run one pass of every due job (scheduler, one mailbox sync, send what is due)
           and exit: for cron.`,
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
