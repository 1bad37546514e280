package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"

	gomail "github.com/wneessen/go-mail"
	"golang.org/x/sync/errgroup"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/console"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/intake/form"
	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"

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
	clf     *classify.Classifier
	pipe    *intake.Pipeline
	poller  *mailbox.Poller
	sender  *notify.Sender
	sched   *scheduler
	metrics *metrics
	form    *form.Server
	console *console.Server
	lock    *os.File
	ln      net.Listener
	conLn   net.Listener // the staff console's own listener
	ready   chan struct{}
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
	lock, err := lockFile(cfg.Resolve(cfg.Ledger.Path) + ".lock")
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
	if n, err := d.db.RecoverOutbox(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		d.log.Warn("outbox items were being sent when the process stopped; they will be sent again and are marked in doubt", "count", n)
	}
	if d.clf, err = newClassifier(ctx, cfg, d.db); err != nil {
		return nil, err
	}
	d.metrics = newMetrics(d.db, d.now)
	kick := func() {}
	popt := pipelineOptions(cfg, d.log.With("component", "intake"), d.now)
	popt.Observer, popt.Kick = d.metrics, func() { kick() }
	d.pipe = intake.New(d.db, d.clf, popt)
	if cfg.SMTP.Enabled || opt.Mailer != nil {
		var mailer interface {
			Send(context.Context, *gomail.Msg) error
		} = opt.Mailer
		if mailer == nil {
			m, err := newMailer(ctx, cfg)
			if err != nil {
				return nil, err
			}
			mailer = m
		}
		if d.sender, err = newSender(cfg, d.db, mailer, d.log.With("component", "outbox"), d.now, d.metrics); err != nil {
			return nil, err
		}
		kick = d.sender.Kick
	}
	kickOutbox := func() {}
	if d.sender != nil {
		kickOutbox = d.sender.Kick
	}
	d.sched = newScheduler(cfg, d.db, d.clf, d.log.With("component", "scheduler"), d.now, kickOutbox)
	if cfg.IMAP.Enabled {
		io := imapOptions(ctx, cfg, d.log.With("component", "imap"), d.now)
		if opt.IMAPOptions != nil {
			opt.IMAPOptions(&io)
		}
		if d.poller, err = mailbox.NewPoller(io, intake.NewMailSink(d.pipe, d.metrics.setHealth)); err != nil {
			return nil, fmt.Errorf("imap: %w", err)
		}
	}
	if cfg.Form.Enabled || opt.Listener != nil {
		if d.form, err = newForm(cfg, d.pipe, d.log.With("component", "form"), d.now); err != nil {
			return nil, err
		}
		d.ln = opt.Listener
		if d.ln == nil {
			if d.ln, err = net.Listen("tcp", cfg.Form.Listen); err != nil {
				return nil, fmt.Errorf("form.listen: %w", err)
			}
		}
	}
	if cfg.Console.Enabled || opt.ConsoleListener != nil {
		if d.console, err = newConsole(cfg, d.db, d.pipe, kickOutbox, d.log.With("component", "console"), d.now); err != nil {
			return nil, err
		}
		d.conLn = opt.ConsoleListener
		if d.conLn == nil {
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
func newConsole(cfg *config.Config, db *ledger.DB, p *intake.Pipeline, kick func(), log *slog.Logger, now func() time.Time) (*console.Server, error) {
	o := cfg.ConsoleOptions()
	o.Logger, o.Now = log, now
	return console.New(o, console.Deps{DB: db, Pipeline: p, ClosingReport: cfg.Recipients().ClosingReport, Kick: kick})
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

// Ledger returns the daemon's ledger.
func (d *Daemon) Ledger() *ledger.DB { return d.db }

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
	if d.ln != nil {
		srv := &http.Server{Handler: d.handler(), ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: time.Minute}
		g.Go(func() error {
			err := srv.Serve(d.ln)
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		})
		g.Go(func() error {
			<-gctx.Done()
			sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
			defer cancel()
			return srv.Shutdown(sctx)
		})
	}
	if d.console != nil {
		g.Go(func() error { return d.console.Serve(gctx, d.conLn) })
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
// the scheduler, one full mailbox sync, then the outbox until nothing is due.
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
// the process dies, even by SIGKILL.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
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

func imapOptions(ctx context.Context, cfg *config.Config, log *slog.Logger, now func() time.Time) mailbox.Options {
	o := cfg.MailboxOptions()
	o.Logger, o.Now, o.TokenSource = log, now, cfg.IMAP.TokenSource(ctx)
	return o
}

func newMailer(ctx context.Context, cfg *config.Config) (*notify.Mailer, error) {
	o := cfg.SMTPOptions()
	o.TokenSource = cfg.SMTP.TokenSource(ctx)
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
	opt := cfg.SenderOptions()
	opt.DB, opt.Mailer, opt.Templates, opt.Logger, opt.Now = db, mailer, tpl, log, now
	if m != nil {
		opt.OnResult = m.outboxResult
	}
	return notify.NewSender(opt)
}

func newForm(cfg *config.Config, p *intake.Pipeline, log *slog.Logger, now func() time.Time) (*form.Server, error) {
	o := cfg.FormOptions()
	o.Logger, o.Now = log, now
	return form.New(o, intake.NewFormStore(p))
}

// handler serves the form plus /healthz (the process is up), /readyz
// (the ledger answers and no alert is raised) and /metrics.
func (d *Daemon) handler() http.Handler {
	mux := http.NewServeMux()
	if d.form != nil {
		mux.Handle("/", d.form.Handler())
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		alerts, err := statusAlerts(r.Context(), d.cfg, d.db)
		if err != nil {
			http.Error(w, "ledger: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		if len(alerts) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			for _, a := range alerts {
				fmt.Fprintln(w, a)
			}
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if !d.cfg.Form.MetricsPublic && !fromLoopback(r) {
			http.NotFound(w, r)
			return
		}
		d.metrics.ServeHTTP(w, r)
	})
	return mux
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback() && r.Header.Get("X-Forwarded-For") == ""
}
