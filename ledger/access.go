package ledger

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SQLite says "unable to open database file (14)" whether the folder is
// missing, belongs to someone else or the file is another user's 0600
// ledger, which reads like corruption. explainOpen looks at the file and
// its folder as this process sees them and says which it is.

// fileOwner is who a file belongs to, as ls shows it.
type fileOwner struct {
	user string
	mode fs.FileMode
}

// accessor answers the questions explainOpen asks; the real one asks the
// operating system (access_unix.go), tests fake it.
type accessor struct {
	// whoami names the user this process runs as.
	whoami func() string
	// owner names a file's owner and its permissions.
	owner func(path string) (fileOwner, error)
	// writable and readable report whether this process may write or read
	// path (access(2), which root passes).
	writable, readable func(path string) bool
}

// explainOpen returns err with what is wrong with path's access, when
// something is; err alone otherwise.
func explainOpen(path string, err error, a accessor) error {
	if why := a.diagnose(path); why != "" {
		return fmt.Errorf("%s (%w)", why, err)
	}
	return err
}

// diagnose says why this process cannot open or write the ledger at path,
// or "" when it sees no reason.
func (a accessor) diagnose(path string) string {
	dir := filepath.Dir(path)
	me := a.whoami()
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("the ledger's folder %s does not exist: create it for the user that runs vvgintake "+
			"(the systemd unit's StateDirectory=vvgintake creates /var/lib/vvgintake), or set ledger.path", dir)
	case err != nil:
		return fmt.Sprintf("cannot look into the ledger's folder %s as user %s: %v", dir, me, err)
	case !st.IsDir():
		return fmt.Sprintf("%s is not a folder; ledger.path must name a file in a folder", dir)
	}
	// SQLite writes the -wal and -shm files and a lock beside the ledger,
	// so even a ledger that exists needs a writable folder.
	if !a.writable(dir) {
		return fmt.Sprintf("user %s cannot write in the ledger's folder %s (%s)%s", me, dir, a.describe(dir), a.runAs(dir))
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(f); err != nil {
			continue
		}
		if !a.readable(f) || !a.writable(f) {
			return fmt.Sprintf("user %s cannot read and write %s (%s)%s", me, f, a.describe(f), a.runAs(f))
		}
	}
	return ""
}

// runAs tells how to run as path's owner, as staff do with the service's
// ledger.
func (a accessor) runAs(path string) string {
	o, err := a.owner(path)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(": run vvgintake as %s (sudo -u %s vvgintake …)", o.user, o.user)
}

// describe says who owns path and its mode, "belongs to vvgintake, drwx------".
func (a accessor) describe(path string) string {
	o, err := a.owner(path)
	if err != nil {
		return "owner unknown"
	}
	return fmt.Sprintf("belongs to %s, %s", o.user, o.mode)
}
