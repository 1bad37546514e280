package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/ledger"
)

// pipeline turns one raw message into ledger rows: parse, recognise what
// it is, route it to a consultation, classify it, and record it (with its
// acknowledgement) in one transaction. The IMAP poller and `import` both
// feed it; the web form has its own entry (formStore) into the same ledger
// and classifier.
type pipeline struct {
	cfg  *Config
	db   *ledger.DB
	clf  *classify.Classifier
	log  *slog.Logger
	now  func() time.Time
	kick func() // wakes the outbox sender; may be nil
	obs  *metrics
}

// delivery describes where a raw message came from.
type delivery struct {
	source       string // imap or import
	account      string
	folder       string
	uidValidity  uint32
	uid          uint32
	file         string
	internalDate time.Time
	size         int64
	truncated    bool
	consultation string // import --consultation: file here whatever the window
	acks         bool   // acknowledgements allowed (imports only with --send-acks)
}

// verdict is what the pipeline decided about a message.
type verdict struct {
	msg         *mailparse.Message
	disposition string
	reason      string
	route       string
	cons        *ledger.Consultation
	joins       *ledger.Submission
	class       classify.Result
	ackTo       string
	late        bool
	contentKey  string
	rawSHA256   string
}

func (p *pipeline) parseOptions() mailparse.ParseOptions {
	l := p.cfg.Limits
	return mailparse.ParseOptions{
		MaxAttachmentBytes: int64(l.MaxAttachmentMB) << 20,
		MaxAttachments:     l.MaxAttachments,
		MaxMessageBytes:    int64(l.MaxMessageMB) << 20,
	}
}

// decide parses raw and works out everything short of writing.
func (p *pipeline) decide(ctx context.Context, raw []byte, d *delivery) (*verdict, error) {
	msg := mailparse.ParseBytes(raw, p.parseOptions())
	if d.internalDate.IsZero() {
		// No INTERNALDATE (an imported .eml): the Date header is the best
		// evidence of when it was sent; failing that, now.
		d.internalDate = msg.Date
		if d.internalDate.IsZero() {
			d.internalDate = p.now()
		}
	}
	v := &verdict{msg: msg, disposition: string(msg.Kind), reason: msg.KindReason}
	var names []string
	for _, a := range msg.Attachments {
		names = append(names, a.Filename+":"+a.SHA256)
	}
	v.contentKey = ledger.ContentKey(msg.MessageID, msg.From.Addr, msg.Date, msg.Subject, msg.Text, names)
	v.rawSHA256 = ledger.RawDigest(raw)
	if p.isOwn(msg) {
		v.disposition, v.reason = ledger.DispOwn, "sent from our own address"
	}
	person := v.disposition == ledger.DispSuggestion || v.disposition == ledger.DispMalformed
	if person {
		sub, tag, err := p.findCase(ctx, msg)
		if err != nil {
			return nil, err
		}
		if sub != nil {
			v.disposition, v.joins = ledger.DispReply, sub
			v.reason = "reply to the acknowledgement of " + sub.Ref
			v.route, v.cons = ledger.RouteRouted, &ledger.Consultation{ID: sub.ConsultationID}
			return v, nil
		}
		if tag != "" {
			// It answers one of our acknowledgements but not one of this
			// sender's cases (or the case is not in this ledger). Record it
			// for staff; opening a new case would acknowledge it and start
			// a ping-pong with the resident's mail program.
			v.disposition, v.route = ledger.DispReply, ledger.RouteUnrouted
			v.reason = "answers " + tag + ", which is not a case of this sender in the ledger"
			return v, nil
		}
		if err := p.route(ctx, msg, d, v); err != nil {
			return nil, err
		}
		if v.cons != nil {
			v.class = p.clf.Classify(classifyText(msg.Subject, msg.Text))
			v.ackTo = p.ackAddress(msg, d)
		}
	}
	return v, nil
}

// classifyText gives the classifier the subject too: some residents
// write the whole suggestion there.
func classifyText(subject, text string) string {
	subject = strings.TrimSpace(subject)
	if subject == "" {
		return text
	}
	return subject + "\n\n" + text
}

// ingest records one message and returns what was done.
func (p *pipeline) ingest(ctx context.Context, raw []byte, d *delivery) (*ledger.IngestResult, *verdict, error) {
	v, err := p.decide(ctx, raw, d)
	if err != nil {
		return nil, nil, err
	}
	res, err := p.record(ctx, raw, d, v)
	return res, v, err
}

