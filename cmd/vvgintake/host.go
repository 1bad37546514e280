package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vvgintake/vvgintake/internal/backoff"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// Host is `vvgintake run -config-dir DIR`: several VVGs in one process,
// one file each. Each VVG is the unit a single-file `run` is — a Daemon
// with its own ledger and lock, mailbox, SMTP account, strategy, prefix
// and staff accounts — supervised on its own: a VVG whose file is wrong,
// whose ledger cannot be opened (a full disk) or whose daemon stops is
// retried with backoff and reported, and never stops another. The host
// owns what the VVGs share: one form listener and one console listener,
// dispatching by host name or /SLUG/ (hostRouter), and the trained
// classifiers (sharedModels).
//
// Adding, changing or removing a file takes effect at the next scan:
// every HostOptions.Scan (default 2 s) and at once on Rescan (SIGHUP).
// Polling the directory's few files is dependency-free, works on every
// file system (fsnotify misses changes on NFS and through some editors'
// rename dance) and costs microseconds; a file is re-read only when its
// size or time changed, and its VVG restarted only when its content did.
type Host struct {
	dir     string
	opt     HostOptions
	log     *slog.Logger
	shared  *hostShared
	web     *hostRouter
	console *hostRouter
	rescan  chan struct{}

	mu    sync.Mutex
	units map[string]*unit
	ready chan struct{} // closed after the first scan
}

// HostOptions configure a Host; zero values take the defaults noted.
type HostOptions struct {
	Logger *slog.Logger
	Now    func() time.Time
	// Listener and ConsoleListener are the host's form and console
	// listeners (required).
	Listener, ConsoleListener net.Listener
	// Scan is how often the directory is looked at (default 2 s).
	Scan time.Duration
	// Daemon adjusts each VVG's daemon options (tests: IMAP timeouts).
	Daemon func(slug string, o *DaemonOptions)
}

// unit is one VVG under the host's supervision.
type unit struct {
	slug string
	// stamp is the file's size and time when last read.
	size  int64
	mtime time.Time
	entry config.Entry // the configuration that runs (or failed to)

	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	state   string // starting, running, failed, config error, stopped
	err     error  // why it failed, or the newer file's problems while the older runs
	daemon  *Daemon
	starts  int
	since   time.Time
	pending error // the file changed to one that does not load; the previous runs on
}

// Unit states.
const (
	unitStarting    = "starting"
	unitRunning     = "running"
	unitFailed      = "failed"
	unitConfigError = "config error"
)

