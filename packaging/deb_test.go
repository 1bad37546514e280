//go:build linux

package packaging

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// need skips the test when the machine cannot build or install the
// package here, and fails it instead under VVGINTAKE_TEST_REAL=1 (CI),
// where test.sh has installed what it needs.
func need(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if intaketest.Real() {
		t.Fatalf("the package test needs %s", what)
	}
	t.Skipf("the package test needs %s (VVGINTAKE_TEST_REAL=1 makes this a failure)", what)
}

func have(cmd string) bool { _, err := exec.LookPath(cmd); return err == nil }

// TestDebInstall builds the package with build-deb.sh and installs it with
// dpkg into a throwaway root: an overlay of this machine's own root, in a
// mount namespace of its own, so the real dpkg, adduser and systemd-analyze
// run as on a host and every write lands in a temporary folder that
// vanishes with the namespace. There it checks what the maintainer
// scripts made (the user, group, folders and their modes), verifies the
// units, runs `vvgintake demo`, `check-config`, `migrate` and the unit's
// own start command as the service's user, upgrades the package over an
// edited configuration, removes it and purges it: the ledger stays.
func TestDebInstall(t *testing.T) {
	need(t, os.Geteuid() == 0, "root (dpkg, chroot and mounts)")
	for _, c := range []string{"dpkg-deb", "unshare", "nsenter", "chroot", "systemd-analyze", "adduser"} {
		need(t, have(c), c)
	}
	dir := t.TempDir()
	env := os.Environ()
	if ls := os.Getenv("VVGINTAKE_LITESTREAM"); ls != "" {
		env = append(env, "LITESTREAM="+ls)
	}
	build := exec.Command("./build-deb.sh", filepath.Join(dir, "dist"))
	build.Env = env
	var berr bytes.Buffer
	build.Stderr = &berr
	out, err := build.Output()
	if err != nil {
		t.Fatalf("build-deb.sh: %v\n%s", err, berr.String())
	}
	deb := strings.TrimSpace(string(out))
	fi, err := os.Stat(deb)
	if err != nil {
		t.Fatalf("build-deb.sh printed %q: %v", deb, err)
	}
	t.Logf("%s: %d KiB", filepath.Base(deb), fi.Size()>>10)

	contents := run(t, "dpkg-deb", "--contents", deb)
	for _, want := range []string{"./usr/bin/vvgintake", "./usr/lib/vvgintake/litestream", "./usr/lib/vvgintake/start",
		"./lib/systemd/system/vvgintake.service", "./lib/systemd/system/vvgintake-litestream.service",
		"./etc/vvgintake/vvgintake.toml", "./etc/vvgintake/vvgintake.d/", "./etc/vvgintake/litestream.yml",
		"./etc/sudoers.d/vvgintake", "./usr/share/man/man1/vvgintake.1.gz"} {
		if !strings.Contains(contents, want) {
			t.Errorf("package lacks %s", want)
		}
	}
	for _, line := range strings.Split(contents, "\n") {
		if strings.Contains(line, "./etc/sudoers.d/vvgintake") && !strings.HasPrefix(line, "-r--r-----") {
			t.Errorf("sudoers file must be 0440: %s", line)
		}
	}
	conffiles := run(t, "dpkg-deb", "--info", deb, "conffiles")
	for _, want := range []string{"/etc/vvgintake/vvgintake.toml", "/etc/vvgintake/secrets.env",
		"/etc/vvgintake/litestream.yml", "/etc/vvgintake/litestream.env", "/etc/sudoers.d/vvgintake"} {
		if !strings.Contains(conffiles, want+"\n") {
			t.Errorf("conffiles lacks %s:\n%s", want, conffiles)
		}
	}

	r := newThrowawayRoot(t, dir)
	r.copyIn(t, deb, "/tmp/vvgintake.deb")
	r.ok(t, "dpkg", "-i", "/tmp/vvgintake.deb")

	// What postinst made.
	if pw := r.ok(t, "getent", "passwd", "vvgintake"); !strings.HasSuffix(strings.TrimSpace(pw), ":/var/lib/vvgintake:/usr/sbin/nologin") {
		t.Errorf("vvgintake user: %q, want home /var/lib/vvgintake and no login shell", pw)
	}
	r.ok(t, "getent", "group", "vvgintake")
	modes := map[string]string{
		"/var/lib/vvgintake":                               "vvgintake:vvgintake 750",
		"/etc/vvgintake":                                   "root:vvgintake 750",
		"/etc/vvgintake/vvgintake.d":                       "root:vvgintake 750",
		"/etc/vvgintake/vvgintake.toml":                    "root:vvgintake 640",
		"/etc/vvgintake/secrets.env":                       "root:root 600",
		"/etc/vvgintake/litestream.env":                    "root:root 600",
		"/etc/sudoers.d/vvgintake":                         "root:root 440",
		"/usr/lib/vvgintake/litestream":                    "root:root 755",
		"/lib/systemd/system/vvgintake.service":            "root:root 644",
		"/etc/vvgintake/litestream.yml":                    "root:vvgintake 640",
		"/usr/share/man/man1/vvgintake.1.gz":               "root:root 644",
		"/usr/share/doc/vvgintake/README.md":               "root:root 644",
		"/usr/share/doc/vvgintake/copyright":               "root:root 644",
		"/usr/lib/vvgintake/start":                         "root:root 755",
		"/lib/systemd/system/vvgintake-litestream.service": "root:root 644",
	}
	for path, want := range modes {
		if got := strings.TrimSpace(r.ok(t, "stat", "-c", "%U:%G %a", path)); got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}

	// Not enabled by the install (the example is Aleksotas's); the host
	// enables them once configured, which their [Install] sections allow.
	wants := "/etc/systemd/system/multi-user.target.wants/"
	if c := r.run(t, "test", "-e", wants+"vvgintake.service"); c.code == 0 {
		t.Error("vvgintake.service is enabled by the install, before the host configured it")
	}
	r.ok(t, "systemctl", "enable", "vvgintake.service", "vvgintake-litestream.service")
	r.ok(t, "test", "-L", wants+"vvgintake.service")
	r.ok(t, "test", "-L", wants+"vvgintake-litestream.service")

	// The units, as systemd would load them (the template with an
	// instance), and how exposed the service is.
	verify := r.run(t, "systemd-analyze", "verify", "--man=no",
		"/lib/systemd/system/vvgintake.service", "/lib/systemd/system/vvgintake-litestream.service")
	if verify.code != 0 || strings.TrimSpace(verify.out) != "" {
		t.Errorf("systemd-analyze verify: exit %d\n%s", verify.code, verify.out)
	}
	if sec := r.run(t, "systemd-analyze", "security", "--offline=true", "/lib/systemd/system/vvgintake.service"); sec.code == 0 {
		t.Logf("systemd-analyze security: %s", lastLine(sec.out))
	}

	// The installed binary, as the service's user.
	if v := r.as(t, "vvgintake", "/usr/bin/vvgintake", "version"); v.code != 0 {
		t.Fatalf("vvgintake version: exit %d\n%s", v.code, v.out)
	}
	demo := r.as(t, "vvgintake", "/usr/bin/vvgintake", "demo", "--out", "/var/lib/vvgintake/demo")
	if demo.code != 0 || !strings.Contains(demo.out, "VVG-") {
		t.Errorf("vvgintake demo from the installed binary: exit %d\n%s", demo.code, demo.out)
	}
	for _, args := range [][]string{{"check-config"}, {"migrate"}} {
		if c := r.as(t, "vvgintake", append([]string{"/usr/bin/vvgintake", "-config", "/etc/vvgintake/vvgintake.toml"}, args...)...); c.code != 0 {
			t.Errorf("vvgintake %s on the installed configuration: exit %d\n%s", args[0], c.code, c.out)
		}
	}
	if got := strings.TrimSpace(r.ok(t, "stat", "-c", "%U:%G %a", "/var/lib/vvgintake/vvgintake.db")); got != "vvgintake:vvgintake 600" {
		t.Errorf("ledger: %s, want vvgintake:vvgintake 600", got)
	}
	// The installed Litestream on the installed configuration, its
	// replica swapped for a file one: one sync, then a restore.
	yml := r.ok(t, "cat", "/etc/vvgintake/litestream.yml")
	i, j := strings.Index(yml, "    replica:\n"), strings.Index(yml, "\n\n# Restores")
	if i < 0 || j < i {
		t.Fatalf("litestream.yml has no replica block where the test expects it:\n%s", yml)
	}
	yml = yml[:i] + "    replica:\n      type: file\n      path: /var/lib/vvgintake/replica-test\n" + yml[j:]
	r.write(t, strings.NewReader(yml), "/tmp/litestream-test.yml")
	if c := r.as(t, "vvgintake", "/usr/lib/vvgintake/litestream", "replicate", "-once", "-config", "/tmp/litestream-test.yml"); c.code != 0 {
		t.Errorf("installed litestream replicate -once: exit %d\n%s", c.code, c.out)
	} else if c := r.as(t, "vvgintake", "/usr/lib/vvgintake/litestream", "restore", "-o", "/var/lib/vvgintake/restored.db",
		"file:///var/lib/vvgintake/replica-test/vvgintake.db"); c.code != 0 {
		t.Errorf("installed litestream restore: exit %d\n%s", c.code, c.out)
	} else if c := r.as(t, "vvgintake", "env", "VVGINTAKE_LEDGER_PATH=/var/lib/vvgintake/restored.db",
		"/usr/bin/vvgintake", "-config", "/etc/vvgintake/vvgintake.toml", "migrate"); c.code != 0 {
		t.Errorf("vvgintake on the restored ledger: exit %d\n%s", c.code, c.out)
	}

	// The unit's start command runs the daemon on the single file (no
	// VVG file in vvgintake.d/); its listeners on free ports here.
	r.start(t, "/usr/lib/vvgintake/start", false)
	// With a VVG's file in vvgintake.d/, on the directory form.
	r.ok(t, "install", "-d", "-o", "vvgintake", "-g", "vvgintake", "-m", "0750", "/var/lib/vvgintake/aleksotas")
	r.ok(t, "sh", "-c", `sed 's|^path = "/var/lib/vvgintake/vvgintake.db"|path = "/var/lib/vvgintake/aleksotas/vvgintake.db"|' \
		/etc/vvgintake/vvgintake.toml > /etc/vvgintake/vvgintake.d/aleksotas.toml && chgrp vvgintake /etc/vvgintake/vvgintake.d/aleksotas.toml && chmod 640 /etc/vvgintake/vvgintake.d/aleksotas.toml`)
	r.start(t, "/usr/lib/vvgintake/start", true)
	r.ok(t, "test", "-s", "/var/lib/vvgintake/aleksotas/vvgintake.db")
	if c := r.as(t, "vvgintake", "/usr/bin/vvgintake", "-config-dir", "/etc/vvgintake/vvgintake.d", "--vvg", "aleksotas",
		"consultation", "list"); c.code != 0 {
		t.Errorf("a staff command on the directory form: exit %d\n%s", c.code, c.out)
	}
	r.ok(t, "rm", "/etc/vvgintake/vvgintake.d/aleksotas.toml")

	// An upgrade keeps the host's configuration and the ledger.
	r.ok(t, "sed", "-i", "s/^name = .*/name = \"Testo VVG\"/", "/etc/vvgintake/vvgintake.toml")
	next := r.repack(t, "/tmp/vvgintake.deb", "/tmp/vvgintake-next.deb")
	r.ok(t, "dpkg", "--force-confold", "-i", next)
	if toml := r.ok(t, "cat", "/etc/vvgintake/vvgintake.toml"); !strings.Contains(toml, `name = "Testo VVG"`) {
		t.Error("the upgrade replaced the edited vvgintake.toml")
	}
	r.ok(t, "test", "-s", "/var/lib/vvgintake/vvgintake.db")

	// Removing, then purging, leaves the ledgers.
	r.ok(t, "dpkg", "--remove", "vvgintake")
	if c := r.run(t, "test", "-e", "/usr/bin/vvgintake"); c.code == 0 {
		t.Error("/usr/bin/vvgintake is still there after dpkg --remove")
	}
	r.ok(t, "test", "-f", "/etc/vvgintake/vvgintake.toml")
	r.ok(t, "dpkg", "--purge", "vvgintake")
	if c := r.run(t, "test", "-e", "/etc/vvgintake/vvgintake.toml"); c.code == 0 {
		t.Error("/etc/vvgintake/vvgintake.toml is still there after dpkg --purge")
	}
	r.ok(t, "test", "-s", "/var/lib/vvgintake/vvgintake.db")
}

