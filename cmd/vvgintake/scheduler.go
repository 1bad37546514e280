package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"
)

// scheduler runs the jobs that fall due by the clock: opening and closing
// consultations on their dates (closing queues the report), the weekly
// digest, reminders before responses fall due, and retraining the
// classifier when staff have corrected it.
type scheduler struct {
	cfg        *Config
	db         *ledger.DB
	clf        *classify.Classifier
	log        *slog.Logger
	now        func() time.Time
	kickOutbox func()
	kick       chan struct{}
	corrSeen   int64
}

// digestSlotKey is the state key of the last digest slot handled.
const digestSlotKey = "digest.last_slot"

func newScheduler(cfg *Config, db *ledger.DB, clf *classify.Classifier, log *slog.Logger, now func() time.Time, kickOutbox func()) *scheduler {
	return &scheduler{cfg: cfg, db: db, clf: clf, log: log, now: now, kickOutbox: kickOutbox, kick: make(chan struct{}, 1)}
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

// lifecycle opens consultations whose window has started and closes those
// whose deadline has passed, queuing the closing report with the close.
func (s *scheduler) lifecycle(ctx context.Context, queued *bool) error {
	cs, err := s.db.Consultations(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	var errs []error
	for _, c := range cs {
		switch {
		case c.Status == ledger.StatusDraft && !now.Before(c.OpensAt) && now.Before(c.ClosesAt):
			_, err = s.db.SetConsultationStatus(ctx, c.Slug, ledger.StatusOpen, "scheduler")
			s.log.Info("consultation opened", "slug", c.Slug, "err", err)
		case (c.Status == ledger.StatusOpen || c.Status == ledger.StatusDraft) && !now.Before(c.ClosesAt):
			if c.Status == ledger.StatusDraft {
				// A draft whose whole window passed while the daemon was
				// down: open it first so the lifecycle stays in order.
				if _, err = s.db.SetConsultationStatus(ctx, c.Slug, ledger.StatusOpen, "scheduler"); err != nil {
					break
				}
			}
			items := reportItems(s.cfg, c.Slug)
			_, err = s.db.SetConsultationStatus(ctx, c.Slug, ledger.StatusClosed, "scheduler", items...)
			*queued = *queued || len(items) > 0
			s.log.Info("consultation closed on its deadline", "slug", c.Slug, "report_queued", len(items) > 0, "err", err)
		default:
			continue
		}
		if err != nil && !errors.Is(err, ledger.ErrState) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// digest queues the weekly board digest once per scheduled slot. A slot
// missed while the daemon was down is caught up once (the latest one);
// the ledger's watermark makes every submission appear in exactly one
// digest. The very first start only records the current slot.
func (s *scheduler) digest(ctx context.Context, queued *bool) error {
	if s.cfg.Notify.DigestSchedule == "" {
		return nil
	}
	to := s.cfg.Notify.Board
	if len(to) == 0 {
		to = s.cfg.Notify.Staff
	}
	if len(to) == 0 {
		return nil
	}
	sch, err := parseSchedule(s.cfg.Notify.DigestSchedule)
	if err != nil {
		return err
	}
	slot := sch.last(s.now(), s.cfg.Location())
	key := slot.Format("2006-01-02T15:04")
	last, ok, err := s.db.State(ctx, digestSlotKey)
	if err != nil {
		return err
	}
	if last >= key {
		return nil
	}
	if ok {
		it, created, err := s.db.EnqueueDigest(ctx, key, to, slot)
		if err != nil {
			return err
		}
		if created {
			*queued = true
			s.log.Info("weekly digest queued", "slot", key, "outbox_id", it.ID)
		}
	}
	return s.db.SetState(ctx, digestSlotKey, key)
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

// retrain updates the running classifier when staff corrected a
// classification (`submissions set-measure`, possibly from another
// process): the next suggestion already benefits.
func (s *scheduler) retrain(ctx context.Context) error {
	if s.clf == nil {
		return nil
	}
	v, err := s.db.CorrectionsVersion(ctx)
	if err != nil || v == s.corrSeen {
		return err
	}
	start := time.Now()
	if err := intake.Retrain(ctx, s.clf, s.db, s.cfg.measures()); err != nil {
		return err
	}
	if s.corrSeen != 0 || v != 0 {
		s.log.Info("classifier retrained from staff corrections", "took", time.Since(start).Round(time.Millisecond))
	}
	s.corrSeen = v
	return nil
}
