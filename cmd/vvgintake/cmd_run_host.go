package main

import (
	"context"
	"flag"
	"fmt"
	"net"
)

// runHost is `run -config-dir DIR`: every VVG of DIR in this process.
func runHost(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8080", "the host's form listener")
	conListen := fs.String("console-listen", "127.0.0.1:8081", "the host's console listener")
	if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
		return usagef("run -config-dir takes only --listen ADDR and --console-listen ADDR")
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	cln, err := net.Listen("tcp", *conListen)
	if err != nil {
		ln.Close()
		return fmt.Errorf("console-listen: %w", err)
	}
	h, err := NewHost(e.cfgDir, HostOptions{Logger: e.logger(), Now: e.now, Listener: ln, ConsoleListener: cln})
	if err != nil {
		ln.Close()
		cln.Close()
		return err
	}
	if e.hup != nil {
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case <-e.hup:
					h.Rescan()
				}
			}
		}()
	}
	e.logger().Info("vvgintake host running", "dir", e.cfgDir, "web", h.Addr(), "console", h.ConsoleAddr())
	return h.Run(ctx)
}