// record writes what decide worked out, with the acknowledgement, in one
// transaction.
func (p *pipeline) record(ctx context.Context, raw []byte, d *delivery, v *verdict) (*ledger.IngestResult, error) {
	in := p.inbound(raw, d, v)
	res, err := p.db.Ingest(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("record message: %w", err)
	}
	p.recorded(in, res, d, v)
	return res, nil
}

// recorded logs and counts a message the ledger has committed, and wakes
// the sender when it queued an acknowledgement.
func (p *pipeline) recorded(in *ledger.Inbound, res *ledger.IngestResult, d *delivery, v *verdict) {
	if !res.Existing {
		p.log.Info("message recorded", "disposition", res.Disposition, "route", v.route, "ref", res.Ref,
			"ack", res.Acked, "uid", d.uid, "file", d.file)
		if p.obs != nil {
			p.obs.messageRecorded(res.Disposition)
			if in.Submission != nil && !res.Duplicate {
				p.obs.submissionRecorded(v.class.Label, v.class.Confidence)
			}
		}
	}
	if res.Acked && p.kick != nil {
		p.kick()
	}
}

func (p *pipeline) inbound(raw []byte, d *delivery, v *verdict) *ledger.Inbound {
	msg := v.msg
	in := &ledger.Inbound{
		Message: ledger.Message{
			Source: d.source, Account: d.account, Folder: d.folder, UIDValidity: d.uidValidity, UID: d.uid,
			File: d.file, InternalDate: d.internalDate, Size: d.size, Truncated: d.truncated,
			RawSHA256: v.rawSHA256, ContentKey: v.contentKey, MessageID: msg.MessageID, FromAddr: msg.From.Addr, FromName: msg.From.Name,
			Subject: msg.Subject, HasSubject: msg.HasSubject, InReplyTo: msg.InReplyTo, References: msg.References,
			Date: msg.Date, Text: msg.Text, Language: msg.Language, Defects: msg.Defects,
			Disposition: v.disposition, Reason: v.reason, Route: v.route,
		},
		Raw: raw,
	}
	if in.Size == 0 {
		in.Size = int64(len(raw))
	}
	if msg.ReplyTo != nil {
		in.ReplyTo = msg.ReplyTo.Addr
	}
	if v.cons != nil {
		in.ConsultationID = v.cons.ID
	}
	for _, a := range msg.Attachments {
		// The parser kept no content (KeepContent is off): the ledger
		// notes the digest, and the bytes stay in the raw message.
		in.Attachments = append(in.Attachments, ledger.NewAttachment{Filename: a.Filename,
			ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, Refused: a.Refused})
	}
	if v.joins != nil {
		in.JoinSubmission = v.joins.ID
		return in
	}
	if v.cons == nil || (v.disposition != ledger.DispSuggestion && v.disposition != ledger.DispMalformed) {
		return in
	}
	ns := &ledger.NewSubmission{
		ConsultationID: v.cons.ID, Source: ledger.SourceEmail, ReceivedAt: d.internalDate,
		SenderName: msg.From.Name, SenderEmail: strings.ToLower(msg.From.Addr), Subject: msg.Subject,
		Text: msg.Text, Language: msg.Language, Class: toClassification(v.class),
	}
	if v.ackTo != "" {
		ns.Ack = &ledger.AckRequest{To: v.ackTo, MaxPerDay: p.cfg.Notify.MaxAcksPerSenderPerDay}
	}
	in.Submission = ns
	return in
}

func toClassification(r classify.Result) ledger.Classification {
	return ledger.Classification{Measure: r.Label, Confidence: r.Confidence, Secondary: r.Secondary,
		Evidence: r.Evidence, NeedsReview: r.NeedsReview}
}

// isOwn recognises mail vvgintake sent itself (our address, or our
// Message-ID domain): it must never be treated as a resident's.
func (p *pipeline) isOwn(m *mailparse.Message) bool {
	own := strings.ToLower(p.cfg.Organisation.Mailbox)
	if own != "" && strings.EqualFold(m.From.Addr, own) {
		return true
	}
	return p.isOurMessageID(m.MessageID)
}

// isOurMessageID recognises the Message-IDs the outbox generates.
func (p *pipeline) isOurMessageID(id string) bool {
	return strings.HasPrefix(id, "vvgintake.") &&
		strings.HasSuffix(strings.ToLower(id), "@"+strings.ToLower(p.cfg.Organisation.MessageIDDomain))
}

