package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// shutdownGrace is how long a cancelled Run may spend finishing the command
// in flight and logging out before the socket is simply closed.
const shutdownGrace = 5 * time.Second

// errTimeout marks a command the watchdog gave up on.
var errTimeout = errors.New("imap command timed out")

// errFolder marks a folder the server refused to open (deleted, renamed,
// no rights): the other folders are still synced.
var errFolder = errors.New("cannot open folder")

// conn is one logged-in IMAP connection with a watchdog on every wait.
type conn struct {
	c        *imapclient.Client
	raw      net.Conn // closing it unblocks every reader without waiting on the client
	timeout  time.Duration
	timedOut atomic.Bool
	// events gets a token (never blocking) when the server reports EXISTS:
	// new mail in the selected mailbox.
	events  chan struct{}
	caps    imap.CapSet
	after   string // AfterIngest in effect on this server
	idle    bool   // IDLE (RFC 2177) usable
	gmail   bool   // label ingested mail (Gmail's X-GM-EXT-1)
	stopCtx func() bool
	log     *slog.Logger
}

// dial connects, waits for the greeting and upgrades to TLS as configured.
// It does not log in.
func dial(ctx context.Context, opt *Options, log *slog.Logger) (*conn, error) {
	cn := &conn{timeout: opt.CommandTimeout, events: make(chan struct{}, 1), log: log}
	d := &net.Dialer{Timeout: opt.CommandTimeout} // KeepAlive left at Go's default: during IDLE only TCP notices a dead peer
	raw, err := d.DialContext(ctx, "tcp", opt.Addr)
	if err != nil {
		// A *net.OpError already reads "dial tcp host:port: …"; wrapping
		// it again printed the address twice.
		return nil, err
	}
	cn.raw = raw

	copts := &imapclient.Options{
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			// Runs on the client's reader goroutine: calling the client or
			// blocking here deadlocks it (go-imap#668), so only signal.
			Mailbox: func(data *imapclient.UnilateralDataMailbox) {
				if data.NumMessages != nil {
					select {
					case cn.events <- struct{}{}:
					default:
					}
				}
			},
		},
	}
	host, _, _ := net.SplitHostPort(opt.Addr)
	tlsConf := new(tls.Config)
	if opt.TLSConfig != nil {
		tlsConf = opt.TLSConfig.Clone()
	}
	if tlsConf.ServerName == "" {
		tlsConf.ServerName = host
	}

	// A cancelled ctx closes the socket after a grace period, so a shutdown
	// never waits out a hung server.
	cn.stopCtx = context.AfterFunc(ctx, func() { time.AfterFunc(shutdownGrace, cn.abort) })

	err = cn.guard(func() error {
		switch opt.TLS {
		case TLSImplicit:
			if tlsConf.NextProtos == nil {
				tlsConf.NextProtos = []string{"imap"} // ALPN id "imap" (RFC 8314)
			}
			tc := tls.Client(raw, tlsConf)
			if err := tc.HandshakeContext(ctx); err != nil {
				return fmt.Errorf("tls handshake: %w", err)
			}
			cn.c = imapclient.New(tc, copts)
		case TLSStartTLS:
			copts.TLSConfig = tlsConf
			c, err := imapclient.NewStartTLS(raw, copts)
			if err != nil {
				return fmt.Errorf("starttls: %w", err)
			}
			cn.c = c
		default:
			cn.c = imapclient.New(raw, copts)
		}
		return cn.c.WaitGreeting()
	})
	if err != nil {
		cn.close()
		return nil, fmt.Errorf("connect %s: %w", opt.Addr, err)
	}
	return cn, nil
}

// abort kills the socket. Every pending command then fails at once; unlike
// Client.Close it never waits for the reader goroutine, which may itself be
// waiting for us to drain a literal.
func (cn *conn) abort() { cn.raw.Close() }

// abortAndWait kills the socket and waits for the client's reader goroutine
// to end.
func (cn *conn) abortAndWait() {
	cn.abort()
	select {
	case <-cn.c.Closed():
	case <-time.After(cn.timeout):
		cn.log.Warn("imap reader did not stop after abort")
	}
}

// guard runs f, a blocking wait on the server, under the watchdog: if the
// server says nothing for CommandTimeout the socket is closed, which makes f
// return. go-imap has no read deadline until a response starts (go-imap#762),
// so without this a black-holed connection hangs for ~18 minutes.
func (cn *conn) guard(f func() error) error {
	t := time.AfterFunc(cn.timeout, func() {
		cn.timedOut.Store(true)
		cn.abort()
	})
	err := f()
	t.Stop()
	return cn.wrapTimeout(err)
}

