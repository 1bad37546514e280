//go:build unix

package ledger

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// osAccess asks the operating system: access(2) for permissions, the
// file's uid for its owner, the password database for names.
func osAccess() accessor {
	name := func(uid uint32) string {
		id := strconv.FormatUint(uint64(uid), 10)
		if u, err := user.LookupId(id); err == nil {
			return u.Username
		}
		return "uid " + id
	}
	check := func(mode uint32) func(string) bool {
		return func(p string) bool { return syscall.Access(p, mode) == nil }
	}
	return accessor{
		whoami: func() string { return name(uint32(os.Geteuid())) },
		owner: func(p string) (fileOwner, error) {
			st, err := os.Stat(p)
			if err != nil {
				return fileOwner{}, err
			}
			sys, ok := st.Sys().(*syscall.Stat_t)
			if !ok {
				return fileOwner{}, fmt.Errorf("stat %s: no owner", p)
			}
			return fileOwner{user: name(sys.Uid), mode: st.Mode()}, nil
		},
		writable: check(0x2), // W_OK
		readable: check(0x4), // R_OK
	}
}
