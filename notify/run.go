package notify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/internal/backoff"
)

// idlePoll bounds how long Run sleeps with nothing due: items queued by
// another process (a CLI command writing the same ledger) cannot Kick it,
// and are picked up within this time.
const idlePoll = time.Minute

// shutdownGrace is how long a message already being transmitted may take
// to finish after Run's context ends (the first phase of shutdown), so a
// restart does not leave it in doubt.
const shutdownGrace = 10 * time.Second

// serverError is a failure of the SMTP server as a whole (see serverWide):
// the item was put back and the caller should pause.
type serverError struct{ err error }

func (e *serverError) Error() string { return e.err.Error() }
func (e *serverError) Unwrap() error { return e.err }

// Run sends the outbox until ctx ends, then returns nil. At start it puts
// items a crash left in "sending" back in the queue as in doubt. It waits
// on a single timer set to the earliest next attempt, woken early by Kick.
// While the server is unreachable or refuses our login it pauses the whole
// queue with backoff instead of trying (and failing) every item.
// Database errors are logged and retried the same way.
func (s *Sender) Run(ctx context.Context) error {
	if s.opt.Mailer == nil {
		return ErrNoMailer
	}
	n, err := s.db.RecoverOutbox(ctx)
	if err != nil {
		return fmt.Errorf("recover outbox: %w", err)
	}
	if n > 0 {
		s.log.Warn("resending items interrupted by a crash, in doubt", "count", n)
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	var (
		fails  int  // consecutive server-wide (or database) failures
		paused bool // the timer runs out a pause
	)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.kick:
			if paused {
				continue // new mail does not bring the server back
			}
		case <-timer.C:
			paused = false
		}
		sent, next, err := s.sendDue(ctx, s.now())
		if ctx.Err() != nil {
			return nil
		}
		// Since Go 1.23 Reset needs no drained channel: a tick from
		// before the reset is never delivered.
		if err != nil {
			fails++
			wait := backoff.Delay(fails, s.opt.RetryBase, s.opt.RetryMax, jitter, rand.Float64())
			paused = true
			var se *serverError
			switch {
			case fails == 1 && errors.As(err, &se):
				// Logged once per outage; the items keep the
				// server's answer in last_error for staff.
				s.log.Error("smtp server unavailable, outbox paused", "err", se.err, "retry_in", wait.Round(time.Millisecond))
			case fails == 1:
				s.log.Error("outbox paused", "err", err, "retry_in", wait.Round(time.Millisecond))
			default:
				s.log.Debug("outbox still paused", "err", err, "failures", fails, "retry_in", wait.Round(time.Millisecond))
			}
			timer.Reset(wait)
			continue
		}
		if fails > 0 {
			s.log.Info("outbox resumed", "failures", fails, "sent", sent)
			fails = 0
		}
		wait := idlePoll
		if !next.IsZero() {
			wait = min(max(next.Sub(s.now()), 0), idlePoll)
		}
		timer.Reset(wait)
	}
}

// SendDue sends every item due now, one after another, and returns how
// many the server accepted. It stops early, with the error, when the
// server as a whole fails (the item is put back) or the ledger does;
// per-item failures are recorded on the items and are not errors. It does
// not recover items left in "sending"; a one-shot caller that knows no
// daemon runs calls db.RecoverOutbox first.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	if s.opt.Mailer == nil {
		return 0, ErrNoMailer
	}
	sent, _, err := s.sendDue(ctx, s.now())
	return sent, err
}

// sendDue sends the items due at until. Items retried meanwhile are due
// later than until, so each item is tried at most once per call. next is
// the earliest next attempt left in the queue (zero when it is empty).
func (s *Sender) sendDue(ctx context.Context, until time.Time) (sent int, next time.Time, err error) {
	for {
		if err := ctx.Err(); err != nil {
			return sent, time.Time{}, err
		}
		it, nxt, err := s.db.NextDue(ctx, until)
		if errors.Is(err, ledger.ErrNotFound) {
			return sent, nxt, nil
		}
		if err != nil {
			return sent, time.Time{}, err
		}
		ok, err := s.sendOne(ctx, it)
		if ok {
			sent++
		}
		if err != nil {
			return sent, time.Time{}, err
		}
	}
}

