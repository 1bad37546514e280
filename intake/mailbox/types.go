package mailbox

import (
	"context"
	"errors"
	"time"
)

// ErrAuth marks a failed LOGIN/AUTHENTICATE or a token endpoint that refused
// the refresh token. Retrying soon will not help: somebody must fix the
// password or the grant, so the poller backs off for minutes, not seconds.
var ErrAuth = errors.New("imap authentication failed")

// State is how far one folder has been recorded. LastUID only ever moves
// after the Sink committed every message up to it (RFC 3501 §2.3.1.1: UIDs
// are strictly ascending within one UIDVALIDITY).
type State struct {
	UIDValidity uint32
	LastUID     uint32
}

// Delivery is one message as the mail server stored it: the raw bytes plus
// the server's own metadata. The poller never parses it.
type Delivery struct {
	Account, Folder  string
	UIDValidity, UID uint32
	// InternalDate is INTERNALDATE: the time the mail server received the
	// message. It, not the Date header, decides whether a suggestion was late.
	InternalDate time.Time
	// Size is RFC822.SIZE, the full size even when Raw was truncated.
	Size  int64
	Flags []string
	// Raw is the BODY.PEEK[] bytes, at most Options.MaxMessageBytes.
	Raw []byte
	// Truncated reports that Raw holds only the first MaxMessageBytes.
	Truncated bool
	// Prepared is what a Preparer computed from the message, for its own
	// Deliver; the poller never looks at it.
	Prepared any
}

// Health is the poller's view of its mailbox connection, for the status page
// and the operator's alerts.
type Health struct {
	Connected bool
	// LastSync is when every watched folder was last fully synced.
	LastSync  time.Time
	LastError string
	// AuthFailing is set after the server or the token endpoint refused our
	// credentials, and cleared by the next successful login.
	AuthFailing bool
	// Reconnects counts connection attempts after the first one.
	Reconnects    int64
	IdleSupported bool
}

// Sink is where the poller records what it reads; the ledger implements it.
type Sink interface {
	// LoadState returns the stored position of a folder; the zero State
	// when the folder was never synced.
	LoadState(ctx context.Context, account, folder string) (State, error)
	// SaveState stores the position of a folder.
	SaveState(ctx context.Context, account, folder string, st State) error
	// Deliver durably records one message; nil means committed. Must be
	// idempotent: the same message delivered again (same UIDVALIDITY+UID, or
	// same content after a UIDVALIDITY change) is not duplicated.
	Deliver(ctx context.Context, d *Delivery) error
	// SetHealth stores the connection health of an account.
	SetHealth(ctx context.Context, account string, h Health) error
}

// Preparer is an optional extension of Sink. Prepare does the part of a
// delivery that writes nothing (parsing, classifying) and leaves the result
// in d.Prepared. The poller calls it for the messages it fetches, from
// several goroutines at once, while Deliver commits the ones before, so a
// sync keeps every core busy. Prepare must therefore be safe for
// concurrent use, and Deliver must still work, and must redo the work, when
// d.Prepared is nil or stale.
type Preparer interface {
	Prepare(ctx context.Context, d *Delivery)
}

// GroupDeliverer is an optional extension of a Preparer: DeliverGroup
// records several prepared messages, in order, in one commit: all of them
// or, with an error, none. The poller falls back to Deliver one by one
// when a group fails, so the messages before the one at fault are kept.
type GroupDeliverer interface {
	DeliverGroup(ctx context.Context, ds []*Delivery) error
}
