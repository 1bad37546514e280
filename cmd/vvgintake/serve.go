package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vvgintake/vvgintake/web"
)

// serveHTTP serves h on ln under g until ctx ends, then shuts the server
// down, letting requests in flight finish within shutdownGrace. A single
// VVG's form listener and a host's two listeners run this one way, with
// the same timeouts.
func serveHTTP(ctx context.Context, g *errgroup.Group, ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: time.Minute}
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		return srv.Shutdown(sctx)
	})
}

// handleHealth adds /healthz (the process is up) and /readyz (readiness
// lists no problem) to mux, as a single VVG and a host both serve them.
// The reasons /readyz gives name the mailbox account and repeat the
// servers' own errors: only a request from this machine (web.Local with
// trustedProxyHeader) reads them, anyone else their number.
func handleHealth(mux *http.ServeMux, readiness func(context.Context) []string, trustedProxyHeader string) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		problems := readiness(r.Context())
		if len(problems) == 0 {
			fmt.Fprintln(w, "ready")
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		if !web.Local(r, trustedProxyHeader) {
			fmt.Fprintf(w, "not ready: %d problem(s); `vvgintake status` on the server says which\n", len(problems))
			return
		}
		for _, p := range problems {
			fmt.Fprintln(w, p)
		}
	})
}
