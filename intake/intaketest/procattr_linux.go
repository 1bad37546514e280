package intaketest

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts Dovecot in its own process group, so stopping it reaches
// every process it forked (the master alone leaves logged-in imap processes
// serving), and makes the kernel SIGTERM it if the test binary dies without
// running its cleanups (a panic, a CI timeout kill).
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