// guarded is guard for a command that answers a value: the value comes back
// with the error instead of through a variable the closure sets.
func guarded[T any](cn *conn, f func() (T, error)) (T, error) {
	var v T
	err := cn.guard(func() error {
		var err error
		v, err = f()
		return err
	})
	return v, err
}

// wrapTimeout marks err as a timeout when the watchdog fired.
func (cn *conn) wrapTimeout(err error) error {
	if err != nil && cn.timedOut.Load() {
		return fmt.Errorf("%w (no answer for %v): %w", errTimeout, cn.timeout, err)
	}
	return err
}

// close logs out politely when it can and releases everything.
func (cn *conn) close() {
	if cn.stopCtx != nil {
		cn.stopCtx()
	}
	if cn.c != nil && !cn.timedOut.Load() {
		select {
		case <-cn.c.Closed():
		default:
			_ = cn.guard(func() error { return cn.c.Logout().Wait() })
		}
	}
	cn.abort()
	if cn.c != nil {
		// The reader goroutine ends once the socket is gone; wait for it
		// so no goroutine outlives the poller, but never forever.
		select {
		case <-cn.c.Closed():
		case <-time.After(cn.timeout):
			cn.log.Warn("imap reader did not stop after close")
		}
	}
}

// selectMailbox selects (read-write) or examines (read-only) name. Always
// anew: the answer carries the current UIDVALIDITY and UIDNEXT.
func (cn *conn) selectMailbox(name string, readOnly bool) (*imap.SelectData, error) {
	data, err := guarded(cn, func() (*imap.SelectData, error) {
		return cn.c.Select(name, &imap.SelectOptions{ReadOnly: readOnly}).Wait()
	})
	if err != nil {
		var ierr *imap.Error
		if errors.As(err, &ierr) {
			return nil, fmt.Errorf("select %s: %w: %w", name, errFolder, err)
		}
		return nil, fmt.Errorf("select %s: %w", name, err)
	}
	return data, nil
}

// searchUIDs returns the UIDs above last, ascending.
func (cn *conn) searchUIDs(last uint32) ([]imap.UID, error) {
	var set imap.UIDSet
	set.AddRange(imap.UID(last+1), 0) // last+1:*
	data, err := guarded(cn, func() (*imap.SearchData, error) {
		return cn.c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{set}}, nil).Wait()
	})
	if err != nil {
		return nil, fmt.Errorf("search uid %d:*: %w", last+1, err)
	}
	// RFC 3501 §6.4.8: "n:*" always includes the highest UID, even when it
	// is below n, so an empty range still answers the last message.
	var out []imap.UID
	for _, uid := range data.AllUIDs() {
		if uint32(uid) > last {
			out = append(out, uid)
		}
	}
	slices.Sort(out)
	return out, nil
}

// capabilities returns the server's capabilities, asking for them under the
// watchdog: Client.Caps waits 30 s on its own timer, whatever ours says.
func (cn *conn) capabilities() (imap.CapSet, error) {
	var caps imap.CapSet
	err := cn.guard(func() error {
		caps = cn.c.Caps()
		if caps == nil {
			return errors.New("no answer to CAPABILITY")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("capability: %w", err)
	}
	return caps, nil
}

// noop sends NOOP: it proves the connection alive and collects EXISTS.
func (cn *conn) noop() error {
	if err := cn.guard(func() error { return cn.c.Noop().Wait() }); err != nil {
		return fmt.Errorf("noop: %w", err)
	}
	return nil
}

// ensureMailbox creates name unless LIST shows it exists.
func (cn *conn) ensureMailbox(name string) error {
	list, err := guarded(cn, func() ([]*imap.ListData, error) {
		return cn.c.List("", name, nil).Collect()
	})
	if err != nil {
		return fmt.Errorf("list %s: %w", name, err)
	}
	if len(list) > 0 {
		return nil
	}
	err = cn.guard(func() error { return cn.c.Create(name, nil).Wait() })
	var ierr *imap.Error
	if errors.As(err, &ierr) && ierr.Code == imap.ResponseCodeAlreadyExists {
		err = nil // created by someone else meanwhile
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	cn.log.Info("created mailbox", "mailbox", name)
	return nil
}
