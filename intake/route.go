package intake

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/ledger"
)

// consultationsMaxAge is how long a change another process made to the
// consultations (`vvgintake consultation open` while the daemon runs) may
// take to reach routing; this process's own changes count at once.
const consultationsMaxAge = time.Second

// route files a person's message under a consultation: the one open when
// the server received it; with several open, by plus-address, then by
// subject; after a deadline, as a late suggestion of the consultation just
// closed (within Options.LateWindow); otherwise out of window. An import
// with --consultation files it there whatever the window.
func (p *Pipeline) route(ctx context.Context, m *mailparse.Message, o *Origin, v *Verdict) error {
	all, err := p.db.ConsultationsCached(ctx, consultationsMaxAge)
	if err != nil {
		return err
	}
	at := o.InternalDate
	if o.Consultation != "" {
		for _, c := range all {
			if c.Slug == o.Consultation {
				v.Consultation, v.Route = c, ledger.RouteRouted
				if !at.Before(c.ClosesAt) {
					v.Route, v.Late = ledger.RouteLate, true
				}
				return nil
			}
		}
		return fmt.Errorf("consultation %q: %w", o.Consultation, ledger.ErrNotFound)
	}
	var open []*ledger.Consultation
	var lately *ledger.Consultation
	for _, c := range all {
		if c.Status == ledger.StatusDraft && !c.IsOpenAt(at) {
			continue
		}
		if c.IsOpenAt(at) {
			open = append(open, c)
			continue
		}
		if !at.Before(c.ClosesAt) && at.Before(c.ClosesAt.Add(p.opt.LateWindow)) && (lately == nil || c.ClosesAt.After(lately.ClosesAt)) {
			lately = c
		}
	}
	switch {
	case len(open) == 1:
		v.Consultation, v.Route = open[0], ledger.RouteRouted
	case len(open) > 1:
		if c := pickConsultation(open, m, p.opt.Mailbox); c != nil {
			v.Consultation, v.Route = c, ledger.RouteRouted
		} else {
			v.Route = ledger.RouteUnrouted
		}
	case lately != nil:
		v.Consultation, v.Route, v.Late = lately, ledger.RouteLate, true
	default:
		v.Route = ledger.RouteOutOfWindow
	}
	return nil
}

// pickConsultation chooses among several open consultations by
// plus-address (vvg+slug@…) and then by the subject; nil when nothing
// says which, or the subject names more than one.
func pickConsultation(open []*ledger.Consultation, m *mailparse.Message, mailbox string) *ledger.Consultation {
	local, domain, _ := strings.Cut(strings.ToLower(mailbox), "@")
	for _, a := range append(append([]mailparse.Address{}, m.To...), m.Cc...) {
		l, dom, ok := strings.Cut(strings.ToLower(a.Addr), "@")
		if !ok || dom != domain {
			continue
		}
		base, tag, ok := strings.Cut(l, "+")
		if !ok || base != local {
			continue
		}
		for _, c := range open {
			if c.Slug == tag {
				return c
			}
		}
	}
	subject := strings.ToLower(m.Subject)
	var hit *ledger.Consultation
	for _, c := range open {
		match := strings.Contains(subject, c.Slug)
		for _, k := range c.SubjectKeywords {
			match = match || (k != "" && strings.Contains(subject, strings.ToLower(k)))
		}
		if match {
			if hit != nil {
				return nil // ambiguous: staff decide
			}
			hit = c
		}
	}
	return hit
}
