package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/vvgintake/vvgintake/internal/readmetest"
)

// readmeInstall returns the lines of the README's "Install and configure"
// shell block.
func readmeInstall(t *testing.T) []string {
	t.Helper()
	block := readmetest.Block(t, "../../README.md", "## Install and configure", "sh")
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		if l, _, _ = strings.Cut(l, "#"); strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	return lines
}

// TestE2EReadmeInstall follows the README's install steps, line by line,
// on a clean folder standing in for the machine's root: build, the
// service's user and folders, copy the example configuration, then
// check-config, migrate and status as the service's user (nobody when the
// test runs as root; the test's own user otherwise). A step the test does
// not know fails it, so the README cannot change without this test. On
// the way it checks that a ledger folder the user cannot write is
// reported as such, not as "unable to open database file (14)".
func TestE2EReadmeInstall(t *testing.T) {
	t.Parallel()
	root, err := os.MkdirTemp("", "vvgintake-install-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	// The service's user must reach into it, as into / .
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	at := func(p string) string { return filepath.Join(root, p) }
	// Run as another user when we can, so that permissions are real.
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534} // nobody
	}
	serviceUID, serviceGID := os.Getuid(), os.Getgid()
	if cred != nil {
		serviceUID, serviceGID = int(cred.Uid), int(cred.Gid)
	}
	run := func(args ...string) cliResult {
		t.Helper()
		cmd := exec.Command(at("usr/local/bin/vvgintake"), args...)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + root}
		cmd.Dir = root
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		return runCmd(t, cmd, args)
	}
	// The machine's paths, moved under root (the configuration's too: the
	// test cannot write /var/lib).
	moved := strings.NewReplacer("/etc/vvgintake", at("etc/vvgintake"), "/var/lib/vvgintake", at("var/lib/vvgintake"),
		"/usr/local/bin", at("usr/local/bin"))
	sudo := regexp.MustCompile(`^sudo -u vvgintake vvgintake (.*)$`)
	var steps []string
	for _, line := range readmeInstall(t) {
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "go build -o /usr/local/bin/vvgintake ./cmd/vvgintake"):
			steps = append(steps, "build")
			bin, err := os.ReadFile(binary(t))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(at("usr/local/bin"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(at("usr/local/bin/vvgintake"), bin, 0o755); err != nil {
				t.Fatal(err)
			}
		case f[0] == "useradd":
			// Not on this machine: the service's user is nobody (root)
			// or the test's own.
			steps = append(steps, "user")
		case f[0] == "mkdir" && f[1] == "-p":
			steps = append(steps, "mkdir")
			for _, d := range f[2:] {
				if err := os.MkdirAll(moved.Replace(d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
		case f[0] == "chown":
			steps = append(steps, "chown")
			if err := os.Chown(moved.Replace(f[2]), serviceUID, serviceGID); err != nil {
				t.Fatal(err)
			}
		case f[0] == "cp" && len(f) == 3:
			steps = append(steps, "cp")
			b, err := os.ReadFile(filepath.Join("../..", f[1]))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(moved.Replace(f[2]), []byte(moved.Replace(string(b))), 0o644); err != nil {
				t.Fatal(err)
			}
			// A ledger folder the service cannot write is reported as
			// such, not as "unable to open database file (14)".
			state := at("var/lib/vvgintake")
			if cred != nil {
				os.Chown(state, 0, 0)
			} else {
				os.Chmod(state, 0o555)
			}
			r := run("-config", at("etc/vvgintake/vvgintake.toml"), "migrate")
			if r.code != exitRuntime || !strings.Contains(r.stderr, "cannot write in the ledger's folder "+state) {
				t.Errorf("migrate into an unwritable folder: exit %d %q", r.code, r.stderr)
			}
			os.Chown(state, serviceUID, serviceGID)
			os.Chmod(state, 0o755)
		case sudo.MatchString(line):
			args := strings.Fields(moved.Replace(sudo.FindStringSubmatch(line)[1]))
			steps = append(steps, args[len(args)-1])
			r := run(args...)
			if r.code != exitOK {
				t.Fatalf("%s: exit %d\n%s%s", line, r.code, r.stdout, r.stderr)
			}
			t.Logf("%s\n%s", line, r.stdout)
			switch args[len(args)-1] {
			case "check-config":
				for _, want := range []string{"configuration is valid", "examples          11784 labelled, built in (aleksotas)",
					"ledger            " + at("var/lib/vvgintake/vvgintake.db")} {
					if !strings.Contains(r.stdout, want) {
						t.Errorf("check-config lacks %q", want)
					}
				}
			case "migrate":
				if !strings.Contains(r.stdout, "is at schema version") {
					t.Errorf("migrate: %q", r.stdout)
				}
			case "status":
				if !strings.Contains(r.stdout, "no alerts") {
					t.Errorf("status: %q", r.stdout)
				}
			}
		default:
			t.Fatalf("README install step %q is unknown to this test: teach it the step", line)
		}
	}
	want := "build user mkdir chown cp check-config migrate status"
	if got := strings.Join(steps, " "); got != want {
		t.Errorf("README install steps = %q, want %q", got, want)
	}
	st, err := os.Stat(at("var/lib/vvgintake/vvgintake.db"))
	if err != nil {
		t.Fatalf("no ledger where the configuration says: %v", err)
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && int(sys.Uid) != serviceUID {
		t.Errorf("the ledger belongs to uid %d, want the service's %d", sys.Uid, serviceUID)
	}
}
