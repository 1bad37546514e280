package intake

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/intake/spam"
	"github.com/vvgintake/vvgintake/ledger"
)

// Options are the rules a Pipeline applies, taken from the configuration.
type Options struct {
	// Mailbox is the VVG's own address: mail from it is our own, and no
	// acknowledgement ever goes to it.
	Mailbox string
	// MessageIDDomain is the right-hand side of the Message-IDs the
	// outbox writes; In-Reply-To naming one answers our mail.
	MessageIDDomain string
	// LateWindow is how long after a deadline mail still becomes a late
	// suggestion of the consultation that just closed.
	LateWindow time.Duration
	// Acknowledge turns acknowledgements on.
	Acknowledge bool
	// MaxAcksPerSenderPerDay caps acknowledgements to one address (0: no cap).
	MaxAcksPerSenderPerDay int
	// BlockedSenders are addresses ("x@y.lt") or domains ("@y.lt") never
	// acknowledged.
	BlockedSenders []string
	// Parse bounds what the parser keeps.
	Parse mailparse.ParseOptions
	// AuthServIDs name our own receiving server in Authentication-Results
	// (RFC 8601), e.g. "mx.google.com" for Gmail: only its verdicts are
	// believed. Empty: no verdict is read.
	AuthServIDs []string
	// Spam scores content; nil: the shipped model (spam.Default).
	Spam *spam.Model
	// Letters says when decision letters go: LettersOnPublish (default,
	// ""), LettersOnDecision or LettersOff.
	Letters string

	Logger *slog.Logger     // default: discard
	Now    func() time.Time // default: time.Now
	// Kick wakes the outbox sender after an acknowledgement was queued;
	// nil when nothing sends (import, tests).
	Kick func()
	// Observer counts what was recorded (the daemon's metrics); may be nil.
	Observer Observer
	// DeferGrouping leaves new suggestions to RunGrouping (the daemon's
	// loop) or GroupPending (`run --once`) instead of grouping them right
	// after each recording, so a burst of mail is taken in by a few passes
	// rather than one per batch. Off: each recording groups at once (the
	// CLI, tests).
	DeferGrouping bool
}

// Observer is told what the pipeline recorded.
type Observer interface {
	MessageRecorded(disposition mailparse.Kind)
	SubmissionRecorded(measure string, confidence float64)
}

// Pipeline turns one raw message into ledger rows: parse, recognise what
// it is, match it to the case it continues or route it to a consultation,
// classify it with the classifier of that consultation's strategy, and
// record it (with its acknowledgement) in one transaction. The IMAP poller
// (MailSink) and `import` feed it; the web form has its own entry
// (FormStore) into the same ledger and classifiers. It is safe for
// concurrent use.
type Pipeline struct {
	opt        Options
	db         *ledger.DB
	strategies *Strategies
	grp        *grouper
	groupKick  chan struct{} // DeferGrouping: suggestions wait to be grouped
}

// New returns a pipeline over the ledger and the strategies' classifiers
// (OneStrategy for a VVG with one).
func New(db *ledger.DB, strategies *Strategies, opt Options) *Pipeline {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Pipeline{opt: opt, db: db, strategies: strategies, grp: newGrouper(db, opt.Logger, opt.Now),
		groupKick: make(chan struct{}, 1)}
}

// Where a message came from (Origin.Source, the ledger's messages.source).
const (
	SourceIMAP   = "imap"
	SourceImport = "import"
)

// Origin says where a raw message came from.
type Origin struct {
	Source       string // SourceIMAP or SourceImport
	Account      string
	Folder       string
	UIDValidity  uint32
	UID          uint32
	File         string
	InternalDate time.Time // when the server received it; zero for a file
	Size         int64
	Truncated    bool
	Consultation string // import --consultation: file here whatever the window
	Acks         bool   // acknowledgements allowed (imports only with --send-acks)
}

// Verdict is what the pipeline decided about a message.
type Verdict struct {
	Message      *mailparse.Message
	Disposition  mailparse.Kind
	Reason       string
	Route        string               // a ledger.Route… value, "" for automatic mail
	Consultation *ledger.Consultation // nil when not routed
	Joins        *ledger.Submission   // the case a reply continues
	Class        classify.Result
	AckTo        string // where the acknowledgement goes, "" for none
	Late         bool
	ContentKey   string
	RawSHA256    string
	// Spam is the content score of a person's new message.
	Spam spam.Verdict
	// Hold says why a person's new message is not acknowledged although
	// it opens a case (an unsure spam score, failed authentication);
	// the case then waits for staff review. "" when nothing holds it.
	Hold string
	// Signature is the near-duplicate signature of a new suggestion's
	// text, made here so that the commit does not wait for it.
	Signature []byte
}

