package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	gomail "github.com/wneessen/go-mail"
	"golang.org/x/oauth2"
	"golang.org/x/sync/errgroup"

	"github.com/vvgintake/vvgintake/console"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/intake/form"
	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"
	"github.com/vvgintake/vvgintake/privacy"
	"github.com/vvgintake/vvgintake/web"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// Daemon is `vvgintake run`: one process with one loop per concern —
// mailbox sync, outbox sender, scheduler and the web server (form,
// health, metrics) — under a shared context.
type Daemon struct {
	cfg     *config.Config
	db      *ledger.DB
	log     *slog.Logger
	now     func() time.Time
	clfs    *intake.Strategies // one classifier per strategy
	pipe    *intake.Pipeline
	poller  *mailbox.Poller
	sender  *notify.Sender
	sched   *scheduler
	metrics *metrics
	form    *form.Server
	console *console.Server
	records *privacy.Records
	lock    *os.File
	ln      net.Listener
	conLn   net.Listener // the staff console's own listener
	ready   chan struct{}
	probe   writeProbe
	hosted  bool // one VVG of a host: no listeners of its own
}

// DaemonOptions lets tests and the demo inject parts.
type DaemonOptions struct {
	Logger *slog.Logger
	Now    func() time.Time
	// Mailer replaces the SMTP client (the demo's in-process receiver).
	Mailer interface {
		Send(context.Context, *gomail.Msg) error
	}
	// Listener serves the web form instead of form.listen (tests use :0).
	Listener net.Listener
	// IMAPTLS overrides TLS settings for the mailbox (tests).
	IMAPOptions func(*mailbox.Options)
	// ConsoleListener serves the staff console instead of console.listen
	// (tests and `demo --serve` use :0).
	ConsoleListener net.Listener
	// FormUploadDir holds the form's uploads while a post is handled,
	// instead of the system's temporary folder (tests look into it).
	FormUploadDir string
	// Hosted makes the daemon one VVG of a host (`run -config-dir`): it
	// opens no listener of its own; the host serves WebHandler and
	// ConsoleHandler on its shared ones.
	Hosted bool
	// Shared is what the host's VVGs share (trained classifiers, mail
	// templates); nil makes them for this daemon alone.
	Shared *hostShared
}

