package mailbox

import (
	"context"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// Check connects and logs in as the poller would, looks at each watched
// folder and logs out, recording and marking nothing: for
// `check-config --connect`, so that an installer learns of a wrong
// password or folder name before the service starts. It returns what it
// found, or the error of the step that failed (wrapping ErrAuth when the
// credentials were refused).
func Check(ctx context.Context, opt Options) (string, error) {
	opt = opt.withDefaults()
	if err := opt.validate(); err != nil {
		return "", fmt.Errorf("imap options: %w", err)
	}
	cn, err := dial(ctx, &opt, opt.Logger)
	if err != nil {
		return "", err
	}
	defer cn.close()
	if err := cn.login(ctx, &opt); err != nil {
		return "", err
	}
	caps, err := cn.capabilities()
	if err != nil {
		return "", err
	}
	found := []string{fmt.Sprintf("logged in to %s as %s (%s)", opt.Addr, opt.Username, opt.Auth)}
	for _, f := range opt.Folders {
		st, err := guarded(cn, func() (*imap.StatusData, error) {
			return cn.c.Status(f, &imap.StatusOptions{NumMessages: true}).Wait()
		})
		if err != nil {
			return "", fmt.Errorf("folder %q: %w", f, err)
		}
		n := uint32(0)
		if st.NumMessages != nil {
			n = *st.NumMessages
		}
		found = append(found, fmt.Sprintf("%s has %d messages", f, n))
	}
	var has []string
	for _, c := range []struct {
		cap  imap.Cap
		name string
	}{{imap.CapIdle, "IDLE"}, {imap.CapMove, "MOVE"}, {imap.CapUIDPlus, "UIDPLUS"}, {capGmail, "Gmail labels"}} {
		if caps.Has(c.cap) {
			has = append(has, c.name)
		}
	}
	if len(has) > 0 {
		found = append(found, "server has "+strings.Join(has, ", "))
	}
	return strings.Join(found, "; "), nil
}
