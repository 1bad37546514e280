//go:build linux

package main

import (
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCrashStopDuringStart sends SIGTERM to `vvgintake run` while it is
// still starting (migrations, outbox recovery, training the classifier):
// a stop requested then is a clean stop and must exit 0, like one during
// Run, not fail with "context canceled". A SIGTERM that lands before the Go
// runtime has installed its handler kills the process outright; that is
// the kernel's default and accepted.
func TestCrashStopDuringStart(t *testing.T) {
	for _, ms := range []int{2, 5, 10, 15, 20, 30, 45, 60} {
		delay := time.Duration(ms) * time.Millisecond
		t.Run(fmt.Sprintf("%dms", ms), func(t *testing.T) {
			dir := t.TempDir()
			d := startCrashDaemon(t, baseEnv(dir), filepath.Join(dir, "daemon.log"), 1)
			waitUntil(d.started.Add(delay))
			code := d.terminate(t, crashStopTimeout)
			ws, _ := d.state.Sys().(syscall.WaitStatus)
			if ws.Signaled() && ws.Signal() == syscall.SIGTERM {
				t.Logf("SIGTERM arrived before the runtime's handler; killed by the kernel")
				return
			}
			if code != 0 {
				t.Errorf("exit code %d after SIGTERM %v into start-up, want 0\n%s", code, delay,
					logTail(filepath.Join(dir, "daemon.log"), 10))
			}
		})
	}
}
