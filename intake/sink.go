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

// prepared is a message parsed, routed and classified ahead of its
// commit, or the error that stopped that, for Commit to meet again.
type prepared struct {
	d   *mailbox.Delivery
	o   *Origin
	v   *Verdict
	err error
}

// Delivery is the message prepared.
func (p *prepared) Delivery() *mailbox.Delivery { return p.d }

func imapOrigin(d *mailbox.Delivery) *Origin {
	return &Origin{
		Source: SourceIMAP, Account: d.Account, Folder: d.Folder, UIDValidity: d.UIDValidity, UID: d.UID,
		InternalDate: d.InternalDate, Size: d.Size, Truncated: d.Truncated, Acks: true,
	}
}

// Prepare parses, routes and classifies the message while the poller's
// committing goroutine records the ones before it. It only reads the
// ledger.
func (s *MailSink) Prepare(ctx context.Context, d *mailbox.Delivery) mailbox.Prepared {
	o := imapOrigin(d)
	v, err := s.p.Decide(ctx, d.Raw, o)
	return &prepared{d: d, o: o, v: v, err: err}
}

// Commit records prepared messages in one transaction; the ledger makes it
// idempotent. A message whose preparation failed is worked out again.
func (s *MailSink) Commit(ctx context.Context, ps []mailbox.Prepared) error {
	prs := make([]*prepared, len(ps))
	ins := make([]*ledger.Inbound, len(ps))
	for i, p := range ps {
		pr, ok := p.(*prepared)
		if !ok || pr.err != nil {
			pr = s.Prepare(ctx, p.Delivery()).(*prepared)
			if pr.err != nil {
				return pr.err
			}
		}
		prs[i], ins[i] = pr, s.p.inbound(pr.d.Raw, pr.o, pr.v)
	}
	res, err := s.p.db.IngestBatch(ctx, ins)
	if err != nil {
		return fmt.Errorf("record messages: %w", err)
	}
	var grown []int64
	for i, pr := range prs {
		s.p.recorded(ins[i], res[i], pr.o, pr.v)
		if ins[i].Submission != nil && !res[i].Existing && !res[i].Duplicate {
			grown = append(grown, ins[i].Submission.ConsultationID)
		}
	}
	// After the commit, so the mailbox is marked as soon as it can be.
	s.p.groupNew(ctx, grown...)
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
