//go:build !linux

package intaketest

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts Dovecot in its own process group (see the Linux version;
// there is no death signal here).
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
