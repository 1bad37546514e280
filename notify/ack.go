package notify

import (
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"
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
	if t == nil {
		return nil, errors.New("build ack: templates are nil")
	}
	env, err := d.address(d.To)
	errs := []error{err}
	d.Ref = headerText(d.Ref)
	if d.Ref == "" {
		errs = append(errs, errors.New("ref is empty"))
	}
	switch d.Source {
	case "":
		d.Source = "email"
	case "email", "form", "staff":
	default:
		errs = append(errs, fmt.Errorf("source %q is not email, form or staff", d.Source))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("build ack %s: %w", d.Ref, err)
	}
	d.ReceivedAt = inZone(d.ReceivedAt, d.Loc)
	d.ClosesAt = inZone(d.ClosesAt, d.Loc)
	d.ResponseDue = inZone(d.ResponseDue, d.Loc)

	m, err := t.compose(&env, kindAck, autoReplied, &ackView{AckData: d})
	if err != nil {
		return nil, fmt.Errorf("build ack %s: %w", d.Ref, err)
	}
	threadHeaders(m, d.InReplyTo, d.References)
	return m, nil
}

// inZone converts t to loc, keeping the zero time zero so templates can
// test it with {{if}}.
func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}
