package main

import (
	"context"

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

// Deliver records one message through the pipeline; the ledger makes it
// idempotent.
func (s mailSink) Deliver(ctx context.Context, d *intake.Delivery) error {
	_, _, err := s.p.ingest(ctx, d.Raw, &delivery{
		source: "imap", account: d.Account, folder: d.Folder, uidValidity: d.UIDValidity, uid: d.UID,
		internalDate: d.InternalDate, size: d.Size, truncated: d.Truncated, acks: true,
	})
	return err
}

// SetHealth stores the connection health for `vvgintake status`.
func (s mailSink) SetHealth(ctx context.Context, account string, h intake.Health) error {
	if s.p.obs != nil {
		s.p.obs.setHealth(account, h)
	}
	return s.p.db.SetMailboxHealth(ctx, ledger.MailboxHealth{Account: account, Connected: h.Connected,
		LastSync: h.LastSync, LastError: h.LastError, AuthFailing: h.AuthFailing, Reconnects: h.Reconnects})
}
