package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	gomail "github.com/wneessen/go-mail"
)

func cmdDigest() *command {
	return &command{
		name: "digest", args: "--dry-run [--out DIR] | --send",
		short: "build the weekly board digest now (preview or send)",
		long: `digest --dry-run [--out DIR]
    Writes what the next digest would contain as digest.eml and digest.html (chart inlined) into
    DIR (default: the current directory). Nothing is queued and the watermark does not move.
digest --send
    Queues the digest now (covering every suggestion since the last digest) and sends it when SMTP
    is enabled. The daemon does this by itself on notify.digest_schedule.`,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := flag.NewFlagSet("digest", flag.ContinueOnError)
			dry := fs.Bool("dry-run", false, "write the .eml and .html without sending")
			out := fs.String("out", ".", "directory for --dry-run output")
			send := fs.Bool("send", false, "queue and send the digest now")
			if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 || *dry == *send {
				return usagef("digest needs exactly one of --dry-run or --send")
			}
			db, err := e.ledger(ctx)
			if err != nil {
				return err
			}
			to := e.cfg.Recipients().Digest()
			if len(to) == 0 {
				return fmt.Errorf("no digest recipients: set notify.board (or notify.staff)")
			}
			now := e.nowUTC()
			if *dry {
				sender, err := newSender(e.cfg, db, nil, e.logger(), e.now, nil)
				if err != nil {
					return err
				}
				p, err := db.PendingDigest(ctx, now)
				if err != nil {
					return err
				}
				msg, html, err := sender.RenderDigest(ctx, p, to, "vvgintake.digest.preview@"+e.cfg.Organisation.MessageIDDomain)
				if err != nil {
					return err
				}
				paths, err := writeDigestFiles(*out, msg, html)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "digest preview (submissions after #%d up to #%d): %s\n", p.FromID, p.ToID, paths)
				return nil
			}
			it, created, err := db.EnqueueDigest(ctx, "manual-"+now.Format("20060102T150405"), to, now)
			if err != nil {
				return err
			}
			if !created {
				return fmt.Errorf("a digest was already queued this second; try again")
			}
			if !e.cfg.SMTP.Enabled {
				fmt.Fprintf(e.stdout, "digest queued as outbox item %d; SMTP is disabled, so `vvgintake run` will not send it until smtp.enabled = true\n", it.ID)
				return nil
			}
			mailer, err := newMailer(ctx, e.cfg, newTokenSources(db))
			if err != nil {
				return err
			}
			sender, err := newSender(e.cfg, db, mailer, e.logger(), e.now, nil)
			if err != nil {
				return err
			}
			if _, err := sender.SendDue(ctx); err != nil {
				return err
			}
			got, err := db.OutboxItemByID(ctx, it.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "digest (outbox item %d) %s to %v\n", it.ID, got.Status, got.Recipients)
			if got.Status != "sent" {
				return fmt.Errorf("digest not sent yet: %s", got.LastError)
			}
			return nil
		},
	}
}

// writeDigestFiles writes the preview. It names residents and quotes
// their suggestions, so its files are readable by their owner only.
func writeDigestFiles(dir string, msg *gomail.Msg, html []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	eml := filepath.Join(dir, "digest.eml")
	f, err := os.OpenFile(eml, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := msg.WriteTo(f); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	hp := filepath.Join(dir, "digest.html")
	if err := os.WriteFile(hp, html, 0o600); err != nil {
		return "", err
	}
	// A preview written earlier by an older version may be 0644.
	for _, p := range []string{eml, hp} {
		if err := os.Chmod(p, 0o600); err != nil {
			return "", err
		}
	}
	return eml + ", " + hp, nil
}
