package intaketest

import (
	"os/exec"
	"testing"
	"time"
)

// StopAtCleanup stops the started process cmd when t ends: ask asks it to
// stop (a signal, closing its stdin), and it is killed if it has not exited
// within grace, so a process that ignores the request cannot outlive the
// test. It waits for cmd itself; the caller must not.
func StopAtCleanup(t testing.TB, cmd *exec.Cmd, grace time.Duration, ask func()) {
	t.Cleanup(func() {
		ask()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(grace):
			cmd.Process.Kill() // by pid: only the process this test started
			<-done
		}
	})
}