// NewHost checks the directory and the listeners.
func NewHost(dir string, opt HostOptions) (*Host, error) {
	if opt.Listener == nil || opt.ConsoleListener == nil {
		return nil, errors.New("new host: both listeners are required")
	}
	if _, err := config.ListDir(dir); err != nil {
		return nil, err
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Scan <= 0 {
		opt.Scan = 2 * time.Second
	}
	h := &Host{dir: dir, opt: opt, log: opt.Logger, shared: newHostShared(), units: map[string]*unit{},
		rescan: make(chan struct{}, 1), ready: make(chan struct{})}
	h.web = newHostRouter(h.hostPaths())
	h.console = newHostRouter(nil)
	return h, nil
}

// Addr and ConsoleAddr are where the host's listeners are.
func (h *Host) Addr() string        { return h.opt.Listener.Addr().String() }
func (h *Host) ConsoleAddr() string { return h.opt.ConsoleListener.Addr().String() }

// Rescan asks for the directory to be read now (SIGHUP).
func (h *Host) Rescan() {
	select {
	case h.rescan <- struct{}{}:
	default:
	}
}

// Run serves the listeners and supervises the VVGs until ctx ends, then
// stops every VVG (each in its two phases) and the listeners.
func (h *Host) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, s := range []struct {
		ln net.Listener
		h  http.Handler
	}{{h.opt.Listener, h.web}, {h.opt.ConsoleListener, h.console}} {
		serveHTTP(gctx, g, s.ln, s.h)
	}
	g.Go(func() error {
		h.scan(gctx)
		close(h.ready)
		t := time.NewTicker(h.opt.Scan)
		defer t.Stop()
		for {
			select {
			case <-gctx.Done():
				h.stopAll()
				return nil
			case <-t.C:
			case <-h.rescan:
				h.log.Info("reading the configuration directory again", "dir", h.dir)
			}
			h.scan(gctx)
		}
	})
	err := g.Wait()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// scan brings the units in line with the directory's files.
func (h *Host) scan(ctx context.Context) {
	slugs, err := config.ListDir(h.dir)
	if err != nil {
		// The directory itself is gone or unreadable: keep what runs.
		h.log.Error("read the configuration directory; the VVGs running go on", "dir", h.dir, "err", err)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for slug, u := range h.units {
		if !slices.Contains(slugs, slug) {
			h.log.Info("vvg removed: stopping it", "vvg", slug)
			h.stop(u)
			delete(h.units, slug)
		}
	}
	for _, slug := range slugs {
		st, err := os.Stat(h.dir + "/" + slug + ".toml")
		if err != nil {
			continue // removed since the listing
		}
		u := h.units[slug]
		if u != nil && u.size == st.Size() && u.mtime.Equal(st.ModTime()) {
			continue
		}
		e := config.LoadEntry(h.dir, slug)
		if u != nil {
			u.size, u.mtime = st.Size(), st.ModTime()
			if e.Sum == u.entry.Sum && e.Err == nil {
				// Touched, or put back as it runs after a slip: nothing
				// to restart, and no problem pending any more.
				u.setPending(nil)
				continue
			}
			if e.Err != nil && u.running() {
				// A slip in an edit must not take a working VVG off
				// the air: the previous configuration runs on.
				h.log.Error("vvg configuration changed and does not load; the previous one runs on", "vvg", slug, "err", e.Err)
				u.setPending(e.Err)
				continue
			}
			h.log.Info("vvg configuration changed: restarting it", "vvg", slug)
			h.stop(u)
		}
		nu := &unit{slug: slug, size: st.Size(), mtime: st.ModTime(), entry: e, since: h.opt.Now()}
		h.units[slug] = nu
		if e.Err != nil {
			nu.state, nu.err = unitConfigError, e.Err
			h.log.Error("vvg configuration does not load; the VVG does not run", "vvg", slug, "err", e.Err)
			continue
		}
		if clash := h.clash(nu); clash != "" {
			nu.state, nu.err = unitConfigError, errors.New(clash)
			h.log.Error("vvg not started", "vvg", slug, "err", clash)
			continue
		}
		h.start(ctx, nu)
	}
}

// clash says why u cannot be served beside the others: a host name
// another VVG answers on. Under h.mu.
func (h *Host) clash(u *unit) string {
	c := u.entry.Config
	for slug, o := range h.units {
		if o == u || o.entry.Config == nil {
			continue
		}
		oc := o.entry.Config
		if c.Form.Host != "" && c.Form.Host == oc.Form.Host {
			return fmt.Sprintf("form.host: %s already serves %s", slug, c.Form.Host)
		}
		if c.Console.Host != "" && c.Console.Host == oc.Console.Host {
			return fmt.Sprintf("console.host: %s already serves %s", slug, c.Console.Host)
		}
	}
	return ""
}

// start runs u's daemon under its own context, restarting it with
// backoff when it fails, until stop.
func (h *Host) start(ctx context.Context, u *unit) {
	uctx, cancel := context.WithCancel(ctx)
	u.cancel, u.done = cancel, make(chan struct{})
	u.state = unitStarting
	log := h.log.With("vvg", u.slug)
	go func() {
		defer close(u.done)
		for n := 1; ; n++ {
			err := h.runUnit(uctx, u, log)
			if uctx.Err() != nil {
				return
			}
			wait := backoff.Delay(n, time.Second, 5*time.Minute, 0.2, rand.Float64())
			log.Error("vvg stopped; starting it again", "err", err, "in", wait.Round(time.Second))
			u.set(unitFailed, err, nil)
			select {
			case <-uctx.Done():
				return
			case <-time.After(wait):
			}
		}
	}()
}

// runUnit builds and runs one VVG's daemon until it stops.
func (h *Host) runUnit(ctx context.Context, u *unit, log *slog.Logger) error {
	cfg := u.entry.Config
	o := DaemonOptions{Logger: log, Now: h.opt.Now, Hosted: true, Shared: h.shared}
	if h.opt.Daemon != nil {
		h.opt.Daemon(u.slug, &o)
	}
	d, err := NewDaemon(ctx, cfg, o)
	if err != nil {
		return err
	}
	defer d.Close()
	h.route(u, d)
	defer h.unroute(u)
	u.set(unitRunning, nil, d)
	err = d.Run(ctx)
	if err == nil && ctx.Err() == nil {
		err = errors.New("the daemon stopped by itself")
	}
	return err
}

// route puts u's form and console on the host's listeners.
func (h *Host) route(u *unit, d *Daemon) {
	cfg := u.entry.Config
	h.web.add(u.slug, cfg.Form.Host, http.StripPrefix("/"+u.slug, d.WebHandler()), d.WebHandler())
	if c := d.ConsoleHandler(); c != nil {
		// The console strips its own prefix (console.Options.Prefix).
		h.console.add(u.slug, cfg.Console.Host, c, c)
	}
}

func (h *Host) unroute(u *unit) {
	h.web.remove(u.slug)
	h.console.remove(u.slug)
}

// stop ends u and waits for its daemon to finish what is in flight.
// Under h.mu.
func (h *Host) stop(u *unit) {
	if u.cancel == nil {
		return
	}
	u.cancel()
	<-u.done
	u.set("stopped", nil, nil)
}

func (h *Host) stopAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	var wg sync.WaitGroup
	for _, u := range h.units {
		wg.Add(1)
		go func() { defer wg.Done(); h.stop(u) }()
	}
	wg.Wait()
}

func (u *unit) set(state string, err error, d *Daemon) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.state, u.err, u.daemon = state, err, d
	if state == unitRunning {
		u.starts++
	}
}

func (u *unit) setPending(err error) {
	u.mu.Lock()
	u.pending = err
	u.mu.Unlock()
}

func (u *unit) running() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.state == unitRunning || u.state == unitStarting
}

// VVGState is one VVG as the host sees it (host /metrics, /readyz, tests).
type VVGState struct {
	Slug, State string
	Err         error // why it is not running; or the newer file's problems (Pending)
	Pending     bool  // Err is about a newer file; the previous configuration runs
	Starts      int
	daemon      *Daemon
}

// States lists the VVGs by slug.
func (h *Host) States() []VVGState {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []VVGState
	for _, slug := range slices.Sorted(maps.Keys(h.units)) {
		u := h.units[slug]
		u.mu.Lock()
		s := VVGState{Slug: slug, State: u.state, Err: u.err, Starts: u.starts, daemon: u.daemon}
		if u.pending != nil {
			s.Err, s.Pending = u.pending, true
		}
		u.mu.Unlock()
		out = append(out, s)
	}
	return out
}

// Daemon returns the running daemon of slug, nil when it does not run.
func (h *Host) Daemon(slug string) *Daemon {
	h.mu.Lock()
	u := h.units[slug]
	h.mu.Unlock()
	if u == nil {
		return nil
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.daemon
}
