package notify

import (
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/ledger"
)

// ackView is what the ack templates see: the data with its times in the
// reader's zone, plus the rendered subject (for the HTML <title>).
type ackView struct {
	AckData
	titled
}

// BuildAck renders the acknowledgement (patvirtinimas) sent to a resident
// whose suggestion was registered. It is an automatic response in the sense
// of RFC 3834, so it carries "Auto-Submitted: auto-replied" (§5) and
// X-Auto-Response-Suppress, and it threads under the resident's message
// with In-Reply-To/References when there is one.
func BuildAck(d AckData, t *Templates) (*gomail.Msg, error) {
	if d.Source == "" {
		d.Source = "email"
	}
	problems := []error{d.cleanRef(), notOneOf("source", d.Source, "email", "form", "staff")}
	return build(t, ledger.KindAck, "ack", d.Ref, &d.Head, []Addr{d.To}, problems, autoReplied, func() view {
		d.ReceivedAt = inZone(d.ReceivedAt, d.Loc)
		d.ClosesAt = inZone(d.ClosesAt, d.Loc)
		d.ResponseDue = inZone(d.ResponseDue, d.Loc)
		return &ackView{AckData: d}
	})
}

// inZone converts t to loc, keeping the zero time zero so templates can
// test it with {{if}}.
func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}