// Decide parses raw and works out everything short of writing. It only
// reads the ledger, so the poller runs it ahead of the commit.
func (p *Pipeline) Decide(ctx context.Context, raw []byte, o *Origin) (*Verdict, error) {
	msg := mailparse.ParseBytes(raw, p.opt.Parse)
	if o.InternalDate.IsZero() {
		// No INTERNALDATE (an imported .eml): the Date header is the best
		// evidence of when it was sent; failing that, now.
		o.InternalDate = msg.Date
		if o.InternalDate.IsZero() {
			o.InternalDate = p.opt.Now()
		}
	}
	v := &Verdict{Message: msg, Disposition: msg.Kind, Reason: msg.KindReason}
	var names []string
	for _, a := range msg.Attachments {
		names = append(names, a.Filename+":"+a.SHA256)
	}
	v.ContentKey = ledger.ContentKey(msg.MessageID, msg.From.Addr, msg.Date, msg.Subject, msg.Text, names)
	v.RawSHA256 = ledger.RawDigest(raw)
	if p.isOwn(msg) {
		v.Disposition, v.Reason = mailparse.KindOwn, "sent from our own address"
	}
	if !v.Disposition.Person() {
		return v, nil
	}
	sub, tag, err := p.findCase(ctx, msg)
	if err != nil {
		return nil, err
	}
	if sub != nil {
		v.Disposition, v.Joins = mailparse.KindReply, sub
		v.Reason = "reply to the acknowledgement of " + sub.Ref
		v.Route, v.Consultation = ledger.RouteRouted, &ledger.Consultation{ID: sub.ConsultationID}
		return v, nil
	}
	if tag != "" {
		// It answers one of our acknowledgements but not one of this
		// sender's cases (or the case is not in this ledger). Record it
		// for staff; opening a new case would acknowledge it and start
		// a ping-pong with the resident's mail program.
		v.Disposition, v.Route = mailparse.KindReply, ledger.RouteUnrouted
		v.Reason = "answers " + tag + ", which is not a case of this sender in the ledger"
		return v, nil
	}
	if p.judge(raw, msg, v); !v.Disposition.Person() {
		return v, nil
	}
	if v.Hold != "" {
		v.Reason = joinReasons(v.Reason, "not acknowledged: "+v.Hold)
	}
	if err := p.route(ctx, msg, o, v); err != nil {
		return nil, err
	}
	if v.Consultation != nil {
		v.Class = p.classify(v.Consultation.Strategy, classifyText(msg.Subject, msg.Text))
		v.Signature = Sign(msg.Subject, msg.Text)
		if o.Acks && v.Hold == "" {
			v.AckTo = p.ackAddress(replyAddress(msg))
		}
	}
	return v, nil
}