// sendOne claims, renders and submits one item and records the outcome.
// It reports whether the server accepted the item; the error is a
// *serverError, ctx's error or a ledger failure.
func (s *Sender) sendOne(ctx context.Context, it *ledger.OutboxItem) (bool, error) {
	// The claim is committed before the SMTP session starts, so a crash
	// during the session leaves evidence ("sending") that RecoverOutbox
	// turns into an in-doubt retry.
	if err := s.db.Claim(ctx, it.ID); err != nil {
		if errors.Is(err, ledger.ErrState) {
			return false, nil // another process took it
		}
		return false, err
	}
	it.Attempts++
	// Once claimed, the outcome is recorded even if ctx ends meanwhile.
	bg := context.WithoutCancel(ctx)
	sctx, done := graceContext(ctx, shutdownGrace)
	defer done()
	log := s.log.With("item", it.ID, "kind", it.Kind, "message_id", it.MessageID, "attempt", it.Attempts)

	msg, err := s.Render(sctx, it)
	if err != nil {
		if sctx.Err() != nil {
			return false, s.putBack(bg, it, "interrupted by shutdown", ctx.Err())
		}
		// A message that cannot be built will not build next time
		// either: fail it for staff instead of looping on it.
		log.Error("cannot render outbox item", "err", err)
		s.result(it.Kind, false)
		return false, s.db.MarkFailed(bg, it.ID, "render: "+err.Error())
	}
	err = s.opt.Mailer.Send(sctx, msg)
	if err == nil {
		if err := s.db.MarkSent(bg, it.ID); err != nil {
			// The server has the message but the ledger does not
			// know: the item stays "sending" and is resent in doubt
			// after a restart, under the same Message-ID.
			return true, err
		}
		log.Info("sent", "in_doubt", it.InDoubt)
		s.recordHealth(bg, nil)
		s.result(it.Kind, true)
		s.afterSent(bg, it)
		return true, nil
	}
	s.result(it.Kind, false)
	var se *SendError
	switch {
	case sctx.Err() != nil:
		if errors.As(err, &se) && se.Stage == "data" {
			// The end of DATA may have reached the server. Leaving
			// the claim in place makes the next start resend it
			// marked in doubt.
			log.Warn("send interrupted during data, left in doubt", "err", err)
			return false, ctx.Err()
		}
		return false, s.putBack(bg, it, "interrupted by shutdown: "+err.Error(), ctx.Err())
	case serverWide(err):
		s.recordHealth(bg, err)
		if merr := s.db.MarkRetry(bg, it.ID, err.Error(), s.now()); merr != nil {
			return false, merr
		}
		return false, &serverError{err: err}
	case errors.As(err, &se) && se.AfterData && se.Code == 0:
		// Connection lost after the final dot: the server may have the
		// message. Retry under the same Message-ID, flagged for staff.
		wait := backoff.Delay(it.Attempts, s.opt.RetryBase, s.opt.RetryMax, jitter, rand.Float64())
		log.Warn("connection lost after the message was sent, retrying in doubt", "err", err)
		return false, s.db.MarkRetryInDoubt(bg, it.ID, err.Error(), s.now().Add(wait))
	case IsTemporary(err):
		if age := s.now().Sub(it.CreatedAt); age >= s.opt.RetryFor {
			log.Error("giving up on outbox item", "err", err, "age", age.Round(time.Second))
			return false, s.db.MarkFailed(bg, it.ID, fmt.Sprintf("gave up after %s: %v", s.opt.RetryFor, err))
		}
		wait := backoff.Delay(it.Attempts, s.opt.RetryBase, s.opt.RetryMax, jitter, rand.Float64())
		log.Warn("temporary failure, will retry", "err", err, "retry_in", wait.Round(time.Millisecond))
		return false, s.db.MarkRetry(bg, it.ID, err.Error(), s.now().Add(wait))
	default:
		// 5xx: the server's code and text are what staff need to see.
		log.Error("message refused", "err", err)
		return false, s.db.MarkFailed(bg, it.ID, err.Error())
	}
}

// putBack returns a claimed item to the queue, due now, and then reports
// cause.
func (s *Sender) putBack(ctx context.Context, it *ledger.OutboxItem, why string, cause error) error {
	if err := s.db.MarkRetry(ctx, it.ID, why, s.now()); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

// afterSent records what a delivered item completes: a sent closing
// report stamps its consultation reported (the status stays: the report
// says what came in, not what was decided). A decision letter's answer is
// recorded by MarkSent itself.
func (s *Sender) afterSent(ctx context.Context, it *ledger.OutboxItem) {
	if it.Kind != ledger.KindReport || it.ConsultationID == 0 {
		return
	}
	if err := s.db.MarkReported(ctx, it.ConsultationID); err != nil {
		s.log.Error("mark consultation reported", "item", it.ID, "err", err)
	}
}

// graceContext returns a context that ends shutdownGrace after parent
// does: the second phase of shutdown, for work already under way.
func graceContext(parent context.Context, grace time.Duration) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	stop := context.AfterFunc(parent, func() {
		t := time.AfterFunc(grace, cancel)
		context.AfterFunc(ctx, func() { t.Stop() })
	})
	return ctx, func() {
		stop()
		cancel()
	}
}

// recordHealth stores in the ledger what the last session says of the
// server: err nil is a message accepted; a server-wide error at the auth
// stage (the server or the OAuth token endpoint refusing us) is a refused
// login, any other one an unreachable server. Only changes are written.
func (s *Sender) recordHealth(ctx context.Context, err error) {
	if s.opt.Server == "" {
		return
	}
	state, reachable, auth, text := "ok", true, false, ""
	if err != nil {
		text = err.Error()
		var se *SendError
		if errors.As(err, &se) && se.Stage == "auth" {
			state, auth = "auth", true
		} else {
			state, reachable = "unreachable", false
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if state == s.health && state == "ok" {
		return
	}
	// A failure is written each time, so the last error shown is
	// the latest; success only when it changes something.
	if werr := s.db.SetSMTPHealth(ctx, s.opt.Server, reachable, auth, text); werr != nil {
		s.log.Error("record smtp health", "err", werr)
		return
	}
	s.health = state
}
