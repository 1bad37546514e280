package intake

import (
	"context"
	"errors"
	"strings"

	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/ledger"
)

// findCase matches a resident's reply to the case it continues: by the
// reference in the subject, or by In-Reply-To/References naming our
// acknowledgement — and in both cases only when the sender is the
// resident of that case, so text is never appended to someone else's.
// When the message answers our mail but no case of this sender matches,
// tag names what it answers (a reference or a Message-ID).
func (p *Pipeline) findCase(ctx context.Context, m *mailparse.Message) (sub *ledger.Submission, tag string, err error) {
	senders := []string{strings.ToLower(m.From.Addr)}
	if m.ReplyTo != nil {
		senders = append(senders, strings.ToLower(m.ReplyTo.Addr))
	}
	same := func(s *ledger.Submission) bool {
		for _, a := range senders {
			if a != "" && a == strings.ToLower(s.SenderEmail) {
				return true
			}
		}
		return false
	}
	for _, ref := range p.db.SubjectRefs(m.Subject) {
		if tag == "" {
			tag = ref
		}
		s, err := p.db.Submission(ctx, ref)
		if errors.Is(err, ledger.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		if same(s) {
			return s, "", nil
		}
	}
	ids := append([]string{m.InReplyTo}, m.References...)
	for _, id := range ids {
		if id == "" {
			continue
		}
		if tag == "" && p.isOurMessageID(id) {
			tag = "<" + id + ">"
		}
		it, err := p.db.OutboxByMessageID(ctx, id)
		if errors.Is(err, ledger.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		if it.SubmissionID == 0 {
			continue
		}
		s, err := p.db.SubmissionByID(ctx, it.SubmissionID)
		if err != nil {
			return nil, "", err
		}
		if same(s) {
			return s, "", nil
		}
	}
	return nil, tag, nil
}

// isOwn recognises mail vvgintake sent itself (our address, or our
// Message-ID domain): it must never be treated as a resident's.
func (p *Pipeline) isOwn(m *mailparse.Message) bool {
	return p.isOwnAddress(m.From.Addr) || p.isOurMessageID(m.MessageID)
}

// isOurMessageID recognises the Message-IDs the outbox generates.
func (p *Pipeline) isOurMessageID(id string) bool {
	return strings.HasPrefix(id, "vvgintake.") &&
		strings.HasSuffix(strings.ToLower(id), "@"+strings.ToLower(p.opt.MessageIDDomain))
}