// throwawayRoot is an overlay of / mounted in a mount namespace held open
// by a shell; commands enter the namespace (nsenter) and chroot into it.
type throwawayRoot struct {
	pid    int
	merged string
}

func newThrowawayRoot(t *testing.T, dir string) *throwawayRoot {
	t.Helper()
	for _, d := range []string{"upper", "work", "merged"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	merged := filepath.Join(dir, "merged")
	// The mounts live and die with the namespace: when the shell ends
	// (its stdin closes, or the test dies: Pdeathsig), nothing is left
	// mounted on the machine.
	script := fmt.Sprintf(`set -e
mount -t overlay overlay -o lowerdir=/,upperdir=%[1]s/upper,workdir=%[1]s/work %[2]s
mount --rbind /dev %[2]s/dev
mount -t proc proc %[2]s/proc
mount -t tmpfs tmpfs %[2]s/tmp
mount -t tmpfs tmpfs %[2]s/run
echo ready
read _
`, dir, merged)
	cmd := exec.Command("unshare", "--mount", "--propagation", "private", "sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("unshare: %v", err)
	}
	intaketest.StopAtCleanup(t, cmd, 10*time.Second, func() { stdin.Close() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		need(t, false, fmt.Sprintf("an overlay mount in a mount namespace (%v: %s)", err, stderr.String()))
	}
	return &throwawayRoot{pid: cmd.Process.Pid, merged: merged}
}

type result struct {
	out  string
	code int
}

// run runs a command inside the throwaway root as root.
func (r *throwawayRoot) run(t *testing.T, args ...string) result {
	t.Helper()
	return r.exec(t, nil, append([]string{"chroot", r.merged}, args...)...)
}

// as runs a command inside the throwaway root as user.
func (r *throwawayRoot) as(t *testing.T, user string, args ...string) result {
	t.Helper()
	return r.exec(t, []string{"HOME=/var/lib/vvgintake", "PATH=/usr/bin:/bin", "LANG=C.UTF-8"},
		append([]string{"/usr/sbin/chroot", "--userspec=" + user + ":" + user, r.merged}, args...)...)
}

func (r *throwawayRoot) exec(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command("nsenter", append([]string{"-t", fmt.Sprint(r.pid), "-m", "--"}, args...)...)
	cmd.Env = append([]string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive", "LANG=C.UTF-8"}, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return result{out.String(), code}
}

// ok runs a command in the root and fails the test unless it exits 0.
func (r *throwawayRoot) ok(t *testing.T, args ...string) string {
	t.Helper()
	res := r.run(t, args...)
	if res.code != 0 {
		t.Fatalf("%s: exit %d\n%s", strings.Join(args, " "), res.code, res.out)
	}
	return res.out
}

// copyIn copies a file of this machine to path inside the root.
func (r *throwawayRoot) copyIn(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r.write(t, src, to)
}

// write writes what src holds to path inside the root, readable by all.
func (r *throwawayRoot) write(t *testing.T, src io.Reader, to string) {
	t.Helper()
	cmd := exec.Command("nsenter", "-t", fmt.Sprint(r.pid), "-m", "--", "sh", "-c", `cat > "$1" && chmod 644 "$1"`, "sh",
		filepath.Join(r.merged, to))
	cmd.Stdin = src
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("write %s in the root: %v\n%s", to, err, out)
	}
}

// repack makes the next version of a package: the same files under a
// later version, as an upgrade brings.
func (r *throwawayRoot) repack(t *testing.T, deb, next string) string {
	t.Helper()
	r.ok(t, "sh", "-c", fmt.Sprintf(`set -e
rm -rf /tmp/repack
dpkg-deb -R %s /tmp/repack
sed -i 's/^Version: \(.*\)/Version: \1.next/' /tmp/repack/DEBIAN/control
dpkg-deb --root-owner-group -b /tmp/repack %s >/dev/null`, deb, next))
	return next
}

// start runs the unit's start command as the service's user, on free
// loopback ports (by flags for the directory form, whose listeners are
// the host's, else by the environment), until it answers /healthz; then
// SIGTERM must end it with exit 0, as systemd's stop does.
func (r *throwawayRoot) start(t *testing.T, command string, dirForm bool) {
	t.Helper()
	form, console := freePort(t), freePort(t)
	args := []string{"-t", fmt.Sprint(r.pid), "-m", "--", "/usr/sbin/chroot", "--userspec=vvgintake:vvgintake", r.merged, command}
	if dirForm {
		args = append(args, "--listen", form, "--console-listen", console)
	}
	cmd := exec.Command("nsenter", args...)
	cmd.Env = []string{"HOME=/var/lib/vvgintake", "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
		"VVGINTAKE_FORM_LISTEN=" + form, "VVGINTAKE_CONSOLE_LISTEN=" + console}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", command, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for !healthy(form) {
		select {
		case err := <-exited:
			t.Fatalf("%s exited before it answered: %v\n%s", command, err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited
			t.Fatalf("%s did not answer /healthz on %s within 20 s\n%s", command, form, out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// nsenter and chroot exec, so the process is the daemon itself.
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("%s after SIGTERM: %v\n%s", command, err, out.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-exited
		t.Errorf("%s did not stop within 30 s of SIGTERM\n%s", command, out.String())
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// freePort returns a free loopback address.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// healthy reports whether the daemon's /healthz at addr answers 200.
func healthy(addr string) bool {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get("http://" + addr + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
