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

// Sink is where the poller records what it reads; the intake pipeline
// implements it.
type Sink interface {
	// LoadState returns the stored position of a folder; the zero State
	// when the folder was never synced.
	LoadState(ctx context.Context, account, folder string) (State, error)
	// SaveState stores the position of a folder.
	SaveState(ctx context.Context, account, folder string, st State) error
	// SetHealth stores the connection health of an account.
	SetHealth(ctx context.Context, account string, h Health) error
	// Prepare works out what Commit will record for d, writing nothing
	// (parsing, classifying: most of what a message costs). The poller
	// runs it on several goroutines at once, ahead of the commits, so it
	// must be safe for concurrent use. A failure belongs in the result,
	// for Commit to meet again.
	Prepare(ctx context.Context, d *Delivery) Prepared
	// Commit durably records prepared messages, in the order given, in one
	// commit: all of them or, with an error, none; nil means committed.
	// It must be idempotent: a message recorded before (same
	// UIDVALIDITY+UID, or the same content after a UIDVALIDITY change) is
	// not recorded twice. When a group fails the poller commits its
	// messages one by one, so those before the one at fault are kept.
	Commit(ctx context.Context, ps []Prepared) error
}

// Prepared is a message with what its Sink's Prepare made of it. The
// poller hands it back to the same Sink's Commit as it was, and reads only
// its Delivery.
type Prepared interface {
	Delivery() *Delivery
}