// NewDaemon opens the ledger (applying migrations), takes the instance
// lock and builds every part the configuration enables.
func NewDaemon(ctx context.Context, cfg *config.Config, opt DaemonOptions) (*Daemon, error) {
	if err := cfg.CheckRun(); err != nil {
		return nil, err
	}
	d := &Daemon{cfg: cfg, log: opt.Logger, now: opt.Now, ready: make(chan struct{})}
	if d.log == nil {
		d.log = slog.Default()
	}
	if d.now == nil {
		d.now = time.Now
	}
	ok := false
	defer func() {
		if !ok {
			d.Close()
		}
	}()
	real, err := realPath(cfg.LedgerPath())
	if err != nil {
		return nil, err
	}
	lock, err := lockFile(real + ".lock")
	if err != nil {
		return nil, err
	}
	d.lock = lock
	if d.db, err = openLedger(ctx, cfg, d.now, d.log); err != nil {
		return nil, err
	}
	if err := syncConsultations(ctx, cfg, d.db); err != nil {
		return nil, err
	}
	// Health recorded for a mailbox or mail server since removed from
	// the configuration would alert for ever.
	var accounts []string
	if cfg.IMAP.Enabled {
		accounts = []string{cfg.MailboxOptions().Account()}
	}
	if n, err := d.db.PruneHealth(ctx, accounts, cfg.SMTPServer()); err != nil {
		return nil, err
	} else if n > 0 {
		d.log.Info("dropped the health of mailboxes and mail servers no longer configured", "count", n)
	}
	if n, err := d.db.RecoverOutbox(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		d.log.Warn("outbox items were being sent when the process stopped; they will be sent again and are marked in doubt", "count", n)
	}
	if d.clfs, err = newStrategies(ctx, cfg, d.db, opt.Shared.modelsOf()); err != nil {
		return nil, err
	}
	d.metrics = newMetrics(d.db, d.now, cfg.AlertRules(), cfg.SMTPServer())
	kick := func() {}
	popt := pipelineOptions(cfg, d.log.With("component", "intake"), d.now)
	popt.Observer, popt.Kick = d.metrics, func() { kick() }
	popt.DeferGrouping = true // RunGrouping, or Once after its sync
	d.pipe = intake.New(d.db, d.clfs, popt)
	tokens := newTokenSources(d.db)
	tpl, err := opt.Shared.templates(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.SMTP.Enabled || opt.Mailer != nil {
		var mailer interface {
			Send(context.Context, *gomail.Msg) error
		} = opt.Mailer
		if mailer == nil {
			m, err := newMailer(ctx, cfg, tokens)
			if err != nil {
				return nil, err
			}
			mailer = m
		}
		if d.sender, err = newSenderWith(cfg, d.db, mailer, d.log.With("component", "outbox"), d.now, d.metrics, tpl); err != nil {
			return nil, err
		}
		kick = d.sender.Kick
	}
	kickOutbox := func() {}
	if d.sender != nil {
		kickOutbox = d.sender.Kick
	}
	popts := privacy.Options{Controller: cfg.Organisation.Name, Logger: d.log.With("component", "privacy"), Now: d.now}
	var io mailbox.Options
	if cfg.IMAP.Enabled {
		io = imapOptions(ctx, cfg, d.log.With("component", "imap"), d.now, tokens)
		if opt.IMAPOptions != nil {
			opt.IMAPOptions(&io)
		}
		popts.Mailbox = &io
	}
	if d.sender != nil {
		popts.Render = renderSent(d.sender)
	} else if s, err := newSenderWith(cfg, d.db, nil, d.log, d.now, nil, tpl); err == nil {
		popts.Render = renderSent(s)
	}
	d.records = privacy.New(d.db, popts)
	d.sched = newScheduler(cfg, d.db, d.clfs, d.pipe, d.log.With("component", "scheduler"), d.now, kickOutbox, d.records)
	if cfg.IMAP.Enabled {
		if d.poller, err = mailbox.NewPoller(io, intake.NewMailSink(d.pipe, d.metrics.setHealth)); err != nil {
			return nil, fmt.Errorf("imap: %w", err)
		}
	}
	d.hosted = opt.Hosted
	if cfg.Form.Enabled || opt.Listener != nil {
		if d.form, err = newForm(cfg, d.pipe, d.log.With("component", "form"), d.now, opt.FormUploadDir); err != nil {
			return nil, err
		}
		d.ln = opt.Listener
		if d.ln == nil && !opt.Hosted {
			if d.ln, err = net.Listen("tcp", cfg.Form.Listen); err != nil {
				return nil, fmt.Errorf("form.listen: %w", err)
			}
		}
	}
	if cfg.Console.Enabled || opt.ConsoleListener != nil {
		if d.console, err = newConsole(cfg, d.db, d.pipe, d.records, kickOutbox, d.log.With("component", "console"), d.now); err != nil {
			return nil, err
		}
		d.conLn = opt.ConsoleListener
		if d.conLn == nil && !opt.Hosted {
			if d.conLn, err = net.Listen("tcp", cfg.Console.Listen); err != nil {
				return nil, fmt.Errorf("console.listen: %w", err)
			}
		}
	}
	ok = true
	return d, nil
}

// newConsole builds the staff console over the daemon's ledger and
// pipeline; closing by hand queues the configured closing report.
func newConsole(cfg *config.Config, db *ledger.DB, p *intake.Pipeline, records *privacy.Records, kick func(), log *slog.Logger,
	now func() time.Time) (*console.Server, error) {
	o := cfg.ConsoleOptions()
	o.Logger, o.Now = log, now
	return console.New(o, console.Deps{DB: db, Pipeline: p, ClosingReport: cfg.Recipients().ClosingReport, Kick: kick,
		ResultsReport: cfg.Recipients().Results, Results: cfg.ResultsOptions(), Records: records})
}

// ConsoleAddr is where the staff console listens ("" when it is off).
func (d *Daemon) ConsoleAddr() string {
	if d.conLn == nil {
		return ""
	}
	return d.conLn.Addr().String()
}

// Addr is where the web server listens ("" when the form is disabled).
func (d *Daemon) Addr() string {
	if d.ln == nil {
		return ""
	}
	return d.ln.Addr().String()
}

// Run runs every loop until ctx is cancelled, then shuts down in two
// phases: stop taking new work (the web server stops accepting, the
// poller finishes the message in hand), then let the outbox finish the
// mail in flight, bounded by shutdownGrace.
func (d *Daemon) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	if d.poller != nil {
		g.Go(func() error { return d.poller.Run(gctx) })
	}
	if d.sender != nil {
		g.Go(func() error { return d.sender.Run(gctx) })
	}
	g.Go(func() error { return d.sched.Run(gctx) })
	g.Go(func() error { return d.pipe.RunGrouping(gctx) })
	if d.ln != nil {
		serveHTTP(gctx, g, d.ln, d.handler())
	}
	if d.console != nil && d.conLn != nil {
		g.Go(func() error { return d.console.Serve(gctx, d.conLn) })
	} else if d.console != nil {
		g.Go(func() error { return d.console.Run(gctx) })
	}
	close(d.ready)
	d.log.Info("vvgintake running", "imap", d.poller != nil, "smtp", d.sender != nil, "web", d.Addr(), "console", d.ConsoleAddr())
	err := g.Wait()
	if ctx.Err() != nil {
		d.log.Info("vvgintake stopped")
		return nil
	}
	return err
}

