package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// scheduler runs the jobs that fall due by the clock: the consultations'
// lifecycle (ledger.Advance), the weekly digest (notify.QueueDigest),
// reminders before responses fall due (notify.EnqueueReminders), and
// retraining the classifier when staff have corrected it. The rules live
// with their packages; this is the loop that asks them.
type scheduler struct {
	cfg        *config.Config
	db         *ledger.DB
	clfs       *intake.Strategies
	log        *slog.Logger
	now        func() time.Time
	kickOutbox func()
	kick       chan struct{}
	corrSeen   int64
}

func newScheduler(cfg *config.Config, db *ledger.DB, clfs *intake.Strategies, log *slog.Logger, now func() time.Time, kickOutbox func()) *scheduler {
	return &scheduler{cfg: cfg, db: db, clfs: clfs, log: log, now: now, kickOutbox: kickOutbox, kick: make(chan struct{}, 1)}
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
		s.digest(ctx, &queued),
		s.reminders(ctx, &queued),
		s.retrain(ctx),
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
	if err := intake.Retrain(ctx, s.clfs, s.db); err != nil {
		return err
	}
	if s.corrSeen != 0 || v != 0 {
		s.log.Info("classifier retrained from staff corrections", "took", time.Since(start).Round(time.Millisecond))
	}
	s.corrSeen = v
	return nil
}
