//go:build linux

package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// crashDaemon is one `vvgintake run` process of the real binary. Its
// stderr (the log) is appended to a file shared by every run, and the
// lines that mark progress are counted.
type crashDaemon struct {
	cmd     *exec.Cmd
	started time.Time
	exited  chan struct{} // closed once the process is reaped
	state   *os.ProcessState
	waitErr error

	recorded  atomic.Int64 // "message recorded" lines
	sent      atomic.Int64 // outbox "sent" lines
	recovered atomic.Int64 // outbox items found "sending" at start, now in doubt
}

// startCrashDaemon runs `vvgintake run` with env, logging to logPath.
// The kernel kills it if the test process dies first (Pdeathsig), so a
// crashed test leaves no daemon behind; t.Cleanup kills it otherwise.
func startCrashDaemon(t testing.TB, env []string, logPath string, run int) *crashDaemon {
	t.Helper()
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatalf("open daemon log: %v", err)
	}
	fmt.Fprintf(logf, "=== run %d, %s\n", run, time.Now().Format(time.StampMicro))
	cmd := exec.Command(binary(t), "-config", exampleConfig, "run")
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		logf.Close()
		t.Fatalf("daemon stderr: %v", err)
	}
	d := &crashDaemon{cmd: cmd, exited: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("start vvgintake run: %v", err)
	}
	d.started = time.Now()
	go func() {
		defer close(d.exited)
		defer logf.Close()
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.Contains(line, `msg="message recorded"`):
				d.recorded.Add(1)
			case strings.Contains(line, "msg=sent "):
				d.sent.Add(1)
			case strings.Contains(line, "marked in doubt"):
				if _, n, ok := strings.Cut(line, " count="); ok {
					k, _ := strconv.Atoi(strings.Fields(n)[0])
					d.recovered.Add(int64(k))
				}
			}
			fmt.Fprintln(logf, line)
		}
		// Wait only after the pipe is drained (os/exec's rule).
		d.waitErr = cmd.Wait()
		d.state = cmd.ProcessState
	}()
	t.Cleanup(func() {
		select {
		case <-d.exited:
		default:
			d.cmd.Process.Kill()
			<-d.exited
		}
	})
	return d
}

// kill sends SIGKILL and waits until the process is reaped. A daemon that
// had already exited on its own is a failure: it should run until killed.
func (d *crashDaemon) kill(t testing.TB) {
	t.Helper()
	select {
	case <-d.exited:
		t.Fatalf("vvgintake run exited by itself before the kill (%v, %v); see the log", d.state, d.waitErr)
	default:
	}
	if err := d.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("kill vvgintake run: %v", err)
	}
	select {
	case <-d.exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("vvgintake run not reaped 10s after SIGKILL")
	}
}

// terminate sends SIGTERM and returns the exit code, failing the test if
// the process does not exit within timeout.
func (d *crashDaemon) terminate(t testing.TB, timeout time.Duration) int {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM vvgintake run: %v", err)
	}
	select {
	case <-d.exited:
	case <-time.After(timeout):
		t.Fatalf("vvgintake run still running %v after SIGTERM", timeout)
	}
	return d.state.ExitCode()
}

// alive reports whether the process is still running.
func (d *crashDaemon) alive() bool {
	select {
	case <-d.exited:
		return false
	default:
		return true
	}
}

// logTail returns the end of the shared daemon log, for failure messages.
func logTail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
