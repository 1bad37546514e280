package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"
	"github.com/vvgintake/vvgintake/privacy"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// scheduler runs the jobs that fall due by the clock: the consultations'
// lifecycle (ledger.Advance), regrouping the suggestions into themes
// (intake.Pipeline.Regroup, before the digest that lists them), the weekly
// digest (notify.QueueDigest), reminders before responses fall due
// (notify.EnqueueReminders), retraining the classifier when staff have
// corrected it, finishing erasures left unfinished (privacy.Resumer) and
// the retention rules (privacy.Records.Retain, hourly). The rules live
// with their packages; this is the loop that asks them.
type scheduler struct {
	cfg        *config.Config
	db         *ledger.DB
	clfs       *intake.Strategies
	pipe       *intake.Pipeline
	log        *slog.Logger
	now        func() time.Time
	kickOutbox func()
	kick       chan struct{}
	corrSeen   int64
	records    *privacy.Records
	erasures   *privacy.Resumer // nil: none are finished here
	retained   time.Time        // when the retention rules were last applied
}

func newScheduler(cfg *config.Config, db *ledger.DB, clfs *intake.Strategies, pipe *intake.Pipeline, log *slog.Logger, now func() time.Time, kickOutbox func(),
	records *privacy.Records) *scheduler {
	s := &scheduler{cfg: cfg, db: db, clfs: clfs, pipe: pipe, log: log, now: now, kickOutbox: kickOutbox, kick: make(chan struct{}, 1)}
	if records != nil {
		s.records, s.erasures = records, records.NewResumer()
	}
	return s
}

// Kick asks for a pass soon.
func (s *scheduler) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run does a pass now and then every minute (and when kicked) until ctx
// is done. A failing pass is logged and retried at the next tick: the
// jobs are idempotent.
func (s *scheduler) Run(ctx context.Context) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.kick:
		case <-t.C:
		}
		if err := s.Pass(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("scheduler pass failed", "err", err)
		}
		t.Reset(time.Until(s.now().Truncate(time.Minute).Add(time.Minute)) + time.Second)
	}
}

// Pass runs every due job once.
func (s *scheduler) Pass(ctx context.Context) error {
	queued := false
	err := errors.Join(
		s.lifecycle(ctx, &queued),
		s.regroup(ctx),
		s.digest(ctx, &queued),
		s.reminders(ctx, &queued),
		s.retrain(ctx),
		s.finishErasures(ctx),
		s.retention(ctx),
	)
	if queued && s.kickOutbox != nil {
		s.kickOutbox()
	}
	return err
}

func (s *scheduler) lifecycle(ctx context.Context, queued *bool) error {
	ts, err := s.db.Advance(ctx, s.cfg.Recipients().ClosingReport)
	for _, t := range ts {
		switch {
		case t.Err != nil:
			s.log.Error("consultation not advanced", "slug", t.Slug, "to", t.To, "err", t.Err)
		case t.To == ledger.StatusClosed:
			*queued = *queued || t.Queued
			s.log.Info("consultation closed on its deadline", "slug", t.Slug, "report_queued", t.Queued)
		default:
			s.log.Info("consultation "+t.To, "slug", t.Slug)
		}
	}
	return err
}

// regroup groups what no process grouped yet and regroups the
// consultations that are due (small ones at every pass after new mail,
// large ones daily), so the digest lists up-to-date themes.
func (s *scheduler) regroup(ctx context.Context) error {
	if s.pipe == nil {
		return nil
	}
	return s.pipe.Regroup(ctx, false)
}

func (s *scheduler) digest(ctx context.Context, queued *bool) error {
	if s.cfg.Notify.DigestSchedule == "" {
		return nil
	}
	sch, err := notify.ParseSchedule(s.cfg.Notify.DigestSchedule)
	if err != nil {
		return err
	}
	it, err := notify.QueueDigest(ctx, s.db, sch, s.cfg.Recipients().Digest(), s.cfg.Location(), s.now())
	if it != nil {
		*queued = true
		s.log.Info("weekly digest queued", "slot", it.DedupeKey, "outbox_id", it.ID)
	}
	return err
}

func (s *scheduler) reminders(ctx context.Context, queued *bool) error {
	if len(s.cfg.Notify.Staff) == 0 || s.cfg.Notify.ReminderWorkingDays == 0 {
		return nil
	}
	n, err := notify.EnqueueReminders(ctx, s.db, s.cfg.Notify.Staff, s.cfg.Notify.ReminderWorkingDays, s.now())
	if n > 0 {
		*queued = true
		s.log.Info("response reminders queued", "count", n)
	}
	return err
}

// retrain updates the running classifiers when staff corrected a
// classification (`submissions set-measure`, possibly from another
// process): the next suggestion already benefits. Only the strategy whose
// suggestion was corrected is retrained (intake.Retrain).
func (s *scheduler) retrain(ctx context.Context) error {
	if s.clfs == nil {
		return nil
	}
	v, err := s.db.CorrectionsVersion(ctx)
	if err != nil || v == s.corrSeen {
		return err
	}
	start := time.Now()
	if err := retrainReleasing(ctx, s.clfs, s.db); err != nil {
		return err
	}
	if s.corrSeen != 0 || v != 0 {
		s.log.Info("classifier retrained from staff corrections", "took", time.Since(start).Round(time.Millisecond))
	}
	s.corrSeen = v
	return nil
}

// finishErasures completes the erasures a crash or an unreachable mailbox
// left unfinished (privacy.Resumer pauses longer after each failure).
func (s *scheduler) finishErasures(ctx context.Context) error {
	if s.erasures == nil {
		return nil
	}
	_, err := s.erasures.Resume(ctx)
	return err
}

// retentionEvery is how often the retention rules are looked at: they
// count months, and each look reads the consultations that are due.
const retentionEvery = time.Hour

// retention applies the retention rules that are due (ledger rules,
// privacy.Records.Retain), at most hourly.
func (s *scheduler) retention(ctx context.Context) error {
	rules, on := s.cfg.RetentionRules()
	if !on || s.records == nil || (!s.retained.IsZero() && s.now().Sub(s.retained) < retentionEvery) {
		return nil
	}
	s.retained = s.now()
	_, err := s.records.Retain(ctx, rules)
	// Backup copies hold the same data: those in the folder of the last
	// backup expire with it.
	if dir, derr := s.db.BackupDir(ctx); derr == nil && dir != "" {
		if cut := backupCutoff(s.cfg, s.now()); !cut.IsZero() {
			removed, _, perr := s.db.PruneBackups(ctx, dir, 0, cut)
			for _, b := range removed {
				s.log.Info("backup copy past the retention deleted", "path", b.Path, "taken_at", b.TakenAt)
			}
			err = errors.Join(err, perr)
		}
	} else if derr != nil {
		err = errors.Join(err, derr)
	}
	return err
}
