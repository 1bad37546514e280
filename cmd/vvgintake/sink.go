package main

import (
	"context"
	"fmt"

	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/ledger"
)

// mailSink connects the IMAP poller to the pipeline and the ledger.
type mailSink struct{ p *pipeline }

// LoadState returns how far a folder has been recorded.
func (s mailSink) LoadState(ctx context.Context, account, folder string) (mailbox.State, error) {
	st, err := s.p.db.MailboxState(ctx, account, folder)
	return mailbox.State{UIDValidity: st.UIDValidity, LastUID: st.LastUID}, err
}

// SaveState stores how far a folder has been recorded.
func (s mailSink) SaveState(ctx context.Context, account, folder string, st mailbox.State) error {
	return s.p.db.SetMailboxState(ctx, account, folder, ledger.MailboxState{UIDValidity: st.UIDValidity, LastUID: st.LastUID})
}

// prepared is a message parsed, routed and classified ahead of Deliver.
type prepared struct {
	d *delivery
	v *verdict
}

func imapDelivery(d *mailbox.Delivery) *delivery {
	return &delivery{
		source: "imap", account: d.Account, folder: d.Folder, uidValidity: d.UIDValidity, uid: d.UID,
		internalDate: d.InternalDate, size: d.Size, truncated: d.Truncated, acks: true,
	}
}

// Prepare parses, routes and classifies the message while the poller's
// other goroutine records the previous one. It only reads the ledger; a
// failure here is left for Deliver to meet again.
func (s mailSink) Prepare(ctx context.Context, d *mailbox.Delivery) {
	del := imapDelivery(d)
	if v, err := s.p.decide(ctx, d.Raw, del); err == nil {
		d.Prepared = &prepared{d: del, v: v}
	}
}

// fresh returns what Prepare worked out for d, or works it out now when
// Prepare failed or its result belongs to another delivery (d.Prepared
// may be nil or stale, as mailbox.Preparer allows).
func (s mailSink) fresh(ctx context.Context, d *mailbox.Delivery) (*prepared, error) {
	del := imapDelivery(d)
	if pr, ok := d.Prepared.(*prepared); ok && *pr.d == *del {
		return pr, nil
	}
	v, err := s.p.decide(ctx, d.Raw, del)
	if err != nil {
		return nil, err
	}
	return &prepared{d: del, v: v}, nil
}

// Deliver records one message through the pipeline; the ledger makes it
// idempotent.
func (s mailSink) Deliver(ctx context.Context, d *mailbox.Delivery) error {
	pr, err := s.fresh(ctx, d)
	if err != nil {
		return err
	}
	_, err = s.p.record(ctx, d.Raw, pr.d, pr.v)
	return err
}

// DeliverGroup records several messages in one transaction.
func (s mailSink) DeliverGroup(ctx context.Context, ds []*mailbox.Delivery) error {
	prs := make([]*prepared, len(ds))
	ins := make([]*ledger.Inbound, len(ds))
	for i, d := range ds {
		pr, err := s.fresh(ctx, d)
		if err != nil {
			return err
		}
		prs[i], ins[i] = pr, s.p.inbound(d.Raw, pr.d, pr.v)
	}
	res, err := s.p.db.IngestBatch(ctx, ins)
	if err != nil {
		return fmt.Errorf("record messages: %w", err)
	}
	for i, pr := range prs {
		s.p.recorded(ins[i], res[i], pr.d, pr.v)
	}
	return nil
}

// SetHealth stores the connection health for `vvgintake status`.
func (s mailSink) SetHealth(ctx context.Context, account string, h mailbox.Health) error {
	if s.p.obs != nil {
		s.p.obs.setHealth(account, h)
	}
	return s.p.db.SetMailboxHealth(ctx, ledger.MailboxHealth{Account: account, Connected: h.Connected,
		LastSync: h.LastSync, LastError: h.LastError, AuthFailing: h.AuthFailing, Reconnects: h.Reconnects})
}