// shutdownGrace bounds how long in-flight work may take after a signal.
const shutdownGrace = 20 * time.Second

// Once runs one pass of every due job and returns (`run --once`, cron):
// the scheduler, one full mailbox sync, grouping what it brought in, then
// the outbox until nothing is due.
func (d *Daemon) Once(ctx context.Context) error {
	var errs []error
	if err := d.sched.Pass(ctx); err != nil {
		errs = append(errs, fmt.Errorf("scheduler: %w", err))
	}
	if d.poller != nil {
		if err := d.poller.SyncOnce(ctx); err != nil {
			errs = append(errs, fmt.Errorf("mailbox sync: %w", err))
		}
	}
	d.pipe.GroupPending(ctx)
	if d.sender != nil {
		if _, err := d.sender.SendDue(ctx); err != nil {
			errs = append(errs, fmt.Errorf("outbox: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Close releases the ledger, the listener and the instance lock.
func (d *Daemon) Close() error {
	var errs []error
	if d.ln != nil {
		d.ln.Close()
	}
	if d.conLn != nil {
		d.conLn.Close()
	}
	if d.db != nil {
		errs = append(errs, d.db.Close())
	}
	if d.lock != nil {
		errs = append(errs, d.lock.Close())
	}
	return errors.Join(errs...)
}

// lockFile takes an exclusive, non-blocking lock so two instances never
// read the same mailbox or send the same outbox. The kernel drops it when
// the process dies, even by SIGKILL. The file is opened with O_NOFOLLOW:
// a symbolic link planted where the lock goes would otherwise have us
// truncate whatever it points at.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|syscall.O_NOFOLLOW, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("open lock %s: it is a symbolic link; remove it", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("open lock %s: not a regular file", path)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		return nil, fmt.Errorf("another vvgintake (pid %s) is running on this ledger (%s)", orDash(string(b[:n])), path)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())), 0)
	return f, nil
}

// realPath is the ledger's path with every symbolic link resolved, so
// that the lock is one per ledger however it is reached: two instances
// configured with a link and its target must still exclude each other.
// A ledger not created yet has its folder resolved.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("resolve ledger path %s: %w", path, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", fmt.Errorf("resolve ledger folder of %s: %w", path, err)
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

func imapOptions(ctx context.Context, cfg *config.Config, log *slog.Logger, now func() time.Time, tokens *tokenSources) mailbox.Options {
	o := cfg.MailboxOptions()
	o.Logger, o.Now, o.TokenSource = log, now, tokens.get(ctx, cfg.IMAP.Credentials)
	return o
}

// tokenSources hands out one OAuth token source per line of refresh
// tokens, keeping the rotated ones in the ledger: when IMAP and SMTP log
// in with the same refresh token, they must share the source, or the
// first to rotate it would leave the other with a revoked one.
type tokenSources struct {
	store   mailbox.TokenStore
	sources map[string]oauth2.TokenSource
}

func newTokenSources(store mailbox.TokenStore) *tokenSources {
	return &tokenSources{store: store, sources: map[string]oauth2.TokenSource{}}
}

// get returns the source for cr, nil for a password login.
func (t *tokenSources) get(ctx context.Context, cr config.Credentials) oauth2.TokenSource {
	c, ok := cr.OAuth()
	if !ok {
		return nil
	}
	key := c.StoreKey() + "\x00" + c.ClientSecret
	if ts := t.sources[key]; ts != nil {
		return ts
	}
	c.Store = t.store
	ts := c.TokenSource(ctx)
	t.sources[key] = ts
	return ts
}

func newMailer(ctx context.Context, cfg *config.Config, tokens *tokenSources) (*notify.Mailer, error) {
	o := cfg.SMTPOptions()
	o.TokenSource = tokens.get(ctx, cfg.SMTP.Credentials)
	m, err := notify.NewMailer(o)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return m, nil
}

// newSender builds the outbox sender; mailer nil makes one that only
// renders.
func newSender(cfg *config.Config, db *ledger.DB, mailer interface {
	Send(context.Context, *gomail.Msg) error
}, log *slog.Logger, now func() time.Time, m *metrics) (*notify.Sender, error) {
	tpl, err := cfg.LoadTemplates()
	if err != nil {
		return nil, err
	}
	return newSenderWith(cfg, db, mailer, log, now, m, tpl)
}

// newSenderWith is newSender with the templates loaded already (a
// host's, shared by its VVGs).
func newSenderWith(cfg *config.Config, db *ledger.DB, mailer interface {
	Send(context.Context, *gomail.Msg) error
}, log *slog.Logger, now func() time.Time, m *metrics, tpl *notify.Templates) (*notify.Sender, error) {
	opt := cfg.SenderOptions()
	opt.DB, opt.Mailer, opt.Templates, opt.Logger, opt.Now = db, mailer, tpl, log, now
	opt.Server = cfg.SMTPServer()
	if m != nil {
		opt.OnResult = m.outboxResult
	}
	return notify.NewSender(opt)
}

func newForm(cfg *config.Config, p *intake.Pipeline, log *slog.Logger, now func() time.Time, uploadDir string) (*form.Server, error) {
	o := cfg.FormOptions()
	o.Logger, o.Now, o.UploadDir = log, now, uploadDir
	return form.New(o, intake.NewFormStore(p))
}

// WebHandler serves the form, /healthz, /readyz and /metrics of this
// VVG; a hosted daemon's host serves it under /SLUG/ or its host name.
func (d *Daemon) WebHandler() http.Handler { return d.handler() }

// ConsoleHandler is the staff console, nil when it is off.
func (d *Daemon) ConsoleHandler() http.Handler {
	if d.console == nil {
		return nil
	}
	return d.console.Handler()
}

// handler serves the form plus /healthz (the process is up), /readyz
// (the ledger answers and no alert is raised) and /metrics.
func (d *Daemon) handler() http.Handler {
	mux := http.NewServeMux()
	if d.form != nil {
		mux.Handle("/", d.form.Handler())
	}
	handleHealth(mux, d.readiness, d.cfg.Form.TrustedProxyHeader)
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if !d.cfg.Form.MetricsPublic && !web.Local(r, d.cfg.Form.TrustedProxyHeader) {
			http.NotFound(w, r)
			return
		}
		d.metrics.ServeHTTP(w, r)
	})
	return mux
}

// probeEvery bounds how often /readyz writes to the ledger: anyone may
// ask it, and the answer of a few seconds ago is as good.
const probeEvery = 10 * time.Second

// writeProbe remembers the last write probe of the ledger.
type writeProbe struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

// readiness lists why the daemon is not ready: the ledger cannot be
// written (a full disk, a read-only file system), or an alert is raised.
func (d *Daemon) readiness(ctx context.Context) []string {
	d.probe.mu.Lock()
	if d.probe.at.IsZero() || time.Since(d.probe.at) >= probeEvery {
		d.probe.at, d.probe.err = time.Now(), d.db.ProbeWrite(ctx)
	}
	perr := d.probe.err
	d.probe.mu.Unlock()
	var problems []string
	if perr != nil {
		problems = append(problems, "ledger: "+perr.Error())
	}
	alerts, err := statusAlerts(ctx, d.cfg, d.db)
	if err != nil {
		return append(problems, "ledger: "+err.Error())
	}
	return append(problems, alerts...)
}
