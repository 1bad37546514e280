package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vvgintake/vvgintake/internal/excerpt"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

func cmdOutbox() *command {
	return &command{
		name: "outbox", args: "[list [--status S]] | retry ID | dismiss ID",
		short: "show queued and sent mail, retry or dismiss a failed one",
		long: `outbox [list] [--status pending|sending|sent|failed]
    Acknowledgements, digests, reports and reminders with their status, attempts, next attempt
    and the server's last answer. "in doubt" marks an item that was being sent when the process
    stopped: the server may have it already, so a second copy is possible (same Message-ID).
outbox retry ID
    Put a failed (or pending) item back in the queue now.
outbox dismiss ID
    Mark a failed item as dealt with (e.g. the resident was answered by phone): it stays
    failed and listed, but no longer raises an ALERT in status and /readyz.`,
		run: func(ctx context.Context, e *env, args []string) error {
			db, err := e.ledger(ctx)
			if err != nil {
				return err
			}
			if len(args) > 0 && (args[0] == "retry" || args[0] == "dismiss") {
				verb := args[0]
				if len(args) != 2 {
					return usagef("outbox %s takes one ID", verb)
				}
				id, err := strconv.ParseInt(args[1], 10, 64)
				if err != nil {
					return usagef("outbox id %q is not a number", args[1])
				}
				if verb == "dismiss" {
					if err := db.DismissOutbox(ctx, id, actor(e)); err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "outbox item %d dismissed; it no longer alerts\n", id)
					return nil
				}
				if err := db.RetryOutbox(ctx, id, actor(e)); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "outbox item %d queued again; `vvgintake run` sends it\n", id)
				return nil
			}
			if len(args) > 0 && args[0] == "list" {
				args = args[1:]
			}
			fs := flag.NewFlagSet("outbox", flag.ContinueOnError)
			status := fs.String("status", "", "only this status")
			if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
				return usagef("outbox [list] [--status S] | outbox retry ID | outbox dismiss ID")
			}
			items, err := db.ListOutbox(ctx, *status, 0)
			if err != nil {
				return err
			}
			loc := e.cfg.Location()
			w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tKIND\tSTATUS\tTRIES\tNEXT / SENT\tTO\tLAST ERROR")
			for _, it := range items {
				st := it.Status
				if it.InDoubt {
					st += " (in doubt)"
				}
				if !it.DismissedAt.IsZero() {
					st += " (dismissed)"
				}
				when := it.NextAttemptAt
				if it.Status == "sent" {
					when = it.SentAt
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", it.ID, it.Kind, st, it.Attempts,
					when.In(loc).Format("2006-01-02 15:04"), excerpt.Line(strings.Join(it.Recipients, ", "), 40),
					excerpt.Line(it.LastError, 60))
			}
			return w.Flush()
		},
	}
}

func cmdBackup() *command {
	return &command{
		name: "backup", args: "[--quiet] [--keep N] FILE",
		short: "write a consistent copy of the ledger while it is in use, and expire old copies",
		long: `Writes a consistent, compacted copy of the live ledger to FILE (SQLite VACUUM INTO), safe
while 'run' is working. FILE must not exist. To restore: stop vvgintake, move the old database
and its -wal/-shm files aside, copy FILE to ledger.path, start vvgintake. On a terminal a
progress line shows how much is copied; --quiet hides it.

A copy holds the residents' personal data, so it must not outlive the retention rules: every
backup deletes the earlier copies of this ledger in FILE's folder that are older than the
shortest retention period ([retention], 12 months by default), and 'run' does so hourly in the
folder of the last backup. --keep N also keeps at most the N newest copies. A copy is known by
the ledger's id inside it: nothing else in the folder is touched. Copies moved elsewhere are
yours to expire.`,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := flag.NewFlagSet("backup", flag.ContinueOnError)
			quiet := fs.Bool("quiet", false, "no progress line")
			keep := fs.Int("keep", 0, "keep at most the N newest copies in FILE's folder (0: any number within the retention)")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			path, err := oneArg("backup", pos)
			if err != nil {
				return err
			}
			if *keep < 0 {
				return usagef("--keep: want a number of copies, got %d", *keep)
			}
			db, err := e.ledger(ctx)
			if err != nil {
				return err
			}
			var size int64
			for _, f := range []string{e.cfg.LedgerPath(), e.cfg.LedgerPath() + "-wal"} {
				if st, err := os.Stat(f); err == nil {
					size += st.Size()
				}
			}
			prog := e.newProgress(*quiet, "copying the ledger", "", size)
			stop := watchGrowth(path, prog)
			err = db.Backup(ctx, path)
			stop()
			if err != nil {
				return err
			}
			if st, err := os.Stat(path); err == nil {
				// The copy is compacted: its own size is the whole.
				prog.total = st.Size()
				prog.add(0, st.Size()-prog.bytes)
			}
			prog.done()
			fmt.Fprintf(e.stdout, "ledger copied to %s\n", path)
			removed, _, err := db.PruneBackups(ctx, filepath.Dir(path), *keep, backupCutoff(e.cfg, e.nowUTC()))
			for _, b := range removed {
				fmt.Fprintf(e.stdout, "older copy %s (%s) deleted\n", b.Path, b.TakenAt.In(e.cfg.Location()).Format("2006-01-02"))
			}
			return err
		},
	}
}

// backupCutoff is the time before which backup copies are deleted: the
// shortest retention period back from now (zero when none applies).
func backupCutoff(cfg *config.Config, now time.Time) time.Time {
	m := cfg.BackupMonths()
	if m == 0 {
		return time.Time{}
	}
	return now.In(cfg.Location()).AddDate(0, -m, 0)
}

// watchGrowth reports the size of the file at path to prog while SQLite
// writes it (VACUUM INTO has no progress of its own), until stop.
func watchGrowth(path string, prog *progress) (stop func()) {
	if prog.w == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		var last int64
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if st, err := os.Stat(path); err == nil && st.Size() > last {
					prog.add(0, st.Size()-last)
					last = st.Size()
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