// findCase matches a resident's reply to the case it continues: by the
// reference in the subject, or by In-Reply-To/References naming our
// acknowledgement — and in both cases only when the sender is the
// resident of that case, so text is never appended to someone else's.
// When the message answers our mail but no case of this sender matches,
// tag names what it answers (a reference or a Message-ID).
func (p *pipeline) findCase(ctx context.Context, m *mailparse.Message) (sub *ledger.Submission, tag string, err error) {
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
	for _, ref := range mailparse.SubjectRefs(m.Subject, p.cfg.Organisation.RefPrefix) {
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

// consultationsMaxAge is how long a change another process made to the
// consultations (`vvgintake consultation open` while the daemon runs) may
// take to reach routing; this process's own changes count at once.
const consultationsMaxAge = time.Second

// route files a person's message under a consultation: the one open when
// the server received it; with several open, by plus-address, then by
// subject; after a deadline, as a late suggestion of the consultation just
// closed (within response.late_window_days); otherwise out of window.
func (p *pipeline) route(ctx context.Context, m *mailparse.Message, d *delivery, v *verdict) error {
	all, err := p.db.ConsultationsCached(ctx, consultationsMaxAge)
	if err != nil {
		return err
	}
	at := d.internalDate
	if d.consultation != "" {
		for _, c := range all {
			if c.Slug == d.consultation {
				v.cons, v.route = c, ledger.RouteRouted
				if !at.Before(c.ClosesAt) {
					v.route, v.late = ledger.RouteLate, true
				}
				return nil
			}
		}
		return fmt.Errorf("consultation %q: %w", d.consultation, ledger.ErrNotFound)
	}
	var open []*ledger.Consultation
	var lately *ledger.Consultation
	window := time.Duration(p.cfg.Response.LateWindowDays) * 24 * time.Hour
	for _, c := range all {
		if c.Status == ledger.StatusDraft && !c.IsOpenAt(at) {
			continue
		}
		if c.IsOpenAt(at) {
			open = append(open, c)
			continue
		}
		if !at.Before(c.ClosesAt) && at.Before(c.ClosesAt.Add(window)) && (lately == nil || c.ClosesAt.After(lately.ClosesAt)) {
			lately = c
		}
	}
	switch {
	case len(open) == 1:
		v.cons, v.route = open[0], ledger.RouteRouted
	case len(open) > 1:
		if c := pickConsultation(open, m, p.cfg.Organisation.Mailbox); c != nil {
			v.cons, v.route = c, ledger.RouteRouted
		} else {
			v.route = ledger.RouteUnrouted
		}
	case lately != nil:
		v.cons, v.route, v.late = lately, ledger.RouteLate, true
	default:
		v.route = ledger.RouteOutOfWindow
	}
	return nil
}

// pickConsultation chooses among several open consultations by
// plus-address (vvg+slug@…) and then by the subject.
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

// ackAddress returns where an acknowledgement goes (Reply-To, else From),
// or "" when none may be sent: imports without --send-acks, our own or
// blocked addresses, and no-reply style mailboxes (RFC 3834 §2).
func (p *pipeline) ackAddress(m *mailparse.Message, d *delivery) string {
	if !p.cfg.Notify.Acknowledge || !d.acks {
		return ""
	}
	to := m.From.Addr
	if m.ReplyTo != nil && m.ReplyTo.Addr != "" {
		to = m.ReplyTo.Addr
	}
	to = strings.ToLower(strings.TrimSpace(to))
	if to == "" || !strings.Contains(to, "@") || strings.ContainsAny(to, "\r\n") {
		return ""
	}
	if own := strings.ToLower(p.cfg.Organisation.Mailbox); own != "" {
		ol, od, _ := strings.Cut(own, "@")
		tl, td, _ := strings.Cut(to, "@")
		tl, _, _ = strings.Cut(tl, "+")
		if tl == ol && td == od {
			return ""
		}
	}
	for _, b := range p.cfg.Notify.BlockedSenders {
		b = strings.ToLower(strings.TrimSpace(b))
		if b != "" && (to == b || strings.HasPrefix(b, "@") && strings.HasSuffix(to, b)) {
			return ""
		}
	}
	if isNoReply(to) {
		return ""
	}
	return to
}

// addressPunct drops the separators of an address's local part.
var addressPunct = strings.NewReplacer("-", "", "_", "", ".", "")

// isNoReply recognises mailboxes that never read replies.
func isNoReply(addr string) bool {
	local, _, _ := strings.Cut(addr, "@")
	local = addressPunct.Replace(local)
	for _, p := range []string{"noreply", "donotreply", "nereply", "neatsakyti", "mailerdaemon", "postmaster", "bounce"} {
		if strings.HasPrefix(local, p) {
			return true
		}
	}
	return false
}
