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
	"golang.org/x/oauth2"
	"golang.org/x/sync/errgroup"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/intake/form"
	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"
)

// Daemon is `vvgintake run`: one process with one loop per concern —
// mailbox sync, outbox sender, scheduler and the web server (form,
// health, metrics) — under a shared context.
type Daemon struct {
	cfg     *Config
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
	lock    *os.File
	ln      net.Listener
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
}

// NewDaemon opens the ledger (applying migrations), takes the instance
// lock and builds every part the configuration enables.
func NewDaemon(ctx context.Context, cfg *Config, opt DaemonOptions) (*Daemon, error) {
	if err := cfg.requireSecrets(); err != nil {
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
	lock, err := lockFile(cfg.resolve(cfg.Ledger.Path) + ".lock")
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
	ok = true
	return d, nil
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
	close(d.ready)
	d.log.Info("vvgintake running", "imap", d.poller != nil, "smtp", d.sender != nil, "web", d.Addr())
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

func imapOptions(ctx context.Context, cfg *Config, log *slog.Logger, now func() time.Time) mailbox.Options {
	m := cfg.IMAP
	o := mailbox.Options{
		Addr: net.JoinHostPort(m.Host, strconv.Itoa(m.Port)), TLS: m.TLS, AllowInsecure: m.AllowInsecure,
		Username: m.Username, Password: m.Password, Auth: m.Auth, Folders: m.Folders,
		AfterIngest: m.AfterIngest, Keyword: m.Keyword, MoveTo: m.MoveTo,
		PollInterval: m.PollInterval.D(), FullSync: m.FullSyncInterval.D(), CommandTimeout: m.CommandTimeout.D(),
		MaxMessageBytes: int64(cfg.Limits.MaxMessageMB) << 20, Logger: log, Now: now,
	}
	if m.Auth != "password" {
		o.TokenSource = m.tokenSource(ctx)
	}
	return o
}

// tokenSource exchanges the refresh token for access tokens (RFC 6749 §6).
func (cr Credentials) tokenSource(ctx context.Context) oauth2.TokenSource {
	return mailbox.OAuthConfig{TokenURL: cr.OAuthTokenURL, ClientID: cr.OAuthClientID,
		ClientSecret: cr.OAuthClientSecret, RefreshToken: cr.OAuthRefreshToken}.TokenSource(ctx)
}

func newMailer(ctx context.Context, cfg *Config) (*notify.Mailer, error) {
	s := cfg.SMTP
	o := notify.SMTPOptions{Host: s.Host, Port: s.Port, TLS: s.TLS, AllowInsecure: s.AllowInsecure, Auth: s.Auth,
		Username: s.Username, Password: s.Password, HELO: s.HELO, Timeout: s.Timeout.D()}
	if s.Auth == "xoauth2" {
		o.TokenSource = s.tokenSource(ctx)
	}
	m, err := notify.NewMailer(o)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return m, nil
}

// recipients says who gets the digest, the closing report and reminders.
func recipients(cfg *Config) notify.Recipients {
	return notify.Recipients{Board: cfg.Notify.Board, Staff: cfg.Notify.Staff, ReportToBoard: cfg.Notify.ReportToBoard}
}

func notifyOrg(cfg *Config) notify.Org {
	o := cfg.Organisation
	return notify.Org{Name: o.Name, ShortName: o.ShortName, Address: o.Mailbox, FromName: o.FromName, Phone: o.Phone,
		Website: o.Website, PostalAddress: o.PostalAddress, PrivacyNotice: o.PrivacyNotice, PrivacyNoticeEN: o.PrivacyNoticeEN}
}

func newSender(cfg *Config, db *ledger.DB, mailer interface {
	Send(context.Context, *gomail.Msg) error
}, log *slog.Logger, now func() time.Time, m *metrics) (*notify.Sender, error) {
	tpl, err := notify.LoadTemplates(cfg.resolve(cfg.Notify.TemplatesDir))
	if err != nil {
		return nil, fmt.Errorf("notify.templates_dir: %w", err)
	}
	var ms []notify.MeasureInfo
	for _, x := range cfg.Measures {
		ms = append(ms, notify.MeasureInfo{Code: x.Code, Title: x.Title, TitleEN: x.TitleEN})
	}
	opt := notify.SenderOptions{DB: db, Mailer: mailer, Templates: tpl, Org: notifyOrg(cfg), Loc: cfg.Location(),
		Lang: cfg.Organisation.Language, AckLang: cfg.Notify.AckLanguage, Measures: ms, To: recipients(cfg),
		RetryFor: cfg.Notify.RetryFor.D(), Logger: log, Now: now}
	if m != nil {
		opt.OnResult = m.outboxResult
	}
	return notify.NewSender(opt)
}

func newForm(cfg *Config, p *intake.Pipeline, log *slog.Logger, now func() time.Time) (*form.Server, error) {
	var ms []form.Measure
	for _, m := range cfg.Measures {
		ms = append(ms, form.Measure{Code: m.Code, Title: m.Title, TitleEN: m.TitleEN})
	}
	o := cfg.Organisation
	f := cfg.Form
	return form.New(form.Options{
		OrgName: o.Name, OrgShortName: o.ShortName, ContactEmail: o.Mailbox, ContactPhone: o.Phone,
		PrivacyNotice: o.PrivacyNotice, PrivacyNoticeEN: o.PrivacyNoticeEN, Measures: ms, Loc: cfg.Location(),
		Lang: o.Language, MaxUploadBytes: int64(f.MaxUploadMB) << 20, MaxFiles: f.MaxFiles, AllowedTypes: f.AllowedTypes,
		RatePerHour: f.RatePerHour, TrustedProxyHeader: f.TrustedProxyHeader,
		MinFill: time.Duration(f.MinFillSeconds) * time.Second, Now: now, Logger: log,
	}, intake.NewFormStore(p))
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
