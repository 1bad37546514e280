package main

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The end-to-end tests run the built binary with the shipped example
// configuration, overriding what differs through VVGINTAKE_* variables —
// which also proves those overrides work.
const exampleConfig = "../../config.example.toml"

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds vvgintake once per test run and returns its path.
func binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vvgintake-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "vvgintake")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("build vvgintake: %v", buildErr)
	}
	return binPath
}

// baseEnv points the example configuration at a fresh ledger in dir with
// IMAP, SMTP and the form off; tests add what they need.
func baseEnv(dir string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "USER=tester",
		"VVGINTAKE_LEDGER_PATH=" + filepath.Join(dir, "vvgintake.db"),
		"VVGINTAKE_IMAP_ENABLED=false", "VVGINTAKE_SMTP_ENABLED=false", "VVGINTAKE_FORM_ENABLED=false",
		"VVGINTAKE_CONSOLE_ENABLED=false",
		"VVGINTAKE_LOG_LEVEL=warn",
	}
}

// imapEnv points the configuration at a test IMAP server (plaintext on
// loopback, which must be allowed explicitly).
func imapEnv(addr, user, password string) []string {
	host, port, _ := net.SplitHostPort(addr)
	return []string{"VVGINTAKE_IMAP_ENABLED=true", "VVGINTAKE_IMAP_HOST=" + host, "VVGINTAKE_IMAP_PORT=" + port,
		"VVGINTAKE_IMAP_TLS=none", "VVGINTAKE_IMAP_ALLOW_INSECURE=true", "VVGINTAKE_IMAP_USERNAME=" + user,
		"VVGINTAKE_IMAP_PASSWORD=" + password, "VVGINTAKE_IMAP_POLL_INTERVAL=1s"}
}

// smtpEnv points the configuration at a test SMTP server.
func smtpEnv(addr string) []string {
	host, port, _ := net.SplitHostPort(addr)
	return []string{"VVGINTAKE_SMTP_ENABLED=true", "VVGINTAKE_SMTP_HOST=" + host, "VVGINTAKE_SMTP_PORT=" + port,
		"VVGINTAKE_SMTP_TLS=none", "VVGINTAKE_SMTP_ALLOW_INSECURE=true", "VVGINTAKE_SMTP_AUTH=none"}
}

// cliResult is what one run of the binary printed.
type cliResult struct {
	stdout, stderr string
	code           int
}

// runCLI runs the binary with the example configuration and env.
func runCLI(t testing.TB, env []string, stdin string, args ...string) cliResult {
	t.Helper()
	return runCLIWith(t, exampleConfig, env, stdin, args...)
}

// runCLIWith runs the binary with the configuration file cfg and env.
func runCLIWith(t testing.TB, cfg string, env []string, stdin string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"-config", cfg}, args...)...)
	cmd.Env = env
	cmd.Stdin = bytes.NewBufferString(stdin)
	return runCmd(t, cmd, args)
}

// runCmd runs a prepared command of the binary and keeps what it
// printed and its exit code; only a binary that does not start fails
// the test (args name the run in that failure).
func runCmd(t testing.TB, cmd *exec.Cmd, args []string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return cliResult{out.String(), errOut.String(), code}
}

// awaitStop waits for a host or binary told to stop to report
// how its run ended (nil: a clean stop), for as long as a stop may take:
// shutdownGrace and 10 s to spare. what names the run in a failure.
func awaitStop(t testing.TB, exited <-chan error, what string) {
	t.Helper()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("%s: %v, want a clean stop", what, err)
		}
	case <-time.After(shutdownGrace + 10*time.Second):
		t.Errorf("%s did not stop within %s", what, shutdownGrace+10*time.Second)
	}
}

// freeAddr returns a free loopback address.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}
