package intake

import (
	"context"
	"fmt"

	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/ledger"
)

// MailSink connects the IMAP poller to the pipeline and the ledger.
type MailSink struct {
	p *Pipeline
	// health, when set, is told of every health report too (the
	// daemon's metrics).
	health func(account string, h mailbox.Health)
}

// NewMailSink returns the poller's sink; health may be nil.
func NewMailSink(p *Pipeline, health func(account string, h mailbox.Health)) *MailSink {
	return &MailSink{p: p, health: health}
}

// LoadState returns how far a folder has been recorded.
func (s *MailSink) LoadState(ctx context.Context, account, folder string) (mailbox.State, error) {
	st, err := s.p.db.MailboxState(ctx, account, folder)
	return mailbox.State{UIDValidity: st.UIDValidity, LastUID: st.LastUID}, err
}

// SaveState stores how far a folder has been recorded.
func (s *MailSink) SaveState(ctx context.Context, account, folder string, st mailbox.State) error {
	return s.p.db.SetMailboxState(ctx, account, folder, ledger.MailboxState{UIDValidity: st.UIDValidity, LastUID: st.LastUID})
}

// prepared is a message parsed, routed and classified ahead of Deliver.
type prepared struct {
	o *Origin
	v *Verdict
}

func imapOrigin(d *mailbox.Delivery) *Origin {
	return &Origin{
		Source: SourceIMAP, Account: d.Account, Folder: d.Folder, UIDValidity: d.UIDValidity, UID: d.UID,
		InternalDate: d.InternalDate, Size: d.Size, Truncated: d.Truncated, Acks: true,
	}
}

// Prepare parses, routes and classifies the message while the poller's
// other goroutine records the previous one. It only reads the ledger; a
// failure here is left for Deliver to meet again.
func (s *MailSink) Prepare(ctx context.Context, d *mailbox.Delivery) {
	o := imapOrigin(d)
	if v, err := s.p.Decide(ctx, d.Raw, o); err == nil {
		d.Prepared = &prepared{o: o, v: v}
	}
}

// fresh returns what Prepare worked out for d, or works it out now when
// Prepare failed or its result belongs to another delivery (d.Prepared
// may be nil or stale, as mailbox.Preparer allows).
func (s *MailSink) fresh(ctx context.Context, d *mailbox.Delivery) (*prepared, error) {
	o := imapOrigin(d)
	if pr, ok := d.Prepared.(*prepared); ok && *pr.o == *o {
		return pr, nil
	}
	v, err := s.p.Decide(ctx, d.Raw, o)
	if err != nil {
		return nil, err
	}
	return &prepared{o: o, v: v}, nil
}

// Deliver records one message through the pipeline; the ledger makes it
// idempotent.
func (s *MailSink) Deliver(ctx context.Context, d *mailbox.Delivery) error {
	pr, err := s.fresh(ctx, d)
	if err != nil {
		return err
	}
	_, err = s.p.Record(ctx, d.Raw, pr.o, pr.v)
	return err
}

// DeliverGroup records several messages in one transaction.
func (s *MailSink) DeliverGroup(ctx context.Context, ds []*mailbox.Delivery) error {
	prs := make([]*prepared, len(ds))
	ins := make([]*ledger.Inbound, len(ds))
	for i, d := range ds {
		pr, err := s.fresh(ctx, d)
		if err != nil {
			return err
		}
		prs[i], ins[i] = pr, s.p.inbound(d.Raw, pr.o, pr.v)
	}
	res, err := s.p.db.IngestBatch(ctx, ins)
	if err != nil {
		return fmt.Errorf("record messages: %w", err)
	}
	for i, pr := range prs {
		s.p.recorded(ins[i], res[i], pr.o, pr.v)
	}
	return nil
}

// SetHealth stores the connection health for `vvgintake status`.
func (s *MailSink) SetHealth(ctx context.Context, account string, h mailbox.Health) error {
	if s.health != nil {
		s.health(account, h)
	}
	return s.p.db.SetMailboxHealth(ctx, ledger.MailboxHealth{Account: account, Connected: h.Connected,
		LastSync: h.LastSync, LastError: h.LastError, AuthFailing: h.AuthFailing, Reconnects: h.Reconnects})
}
