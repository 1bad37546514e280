package mailbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
)

// healthTimeout bounds one SetHealth call, which also runs during shutdown.
const healthTimeout = 5 * time.Second

// errBusy is returned when Run or SyncOnce is called while one is running.
var errBusy = errors.New("poller is already running")

// Poller records the mail of one IMAP account into a Sink: it connects,
// syncs every folder, then waits in IDLE (or polls) and reconnects with
// backoff when anything fails.
type Poller struct {
	opt     Options
	sink    Sink
	account string
	log     *slog.Logger
	kick    chan struct{}

	// busy is held by Run or SyncOnce; the fields below it belong to the
	// goroutine holding it.
	busy       sync.Mutex
	batch      int
	preparers  int // goroutines preparing fetched messages; see preparers()
	fetchFails map[string]int
	backoff    retryWait
	hooks      pollerHooks

	mu     sync.Mutex
	health Health
}

// pollerHooks let tests observe and steer the poller.
type pollerHooks struct {
	idling func() // called each time IDLE has started
	noIdle bool   // poll even if the server has IDLE
}

// NewPoller validates opt (reporting every problem at once) and returns a
// poller for that account. Zero fields get their defaults.
func NewPoller(opt Options, sink Sink) (*Poller, error) {
	opt = opt.withDefaults()
	if err := opt.validate(); err != nil {
		return nil, fmt.Errorf("imap options: %w", err)
	}
	if sink == nil {
		return nil, errors.New("imap options: sink must not be nil")
	}
	account := opt.Account()
	return &Poller{
		opt:     opt,
		sink:    sink,
		account: account,
		// The caller names the component; the account is two keys, since
		// "user@gmail.com@imap.gmail.com:993" reads like a typo.
		log:        opt.Logger.With("user", opt.Username, "server", opt.Addr),
		kick:       make(chan struct{}, 1),
		batch:      maxBatch,
		preparers:  preparers(),
		fetchFails: make(map[string]int),
		backoff:    defaultBackoff(),
	}, nil
}

// Account returns "user@host:port", the identity used as the Sink account.
func (p *Poller) Account() string { return p.account }

// Health returns the current connection health.
func (p *Poller) Health() Health {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.health
}

// Kick asks Run for a full sync soon. It never blocks; kicks coalesce.
func (p *Poller) Kick() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// SyncOnce connects, syncs every folder once and logs out: for `run --once`
// and import tools. It must not run while Run does.
func (p *Poller) SyncOnce(ctx context.Context) error {
	if !p.busy.TryLock() {
		return errBusy
	}
	defer p.busy.Unlock()
	cn, err := p.connect(ctx)
	if err != nil {
		p.noteError(ctx, err)
		return err
	}
	defer p.disconnect(ctx, cn)
	if err := p.syncFolders(ctx, cn, p.opt.Folders); err != nil {
		p.noteError(ctx, err)
		return err
	}
	return nil
}

// connect dials, logs in and learns what the server can do.
func (p *Poller) connect(ctx context.Context) (*conn, error) {
	cn, err := dial(ctx, &p.opt, p.log)
	if err != nil {
		return nil, err
	}
	if err := cn.login(ctx, &p.opt); err != nil {
		cn.close()
		return nil, err
	}
	// Capabilities may change once authenticated (RFC 9051): ask again.
	if cn.caps, err = cn.capabilities(); err != nil {
		cn.close()
		return nil, err
	}
	cn.after = p.opt.AfterIngest
	if cn.after == AfterMove && !cn.caps.Has(imap.CapMove) && !cn.caps.Has(imap.CapUIDPlus) {
		// Without MOVE (RFC 6851) go-imap falls back to COPY + \Deleted +
		// EXPUNGE, and without UIDPLUS (RFC 4315) that EXPUNGE is the plain
		// one, which also removes any message staff marked \Deleted.
		p.log.Warn("server has neither MOVE nor UIDPLUS, marking with the keyword instead of moving", "keyword", p.opt.Keyword)
		cn.after = AfterKeyword
	}
	if cn.after == AfterMove {
		if err := cn.ensureMailbox(p.opt.MoveTo); err != nil {
			var ierr *imap.Error
			if !errors.As(err, &ierr) {
				cn.close()
				return nil, err
			}
			// Refused (no rights, bad name): recording mail matters more
			// than tidying it.
			p.log.Error("cannot create the folder to move to, marking with the keyword instead", "move_to", p.opt.MoveTo, "error", err)
			cn.after = AfterKeyword
		}
	}
	cn.gmail = cn.after == AfterKeyword && p.opt.GmailLabel != "-" && cn.caps.Has(capGmail)
	idle := cn.caps.Has(imap.CapIdle) && !p.hooks.noIdle
	cn.idle = idle
	p.log.Info("connected", "idle", idle, "move", cn.caps.Has(imap.CapMove), "uidplus", cn.caps.Has(imap.CapUIDPlus),
		"after_ingest", cn.after, "gmail_label", cn.gmail)
	p.updateHealth(ctx, func(h *Health) {
		h.Connected, h.AuthFailing, h.IdleSupported = true, false, idle
	})
	return cn, nil
}

// disconnect logs out and records that we are offline.
func (p *Poller) disconnect(ctx context.Context, cn *conn) {
	cn.close()
	p.updateHealth(ctx, func(h *Health) { h.Connected = false })
}

// syncFolders syncs folders in order; when they are all the watched
// folders, a success is recorded as Health.LastSync.
func (p *Poller) syncFolders(ctx context.Context, cn *conn, folders []string) error {
	failed := false
	for _, f := range folders {
		err := p.syncFolder(ctx, cn, f)
		if errors.Is(err, errFolder) {
			// One folder staff renamed must not stop the INBOX.
			failed = true
			p.log.Error("cannot open watched folder", "folder", f, "error", err)
			p.updateHealth(ctx, func(h *Health) { h.LastError = err.Error() })
			continue
		}
		if err != nil {
			return err
		}
	}
	if len(folders) == len(p.opt.Folders) && !failed {
		now := p.opt.Now()
		p.updateHealth(ctx, func(h *Health) { h.LastSync, h.LastError = now, "" })
	}
	return nil
}

// noteError logs err and records it in Health. Refused credentials are
// loud: nobody reads warnings, and until a person acts no mail is recorded.
func (p *Poller) noteError(ctx context.Context, err error) {
	auth := errors.Is(err, ErrAuth)
	if auth {
		p.log.Error("mailbox refused our credentials; no mail is being recorded", "error", err)
	} else {
		p.log.Warn("mailbox sync failed", "error", err)
	}
	p.updateHealth(ctx, func(h *Health) {
		h.LastError = err.Error()
		if auth {
			h.AuthFailing = true
		}
	})
}

// updateHealth applies f to the health and hands a copy to the Sink.
func (p *Poller) updateHealth(ctx context.Context, f func(*Health)) {
	p.mu.Lock()
	f(&p.health)
	h := p.health
	p.mu.Unlock()
	// Also during shutdown: the last word ("disconnected") matters.
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), healthTimeout)
	defer cancel()
	if err := p.sink.SetHealth(hctx, p.account, h); err != nil {
		p.log.Warn("could not record health", "error", err)
	}
}