// replyAddress is where a reply to m goes: Reply-To, else From.
func replyAddress(m *mailparse.Message) string {
	if m.ReplyTo != nil && m.ReplyTo.Addr != "" {
		return m.ReplyTo.Addr
	}
	return m.From.Addr
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

// Ingest records one message and returns what was done.
func (p *Pipeline) Ingest(ctx context.Context, raw []byte, o *Origin) (*ledger.IngestResult, *Verdict, error) {
	v, err := p.Decide(ctx, raw, o)
	if err != nil {
		return nil, nil, err
	}
	res, err := p.Record(ctx, raw, o, v)
	return res, v, err
}

// Record writes what Decide worked out, with the acknowledgement, in one
// transaction.
func (p *Pipeline) Record(ctx context.Context, raw []byte, o *Origin, v *Verdict) (*ledger.IngestResult, error) {
	in := p.inbound(raw, o, v)
	res, err := p.db.Ingest(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("record message: %w", err)
	}
	p.recorded(in, res, o, v)
	if in.Submission != nil && !res.Existing && !res.Duplicate && o.Source != SourceImport {
		// An import groups once at its end (Regroup), not per message.
		p.groupNew(ctx, in.Submission.ConsultationID)
	}
	return res, nil
}

// Seen reports whether the ledger holds these exact bytes (exact) or
// another delivery of the same message (duplicate), without writing.
func (p *Pipeline) Seen(ctx context.Context, raw []byte, v *Verdict) (exact, duplicate bool, err error) {
	return p.db.Seen(ctx, raw, v.ContentKey)
}

// AckRequest is the acknowledgement the verdict asks for, nil for none:
// what Record queues and the ledger's per-sender limit judges.
func (p *Pipeline) AckRequest(v *Verdict) *ledger.AckRequest {
	if v.AckTo == "" {
		return nil
	}
	return &ledger.AckRequest{To: v.AckTo, From: strings.ToLower(v.Message.From.Addr), MaxPerDay: p.opt.MaxAcksPerSenderPerDay}
}

// AckAllowed applies the ledger's per-sender limit to an acknowledgement
// that pending others, not yet recorded, would precede (`import
// --dry-run`).
func (p *Pipeline) AckAllowed(ctx context.Context, req *ledger.AckRequest, at time.Time, pending []ledger.AckRequest) (bool, error) {
	return p.db.AckAllowed(ctx, *req, at, pending)
}

// recorded logs and counts a message the ledger has committed, and wakes
// the sender when it queued an acknowledgement.
func (p *Pipeline) recorded(in *ledger.Inbound, res *ledger.IngestResult, o *Origin, v *Verdict) {
	if !res.Existing {
		p.opt.Logger.Info("message recorded", "disposition", res.Disposition, "route", v.Route, "ref", res.Ref,
			"ack", res.Acked, "uid", o.UID, "file", o.File)
		if obs := p.opt.Observer; obs != nil {
			obs.MessageRecorded(mailparse.Kind(res.Disposition))
			if in.Submission != nil && !res.Duplicate {
				obs.SubmissionRecorded(v.Class.Label, v.Class.Confidence)
			}
		}
	}
	if res.Acked && p.opt.Kick != nil {
		p.opt.Kick()
	}
}

func (p *Pipeline) inbound(raw []byte, o *Origin, v *Verdict) *ledger.Inbound {
	msg := v.Message
	in := &ledger.Inbound{
		Message: ledger.Message{
			Source: o.Source, Account: o.Account, Folder: o.Folder, UIDValidity: o.UIDValidity, UID: o.UID,
			File: o.File, InternalDate: o.InternalDate, Size: o.Size, Truncated: o.Truncated,
			RawSHA256: v.RawSHA256, ContentKey: v.ContentKey, MessageID: msg.MessageID, FromAddr: msg.From.Addr, FromName: msg.From.Name,
			Subject: msg.Subject, HasSubject: msg.HasSubject, InReplyTo: msg.InReplyTo, References: msg.References,
			Date: msg.Date, Text: msg.Text, Language: msg.Language, Defects: msg.Defects,
			Disposition: string(v.Disposition), Reason: v.Reason, Route: v.Route,
		},
		Raw: raw,
	}
	if in.Size == 0 {
		in.Size = int64(len(raw))
	}
	if msg.ReplyTo != nil {
		in.ReplyTo = msg.ReplyTo.Addr
	}
	if v.Consultation != nil {
		in.ConsultationID = v.Consultation.ID
	}
	for _, a := range msg.Attachments {
		// The parser kept no content (KeepContent is off): the ledger
		// notes the digest, and the bytes stay in the raw message.
		in.Attachments = append(in.Attachments, ledger.NewAttachment{Filename: a.Filename,
			ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, Refused: a.Refused})
	}
	if v.Joins != nil {
		in.JoinSubmission = v.Joins.ID
		return in
	}
	if v.Consultation == nil || !v.Disposition.Person() {
		return in
	}
	ns := &ledger.NewSubmission{
		ConsultationID: v.Consultation.ID, Source: ledger.SourceEmail, ReceivedAt: o.InternalDate,
		SenderName: msg.From.Name, SenderEmail: strings.ToLower(msg.From.Addr), Subject: msg.Subject,
		Text: msg.Text, Language: msg.Language, Class: Classification(v.Class), AckWithheld: v.Hold,
		Signature: v.Signature,
	}
	if v.Hold != "" {
		// Staff look at what was not acknowledged: it may be a
		// resident to answer by hand.
		ns.Class.NeedsReview = true
	}
	ns.Ack = p.AckRequest(v)
	in.Submission = ns
	return in
}

// Classification is a classifier result as the ledger records it.
func Classification(r classify.Result) ledger.Classification {
	return ledger.Classification{Measure: r.Label, Confidence: r.Confidence, Secondary: r.Secondary,
		Evidence: r.Evidence, NeedsReview: r.NeedsReview}
}
