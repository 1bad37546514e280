package privacy

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/ledger"
)

// Options are what Records works with besides the ledger.
type Options struct {
	// Mailbox logs in to the VVG's mailbox to delete copies; nil when
	// IMAP is not configured (the copies are then left for staff to
	// delete by hand, and the erasure says which).
	Mailbox *mailbox.Options
	// Render writes a mail the VVG sent (an outbox item) as it went out,
	// rendered again from the ledger under its Message-ID
	// (notify.Sender.Render); nil leaves the mail sent out of an export.
	Render func(ctx context.Context, it *ledger.OutboxItem, w io.Writer) error
	// Controller names the data controller in an export (the VVG).
	Controller string
	Logger     *slog.Logger     // default discards
	Now        func() time.Time // default time.Now
}

// Records is the VVG's view of the personal data in vvgintake.
type Records struct {
	db  *ledger.DB
	opt Options
	log *slog.Logger
}

// New returns Records over db.
func New(db *ledger.DB, opt Options) *Records {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Records{db: db, opt: opt, log: opt.Logger}
}

// Find lists every record of the person query names: an address, a name
// or a case's reference (ledger.FindPerson).
func (r *Records) Find(ctx context.Context, query string) (*ledger.Person, error) {
	return r.db.FindPerson(ctx, query)
}

// ErasuresOf lists the erasures of an address or of "case:REF".
func (r *Records) ErasuresOf(ctx context.Context, who string) ([]ledger.Erasure, error) {
	return r.db.ErasuresOf(ctx, who)
}

// extract decodes stored content, an e-mail's attachment from its raw
// message included: what an erasure keeps for another person's
// attachment, and what an export writes.
func (r *Records) extract(ctx context.Context, sha string, w io.Writer) (int64, error) {
	return intake.WriteContent(ctx, r.db, sha, w)
}

// errNoMailbox marks copies left because IMAP is not configured.
var errNoMailbox = errors.New("the mailbox is not configured (imap.enabled = false)")
