package intake

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/intake/spam"
)

// Whether a person's message is acknowledged also depends on whether the
// sender is who the From says and whether the text is an advert. An
// acknowledgement to a forged or harvested address is backscatter: it
// mails a stranger and costs the VVG's sending reputation. The trade-off
// is asymmetric: a resident's suggestion is always recorded, and a
// message we are unsure of is recorded as a suggestion for staff review
// without an acknowledgement (staff can still answer by hand), never
// dropped.

// judge applies the content score and the receiving server's
// authentication verdicts to a person's new message. Spam becomes the
// spam disposition (recorded, no case); an unsure score or failed
// authentication sets v.Hold, why no acknowledgement goes out.
func (p *Pipeline) judge(raw []byte, m *mailparse.Message, v *Verdict) {
	model := p.opt.Spam
	if model == nil {
		model = spam.Default()
	}
	v.Spam = model.Score(m.Subject, m.Text, spam.Hints{
		Links:        spam.CountLinks(raw),
		Attachments:  len(m.Attachments),
		Reply:        m.InReplyTo != "" || len(m.References) > 0,
		NameMismatch: spam.NameMismatch(m.From.Name, m.From.Addr),
	})
	switch v.Spam.Band {
	case spam.Spam:
		v.Disposition, v.Reason = mailparse.KindSpam, "content spam score "+spamWhy(v.Spam)
		return
	case spam.Unsure:
		v.Hold = spamUnsure + " " + spamWhy(v.Spam)
	}
	if why := p.authFailure(m); why != "" {
		v.Hold = joinReasons(v.Hold, why)
	}
}

// spamUnsure starts the reason an unsure content score held back an
// acknowledgement; the rule for decision letters (LetterTo) tells it from
// failed authentication by it.
const spamUnsure = "content spam score unsure"

// spamWhy renders a verdict for staff: the score and the strongest
// evidence.
func spamWhy(s spam.Verdict) string {
	var ev []string
	for _, e := range s.Evidence {
		if len(ev) == 3 {
			break
		}
		ev = append(ev, e.Feature)
	}
	if len(ev) == 0 {
		return fmt.Sprintf("%.2f", s.Score)
	}
	return fmt.Sprintf("%.2f (%s)", s.Score, strings.Join(ev, ", "))
}

func joinReasons(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// authFailure reads the verdict of our own receiving server on the From
// domain and says why it fails, or "" when it passes or there is none.
// Only the topmost Authentication-Results field with one of our
// authserv-ids counts: our MX adds it above everything the sender wrote,
// and RFC 8601 §5 has it remove or ignore fields that claim its id from
// outside. DMARC failing is a failure (RFC 7489 §6.6.2: the From is not
// the sender's); so is neither SPF nor DKIM passing for the From's
// organisational domain (the relaxed alignment of RFC 7489 §3.1).
func (p *Pipeline) authFailure(m *mailparse.Message) string {
	if len(p.opt.AuthServIDs) == 0 {
		return ""
	}
	var ar *mailparse.AuthResults
	for i := range m.Auth {
		if slices.Contains(p.opt.AuthServIDs, m.Auth[i].ServID) {
			ar = &m.Auth[i]
			break
		}
	}
	if ar == nil {
		return ""
	}
	from := domainOf(m.From.Addr)
	if from == "" {
		return "no From domain to authenticate (" + ar.ServID + ")"
	}
	spf, dkim := false, false
	for _, r := range ar.Results {
		switch r.Method {
		case "dmarc":
			if r.Result == "fail" {
				return fmt.Sprintf("DMARC fails for %s (%s)", from, ar.ServID)
			}
			if r.Result == "pass" && aligned(r.Props["header.from"], from) {
				return ""
			}
		case "spf":
			spf = spf || r.Result == "pass" && aligned(domainOf(r.Props["smtp.mailfrom"]), from)
		case "dkim":
			d := r.Props["header.d"]
			if d == "" {
				d = domainOf(r.Props["header.i"])
			}
			dkim = dkim || r.Result == "pass" && aligned(d, from)
		}
	}
	if !spf && !dkim {
		return fmt.Sprintf("neither SPF nor DKIM passes for %s (%s)", from, ar.ServID)
	}
	return ""
}

// domainOf returns the lower-cased domain of an address or of a bare
// domain ("@example.lt" and "example.lt" alike).
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		addr = addr[i+1:]
	}
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(addr), "."))
}

// aligned reports whether domains a and b share an organisational domain
// (the public suffix plus one label): mail.example.lt and example.lt do.
func aligned(a, b string) bool {
	a, b = domainOf(a), domainOf(b)
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	oa, err1 := publicsuffix.EffectiveTLDPlusOne(a)
	ob, err2 := publicsuffix.EffectiveTLDPlusOne(b)
	return err1 == nil && err2 == nil && oa == ob
}

// isOwnAddress reports whether addr is the VVG's own mailbox in any
// spelling that reaches it: case, a +tag (RFC 5233 subaddress), and for
// Gmail the dots of the local part and the googlemail.com domain, which
// Gmail ignores.
func (p *Pipeline) isOwnAddress(addr string) bool {
	own := mailboxKey(p.opt.Mailbox)
	return own != "" && mailboxKey(addr) == own
}

// mailboxKey is the form of an address under which the spellings that
// reach one mailbox meet.
func mailboxKey(addr string) string {
	addr = strings.ToLower(strings.TrimSpace(addr))
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || domain == "" {
		return ""
	}
	local, _, _ = strings.Cut(local, "+")
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}
