package intake

import (
	"strings"

	"github.com/vvgintake/vvgintake/intake/mailparse"
)

// ackAddress returns the address an acknowledgement to addr goes to,
// lower-cased, or "" when none may be sent: acknowledgements are off, or
// replyAddress refuses it. Mail and the form both ask it.
func (p *Pipeline) ackAddress(addr string) string {
	if !p.opt.Acknowledge {
		return ""
	}
	to, _ := p.replyAddress(addr)
	return to
}

// replyAddress returns addr lower-cased if anything we send may go to
// it, else "" and why not: it is not an address, or it is our own,
// blocked, or a mailbox nobody reads (RFC 3834 §2). Acknowledgements and
// decision letters both ask it.
func (p *Pipeline) replyAddress(addr string) (string, string) {
	to := strings.ToLower(strings.TrimSpace(addr))
	if to == "" || !strings.Contains(to, "@") || strings.ContainsAny(to, "\r\n") {
		return "", "not an e-mail address"
	}
	// RFC 5321 §4.5.3.1: a longer local part or path cannot be sent to;
	// queueing it would only fail for good.
	if local, _, _ := strings.Cut(to, "@"); len(local) > 64 || len(to) > 254 {
		return "", "address too long to send to"
	}
	if p.isOwnAddress(to) {
		return "", "our own address"
	}
	for _, b := range p.opt.BlockedSenders {
		b = strings.ToLower(strings.TrimSpace(b))
		if b != "" && (to == b || strings.HasPrefix(b, "@") && strings.HasSuffix(to, b)) {
			return "", "blocked address"
		}
	}
	if mailparse.IsNoReply(to) {
		return "", "no-reply address"
	}
	return to, ""
}
