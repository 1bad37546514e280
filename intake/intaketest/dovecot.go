package intaketest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	dovecotStartTimeout = 15 * time.Second
	// Dovecot's master takes 2-3 s to stop; give it more before SIGKILL.
	dovecotStopTimeout = 15 * time.Second
	// nobodyID owns the mail when we run as root: the userdb may not
	// return uid 0, and imap-login refuses to run as root.
	nobodyID = 65534
)

// DovecotAvailable reports whether the dovecot binary is installed.
func DovecotAvailable() bool {
	_, err := dovecotBinary()
	return err == nil
}

// dovecotBinary finds dovecot in PATH or in Debian's /usr/sbin.
func dovecotBinary() (string, error) {
	if p, err := exec.LookPath("dovecot"); err == nil {
		return p, nil
	}
	const deb = "/usr/sbin/dovecot"
	if _, err := os.Stat(deb); err != nil {
		return "", fmt.Errorf("dovecot not installed (apt-get install dovecot-imapd): %w", err)
	}
	return deb, nil
}

// dovecot is one private Dovecot master process and its directory.
type dovecot struct {
	bin, dir, conf string
	port           int
	cmd            *exec.Cmd
	exited         chan struct{}
	mu             sync.Mutex // the passwd-file (Account)
}

// StartDovecot starts a private Dovecot on 127.0.0.1 and a free port, with
// its config, sockets, logs and mail in a fresh directory, as `dovecot -F`
// (the pid is the master). t.Cleanup stops it by that pid and waits until
// it is gone. A Dovecot that will not start fails the test.
func StartDovecot(t testing.TB) *Server {
	t.Helper()
	bin, err := dovecotBinary()
	if err != nil {
		t.Fatalf("dovecot: %v", err)
	}
	dir, err := dovecotDir()
	if err != nil {
		t.Fatalf("dovecot: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) }) // runs after the stop below
	d := &dovecot{bin: bin, dir: dir, conf: filepath.Join(dir, "dovecot.conf")}
	if err := d.prepare(); err != nil {
		t.Fatalf("dovecot: %v", err)
	}
	// A free port may be taken between our check and Dovecot's bind: try
	// a few.
	for attempt := 0; ; attempt++ {
		if d.port, err = freePort(); err == nil {
			if err = d.writeConf(); err == nil {
				err = d.start()
			}
		}
		if err == nil {
			break
		}
		if attempt == 2 {
			t.Fatalf("dovecot: %v\n%s", err, d.log())
		}
	}
	t.Cleanup(func() {
		if err := d.stop(); err != nil {
			t.Errorf("dovecot: %v", err)
		}
	})
	return &Server{
		Name: "dovecot", Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(d.port)),
		User: DefaultUser, Password: DefaultPassword, dov: d,
	}
}

// dovecotDir makes a directory the unprivileged Dovecot processes can
// traverse: t.TempDir() is 0700 and owned by root, so as root we make our
// own 0755 one under a world-traversable parent.
func dovecotDir() (string, error) {
	for _, parent := range []string{os.TempDir(), "/tmp"} {
		if os.Geteuid() == 0 && !traversable(parent) {
			continue
		}
		dir, err := os.MkdirTemp(parent, "vvgintake-dovecot-")
		if err != nil {
			continue
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
		return dir, nil
	}
	return "", fmt.Errorf("no temp dir that other users can traverse (tried %s, /tmp)", os.TempDir())
}

// traversable reports whether every directory from / to dir is
// searchable by other users.
func traversable(dir string) bool {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}

// prepare makes the directories and the password file.
func (d *dovecot) prepare() error {
	for _, sub := range []string{"run", "state", "mail"} {
		if err := os.MkdirAll(filepath.Join(d.dir, sub), 0o755); err != nil {
			return err
		}
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(filepath.Join(d.dir, "mail"), nobodyID, nobodyID); err != nil {
			return err
		}
	}
	line := DefaultUser + ":{PLAIN}" + DefaultPassword + "\n"
	return os.WriteFile(filepath.Join(d.dir, "passwd"), []byte(line), 0o644)
}

// writeConf writes a config that reads nothing from /etc.
func (d *dovecot) writeConf() error {
	uid, gid := nobodyID, nobodyID
	users := "" // as root keep the package's dovenull/dovecot users
	firstUID := 500
	if os.Geteuid() != 0 {
		uid, gid = os.Geteuid(), os.Getegid()
		u, err := user.Current()
		if err != nil {
			return err
		}
		g, err := user.LookupGroupId(strconv.Itoa(gid))
		if err != nil {
			return err
		}
		users = fmt.Sprintf("default_login_user = %s\ndefault_internal_user = %s\ndefault_internal_group = %s\n",
			u.Username, u.Username, g.Name)
		firstUID = min(firstUID, uid)
	}
	conf := fmt.Sprintf(`# private test instance, see intaketest.StartDovecot
instance_name = vvgintake-test-%[2]d
protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
info_log_path = %[1]s/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = %[5]d
mail_location = maildir:~/Maildir
# tests, not durability: skip fsync
mail_fsync = never
%[6]s
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = static
  args = uid=%[3]d gid=%[4]d home=%[1]s/mail/%%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`, d.dir, d.port, uid, gid, firstUID, users)
	return os.WriteFile(d.conf, []byte(conf), 0o644)
}

// start runs the master and waits until it greets on the port.
func (d *dovecot) start() error {
	logf, err := os.OpenFile(filepath.Join(d.dir, "master.out"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(d.bin, "-F", "-c", d.conf)
	cmd.Stdout, cmd.Stderr = logf, logf
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", d.bin, err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	d.cmd, d.exited = cmd, exited

	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(d.port))
	deadline := time.NewTimer(dovecotStartTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if greets(addr) {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("dovecot exited at start (%v)", cmd.ProcessState)
		case <-deadline.C:
			d.stop()
			return fmt.Errorf("dovecot did not greet on %s within %v", addr, dovecotStartTimeout)
		case <-tick.C:
		}
	}
}

// greets reports whether an IMAP server answers "* OK" on addr.
func greets(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "* OK")
}

// stop sends SIGTERM to Dovecot's process group (the master's pid) and
// waits until the master and every process it forked are gone; SIGKILL if
// they will not go.
func (d *dovecot) stop() error {
	if d.cmd == nil {
		return nil
	}
	pid := d.cmd.Process.Pid
	d.cmd = nil
	syscall.Kill(-pid, syscall.SIGTERM)
	t := time.NewTimer(dovecotStopTimeout)
	defer t.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-d.exited:
			// The master is reaped; its children may still be exiting.
			if syscall.Kill(-pid, 0) == syscall.ESRCH {
				return nil
			}
		case <-t.C:
			syscall.Kill(-pid, syscall.SIGKILL)
			<-d.exited
			return fmt.Errorf("dovecot process group %d ignored SIGTERM for %v; killed", pid, dovecotStopTimeout)
		case <-tick.C:
		}
	}
}

