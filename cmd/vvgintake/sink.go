package main

import (
	"context"
	"fmt"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
)

// mailSink connects the IMAP poller to the pipeline and the ledger.
type mailSink struct{ p *pipeline }

// LoadState returns how far a folder has been recorded.
func (s mailSink) LoadState(ctx context.Context, account, folder string) (intake.State, error) {
	st, err := s.p.db.MailboxState(ctx, account, folder)
	return intake.State{UIDValidity: st.UIDValidity, LastUID: st.LastUID}, err
}

// SaveState stores how far a folder has been recorded.
func (s mailSink) SaveState(ctx context.Context, account, folder string, st intake.State) error {
	return s.p.db.SetMailboxState(ctx, account, folder, ledger.MailboxState{UIDValidity: st.UIDValidity, LastUID: st.LastUID})
}

// prepared is a message parsed, routed and classified ahead of Deliver.
type prepared struct {
	d *delivery
	v *verdict
}

func imapDelivery(d *intake.Delivery) *delivery {
	return &delivery{
		source: "imap", account: d.Account, folder: d.Folder, uidValidity: d.UIDValidity, uid: d.UID,
		internalDate: d.InternalDate, size: d.Size, truncated: d.Truncated, acks: true,
	}
}

// Prepare parses, routes and classifies the message while the poller's
// other goroutine records the previous one. It only reads the ledger; a
// failure here is left for Deliver to meet again.
func (s mailSink) Prepare(ctx context.Context, d *intake.Delivery) {
	del := imapDelivery(d)
	if v, err := s.p.decide(ctx, d.Raw, del); err == nil {
		d.Prepared = &prepared{d: del, v: v}
	}
}

// Deliver records one message through the pipeline; the ledger makes it
// idempotent.
func (s mailSink) Deliver(ctx context.Context, d *intake.Delivery) error {
	if pr, ok := d.Prepared.(*prepared); ok && *pr.d == *imapDelivery(d) {
		_, err := s.p.record(ctx, d.Raw, pr.d, pr.v)
		return err
	}
	_, _, err := s.p.ingest(ctx, d.Raw, imapDelivery(d))
	return err
}

// DeliverGroup records several messages in one transaction. A message
// whose Prepare failed or is stale is worked out again here.
func (s mailSink) DeliverGroup(ctx context.Context, ds []*intake.Delivery) error {
	type item struct {
		d  *delivery
		v  *verdict
		in *ledger.Inbound
	}
	items := make([]item, len(ds))
	ins := make([]*ledger.Inbound, len(ds))
	for i, d := range ds {
		del := imapDelivery(d)
		pr, ok := d.Prepared.(*prepared)
		if !ok || *pr.d != *del {
			v, err := s.p.decide(ctx, d.Raw, del)
			if err != nil {
				return err
			}
			pr = &prepared{d: del, v: v}
		}
		items[i] = item{d: pr.d, v: pr.v, in: s.p.inbound(d.Raw, pr.d, pr.v)}
		ins[i] = items[i].in
	}
	res, err := s.p.db.IngestBatch(ctx, ins)
	if err != nil {
		return fmt.Errorf("record messages: %w", err)
	}
	for i, it := range items {
		s.p.recorded(it.in, res[i], it.d, it.v)
	}
	return nil
}

// SetHealth stores the connection health for `vvgintake status`.
func (s mailSink) SetHealth(ctx context.Context, account string, h intake.Health) error {
	if s.p.obs != nil {
		s.p.obs.setHealth(account, h)
	}
	return s.p.db.SetMailboxHealth(ctx, ledger.MailboxHealth{Account: account, Connected: h.Connected,
		LastSync: h.LastSync, LastError: h.LastError, AuthFailing: h.AuthFailing, Reconnects: h.Reconnects})
}
