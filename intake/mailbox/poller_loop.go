package mailbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
)

// idleRefresh is how long one IDLE may last before we end and restart it.
// The DONE round trip, under the watchdog, is what notices a connection that
// died silently (NAT timeouts are often 5-10 min); RFC 2177 §3 also asks
// clients to re-issue IDLE at least every 29 minutes.
const idleRefresh = 4 * time.Minute

// Run records mail until ctx is done: connect, sync every folder, wait in
// IDLE (or poll every PollInterval), sync again on new mail, on Kick and
// every FullSync. On failure it reconnects after an exponential backoff with
// jitter. It returns nil when ctx is cancelled.
func (p *Poller) Run(ctx context.Context) error {
	if !p.busy.TryLock() {
		return errBusy
	}
	defer p.busy.Unlock()
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			p.updateHealth(ctx, func(h *Health) { h.Reconnects++ })
		}
		err := p.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			err = errors.New("session ended without an error") // cannot happen; never spin
		}
		p.noteError(ctx, err)
		auth := errors.Is(err, ErrAuth)
		wait := p.backoff.next(auth)
		p.log.Info("reconnecting later", "in", wait.Round(time.Millisecond))
		if !p.sleep(ctx, wait, auth) {
			return nil
		}
	}
}

// sleep waits d, or less when kicked. It reports false if ctx ended. After
// refused credentials a Kick does not cut the wait short, so no caller can
// turn the backoff into a tight loop against a server that locks accounts.
func (p *Poller) sleep(ctx context.Context, d time.Duration, auth bool) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		case <-p.kick:
			if !auth {
				return true
			}
		}
	}
}

// session runs one connection until it fails or ctx ends.
func (p *Poller) session(ctx context.Context) error {
	cn, err := p.connect(ctx)
	if err != nil {
		return err
	}
	defer p.disconnect(ctx, cn)
	return p.serve(ctx, cn)
}

// serve syncs, then waits for work and syncs again, until an error or ctx.
func (p *Poller) serve(ctx context.Context, cn *conn) error {
	full := time.NewTimer(p.opt.FullSync)
	defer full.Stop()
	poll := time.NewTimer(p.opt.PollInterval)
	defer poll.Stop()

	// The first folder is the one IDLE watches, so it is synced last and
	// stays selected.
	all := append(append([]string(nil), p.opt.Folders[1:]...), p.opt.Folders[0])
	folders := all
	for {
		if err := p.syncFolders(ctx, cn, folders); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if len(folders) == len(all) {
			p.backoff.reset()
			full.Reset(p.opt.FullSync)
			poll.Reset(p.opt.PollInterval)
		}
		var err error
		if cn.idle {
			folders, err = p.idleWait(ctx, cn, all, full.C, poll.C)
		} else {
			folders, err = p.pollWait(ctx, cn, all, full.C, poll.C)
		}
		if err != nil || folders == nil {
			return err
		}
	}
}

// idleWait idles on the selected first folder until there is work and
// returns the folders to sync, or nil when ctx ended.
func (p *Poller) idleWait(ctx context.Context, cn *conn, all []string, full, poll <-chan time.Time) ([]string, error) {
	first := p.opt.Folders[:1]
	if len(p.opt.Folders) == 1 {
		poll = nil // IDLE covers the only folder
	}
	for {
		select {
		case <-cn.events: // EXISTS arrived during the sync
			return first, nil
		default:
		}
		idle, err := cn.startIdle()
		if err != nil {
			return nil, err
		}
		if p.hooks.idling != nil {
			p.hooks.idling()
		}
		refresh := time.NewTimer(idleRefresh)
		var next []string
		done := false
		select {
		case <-ctx.Done():
			done = true
		case <-cn.events:
			next = first
		case <-p.kick:
			next = all
		case <-full:
			next = all
		case <-poll:
			next = all
		case <-refresh.C:
			// Restart IDLE below: the DONE round trip proves the link.
		case <-cn.c.Closed():
		}
		refresh.Stop()
		if err := cn.stopIdle(idle); err != nil {
			if done {
				return nil, nil
			}
			return nil, err
		}
		if done {
			return nil, nil
		}
		if next != nil {
			return next, nil
		}
	}
}

// pollWait waits for the poll timer (or a kick) without IDLE, sending NOOP
// now and then so a dead connection is noticed between polls.
func (p *Poller) pollWait(ctx context.Context, cn *conn, all []string, full, poll <-chan time.Time) ([]string, error) {
	keep := time.NewTimer(idleRefresh)
	defer keep.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, nil
		case <-p.kick:
			return all, nil
		case <-poll:
			return all, nil
		case <-full:
			return all, nil
		case <-cn.events: // EXISTS in a NOOP answer
			return all, nil
		case <-keep.C:
			if err := cn.noop(); err != nil {
				return nil, err
			}
			keep.Reset(idleRefresh)
		case <-cn.c.Closed():
			return nil, errors.New("connection closed by server")
		}
	}
}

// startIdle enters IDLE (RFC 2177); Idle blocks until the server's "+".
func (cn *conn) startIdle() (*imapclient.IdleCommand, error) {
	idle, err := guarded(cn, cn.c.Idle)
	if err != nil {
		return nil, fmt.Errorf("idle: %w", err)
	}
	return idle, nil
}

// stopIdle sends DONE and waits for the server to end IDLE.
func (cn *conn) stopIdle(idle *imapclient.IdleCommand) error {
	err := cn.guard(func() error {
		if err := idle.Close(); err != nil {
			return err
		}
		return idle.Wait()
	})
	if err != nil {
		return fmt.Errorf("end idle: %w", err)
	}
	return nil
}