// restart stops the master and starts it again on the same port and
// directory, so mail and UIDs stay.
func (d *dovecot) restart(t testing.TB) {
	t.Helper()
	if err := d.stop(); err != nil {
		t.Errorf("dovecot: %v", err)
	}
	if err := d.start(); err != nil {
		t.Fatalf("dovecot: restart: %v\n%s", err, d.log())
	}
}

// changeUIDValidity sets a new UIDVALIDITY with doveadm, keeping UIDs.
func (d *dovecot) changeUIDValidity(t testing.TB, s *Server, folder string) {
	t.Helper()
	next := s.UIDValidity(t, folder) + 1
	out, err := exec.Command(d.doveadm(), "-c", d.conf, "mailbox", "update", "-u", s.User,
		"--uid-validity", strconv.FormatUint(uint64(next), 10), folder).CombinedOutput()
	if err != nil {
		t.Fatalf("dovecot: doveadm mailbox update %s: %v\n%s", folder, err, out)
	}
	if got := s.UIDValidity(t, folder); got != next {
		t.Fatalf("dovecot: uidvalidity of %s = %d after update, want %d", folder, got, next)
	}
}

// doveadm is the doveadm binary beside dovecot.
func (d *dovecot) doveadm() string {
	for _, p := range []string{filepath.Join(filepath.Dir(d.bin), "doveadm"), "/usr/bin/doveadm"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "doveadm"
}

// log returns Dovecot's log, for failure messages.
func (d *dovecot) log() string {
	var b strings.Builder
	for _, name := range []string{"master.out", "dovecot.log"} {
		data, _ := os.ReadFile(filepath.Join(d.dir, name))
		fmt.Fprintf(&b, "--- %s ---\n%s", name, data)
	}
	return b.String()
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Account adds (or, given an existing user, changes the password of) an
// account on this Dovecot and returns the server as that account sees
// it: several VVGs' mailboxes on one server. Dovecot reads the
// passwd-file again when it changes, so a changed password refuses the
// next login (Account returns once Dovecot can see the change). Only a
// Dovecot has several accounts.
func (s *Server) Account(t testing.TB, user, password string) *Server {
	t.Helper()
	if s.dov == nil {
		t.Fatalf("%s: one account only; Account needs a Dovecot", s.Name)
	}
	s.dov.mu.Lock()
	defer s.dov.mu.Unlock()
	path := filepath.Join(s.dov.dir, "passwd")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("dovecot: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if l != "" && !strings.HasPrefix(l, user+":") {
			lines = append(lines, l)
		}
	}
	lines = append(lines, user+":{PLAIN}"+password)
	// Write a new file and rename it over the old: Dovecot never reads
	// half a file, and the new inode and time make it read it again.
	tmp := path + ".new"
	if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatalf("dovecot: %v", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatalf("dovecot: %v", err)
	}
	// Dovecot's auth process looks at the file at most once per second of
	// its event loop (passwd_file_sync skips the stat when it already
	// synced in this second), so a login in the second of the change can
	// still see the old file. Return only once that second has passed.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 20*time.Millisecond)))
	c := *s
	c.User, c.Password = user, password
	return &c
}

// Kick closes every IMAP connection of s's account (doveadm kick), as
// a server does when an account's password is changed: the client must
// log in again.
func (s *Server) Kick(t testing.TB) {
	t.Helper()
	if s.dov == nil {
		t.Fatalf("%s: Kick needs a Dovecot", s.Name)
	}
	out, err := exec.Command(s.dov.doveadm(), "-c", s.dov.conf, "kick", s.User).CombinedOutput()
	if err != nil {
		t.Fatalf("dovecot: doveadm kick %s: %v\n%s", s.User, err, out)
	}
}
