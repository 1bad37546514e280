package privacy

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/vvgintake/vvgintake/internal/filename"
	"github.com/vvgintake/vvgintake/ledger"
)

// ExportFormat names the shape of an export's manifest.json. Fields may
// be added under the same name; anything else gets a new number.
const ExportFormat = "vvgintake-person-export/1"

// Manifest is manifest.json in an export: what the VVG holds of a person
// (GDPR Art. 15), in a machine-readable form they can take elsewhere
// (Art. 20), with every file in the archive and its SHA-256.
type Manifest struct {
	Format      string    `json:"format"`
	GeneratedAt time.Time `json:"generated_at"`
	Controller  string    `json:"controller"`
	Query       string    `json:"query"`
	Addresses   []string  `json:"addresses"`
	Names       []string  `json:"names"`
	// Submissions are the suggestions they sent, as the VVG recorded and
	// decided them.
	Submissions []ExportSubmission `json:"submissions"`
	// Messages are their e-mails; File is the raw message as delivered.
	Messages    []ExportMessage    `json:"messages"`
	Attachments []ExportAttachment `json:"attachments"`
	// Sent is the mail the VVG sent them.
	Sent  []ExportSent  `json:"sent"`
	Notes []ExportNote  `json:"notes"`
	Audit []ExportAudit `json:"audit"`
	// Files lists every other file in the archive with its size and
	// SHA-256.
	Files []ExportFile `json:"files"`
}

// ExportSubmission is one suggestion.
type ExportSubmission struct {
	Ref             string                 `json:"ref"`
	Consultation    string                 `json:"consultation"`
	Source          string                 `json:"source"`
	ReceivedAt      time.Time              `json:"received_at"`
	SenderName      string                 `json:"sender_name"`
	SenderEmail     string                 `json:"sender_email"`
	Sector          string                 `json:"sector"`
	Subject         string                 `json:"subject"`
	Text            string                 `json:"text"`
	Language        string                 `json:"language"`
	Measure         string                 `json:"measure"`
	ResidentMeasure string                 `json:"resident_measure"`
	Classifications []ExportClassification `json:"classifications"`
	Status          string                 `json:"status"`
	Decision        string                 `json:"decision"`
	DecisionReason  string                 `json:"decision_reason"`
	DecidedAt       *time.Time             `json:"decided_at"`
	ResponseDue     string                 `json:"response_due"`
	Late            bool                   `json:"late"`
	Withdrawn       string                 `json:"withdrawn"`
}

// ExportClassification is how the suggestion was filed, automatically
// (with the words that decided it: GDPR Art. 15(1)(h)) or by staff.
type ExportClassification struct {
	At         time.Time `json:"at"`
	Source     string    `json:"source"` // auto, staff, resident
	Measure    string    `json:"measure"`
	Confidence float64   `json:"confidence"`
	Evidence   []string  `json:"evidence"`
}

// ExportMessage is one e-mail.
type ExportMessage struct {
	ID          int64     `json:"id"`
	Ref         string    `json:"ref"`
	ReceivedAt  time.Time `json:"received_at"` // when the mail server received it (INTERNALDATE)
	From        string    `json:"from"`
	FromName    string    `json:"from_name"`
	ReplyTo     string    `json:"reply_to"`
	Subject     string    `json:"subject"`
	MessageID   string    `json:"message_id"`
	Disposition string    `json:"disposition"`
	Folder      string    `json:"folder,omitempty"`
	UID         uint32    `json:"uid,omitempty"`
	File        string    `json:"file"` // "" when its raw bytes were deleted (retention)
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
}

// ExportAttachment is one file that came with an e-mail or the form.
type ExportAttachment struct {
	Ref         string `json:"ref"`
	Message     int64  `json:"message"` // 0 for the web form
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	File        string `json:"file"`     // "" when not kept
	NotKept     string `json:"not_kept"` // why not
}

// ExportSent is one mail the VVG sent them, rendered again from the
// ledger under its Message-ID: the ledger keeps what makes the mail, not
// a copy of it, so the text is what was sent unless the templates
// changed since.
type ExportSent struct {
	Kind      string     `json:"kind"`
	Ref       string     `json:"ref"`
	To        []string   `json:"to"`
	MessageID string     `json:"message_id"`
	Status    string     `json:"status"`
	QueuedAt  time.Time  `json:"queued_at"`
	SentAt    *time.Time `json:"sent_at"`
	File      string     `json:"file"`
}

// ExportNote is a staff note on one of their cases.
type ExportNote struct {
	Ref   string    `json:"ref"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Text  string    `json:"text"`
}

// ExportAudit is what staff did with one of their cases.
type ExportAudit struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Ref    string    `json:"ref"`
	Detail string    `json:"detail"`
}

// ExportFile is one file in the archive.
type ExportFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Export writes a zip archive of a person's records to path: manifest.json,
// messages/ID.eml (every e-mail as delivered, checked against its
// recorded digest), attachments/ (every file they sent, e-mail or form),
// sent/ID.eml (the mail sent to them). An existing file is never
// overwritten (ledger.ErrConflict). The archive is readable by its owner
// only: it is the person's data.
func (r *Records) Export(ctx context.Context, query, path string) (*Manifest, error) {
	p, err := r.Find(ctx, query)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("export to %s: file exists: %w", path, ledger.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("export to %s: %w", path, err)
	}
	m, err := r.writeExport(ctx, p, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("export to %s: %w", path, err)
	}
	return m, nil
}

// ExportTo writes the same archive as Export to w (a download).
func (r *Records) ExportTo(ctx context.Context, query string, w io.Writer) (*Manifest, error) {
	p, err := r.Find(ctx, query)
	if err != nil {
		return nil, err
	}
	return r.writeExport(ctx, p, w)
}

func (r *Records) writeExport(ctx context.Context, p *ledger.Person, out io.Writer) (*Manifest, error) {
	zw := zip.NewWriter(out)
	x := &exporter{r: r, zw: zw, m: &Manifest{Format: ExportFormat, GeneratedAt: r.opt.Now().UTC(), Controller: r.opt.Controller,
		Query: p.Query, Addresses: nonNil(p.Addresses), Names: nonNil(p.Names)}}
	// Messages first: an e-mail's attachments belong to its case too,
	// and are written once, under the message.
	for _, kind := range []string{ledger.RecordMessage, ledger.RecordSubmission, ledger.RecordSent} {
		for _, rec := range p.Records {
			if rec.Kind != kind {
				continue
			}
			var err error
			switch kind {
			case ledger.RecordMessage:
				err = x.message(ctx, rec.ID)
			case ledger.RecordSubmission:
				err = x.submission(ctx, rec.ID)
			case ledger.RecordSent:
				err = x.sent(ctx, rec.ID, rec.Ref)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	// Every list is [] rather than null in the JSON.
	m := x.m
	m.Submissions, m.Messages, m.Attachments = nonNil(m.Submissions), nonNil(m.Messages), nonNil(m.Attachments)
	m.Sent, m.Notes, m.Audit, m.Files = nonNil(m.Sent), nonNil(m.Notes), nonNil(m.Audit), nonNil(m.Files)
	w, err := zw.Create("manifest.json")
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return m, zw.Close()
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// exporter writes one archive.
type exporter struct {
	r     *Records
	zw    *zip.Writer
	m     *Manifest
	names map[string]bool
	atts  map[int64]bool // attachments written
}

// file writes one file of the archive with write, and lists it with its
// size and digest; want, when set, is the digest it must have.
func (x *exporter) file(name, want string, write func(io.Writer) error) (string, error) {
	if x.names == nil {
		x.names = map[string]bool{}
	}
	for i := 2; x.names[name]; i++ {
		name = fmt.Sprintf("%s.%d", name, i)
	}
	x.names[name] = true
	w, err := x.zw.Create(name)
	if err != nil {
		return "", err
	}
	c := &counter{h: sha256.New()}
	if err := write(io.MultiWriter(w, c)); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	sum := hex.EncodeToString(c.h.Sum(nil))
	if want != "" && sum != want {
		return "", fmt.Errorf("write %s: the stored content does not match its SHA-256 %s: the ledger is damaged", name, want)
	}
	x.m.Files = append(x.m.Files, ExportFile{Path: name, Size: c.n, SHA256: sum})
	return name, nil
}

type counter struct {
	h hash.Hash
	n int64
}

func (c *counter) Write(b []byte) (int, error) {
	c.n += int64(len(b))
	return c.h.Write(b)
}

func (x *exporter) submission(ctx context.Context, id int64) error {
	s, err := x.r.db.SubmissionByID(ctx, id)
	if err != nil {
		return err
	}
	hist, err := x.r.db.History(ctx, id)
	if err != nil {
		return err
	}
	es := ExportSubmission{Ref: s.Ref, Consultation: s.Consultation, Source: s.Source, ReceivedAt: s.ReceivedAt,
		SenderName: s.SenderName, SenderEmail: s.SenderEmail, Sector: s.Sector, Subject: s.Subject, Text: s.Text,
		Language: s.Language, Measure: s.Measure, ResidentMeasure: s.ResidentMeasure, Status: s.Status,
		Decision: s.Decision, DecisionReason: s.DecisionReason, ResponseDue: s.ResponseDue.Format("2006-01-02"),
		Late: s.Late, Withdrawn: s.Withdrawn, Classifications: []ExportClassification{}}
	if !s.DecidedAt.IsZero() {
		d := s.DecidedAt
		es.DecidedAt = &d
	}
	for _, h := range hist {
		es.Classifications = append(es.Classifications, ExportClassification{At: h.CreatedAt, Source: h.Source,
			Measure: h.Measure, Confidence: h.Confidence, Evidence: nonNil(h.Evidence)})
	}
	x.m.Submissions = append(x.m.Submissions, es)
	// Uploads are the submission's own; an e-mail's attachments came
	// with its message.
	for i, a := range s.Attachments {
		if x.atts[a.ID] {
			continue
		}
		if err := x.attachment(ctx, s.Ref, 0, i+1, a); err != nil {
			return err
		}
	}
	notes, err := x.r.db.Notes(ctx, id)
	if err != nil {
		return err
	}
	for _, n := range notes {
		x.m.Notes = append(x.m.Notes, ExportNote{Ref: s.Ref, At: n.CreatedAt, Actor: n.Actor, Text: n.Text})
	}
	audit, err := x.r.db.Audit(ctx, s.Ref, 0)
	if err != nil {
		return err
	}
	for i := len(audit) - 1; i >= 0; i-- { // oldest first
		a := audit[i]
		x.m.Audit = append(x.m.Audit, ExportAudit{At: a.At, Actor: a.Actor, Action: a.Action, Ref: a.Target, Detail: a.Detail})
	}
	return nil
}

func (x *exporter) message(ctx context.Context, id int64) error {
	msg, err := x.r.db.MessageByID(ctx, id)
	if err != nil {
		return err
	}
	em := ExportMessage{ID: msg.ID, Ref: msg.Ref, ReceivedAt: msg.InternalDate, From: msg.FromAddr, FromName: msg.FromName,
		ReplyTo: msg.ReplyTo, Subject: msg.Subject, MessageID: msg.MessageID, Disposition: msg.Disposition,
		Folder: msg.Folder, UID: msg.UID, Size: msg.Size, SHA256: msg.RawSHA256}
	if !msg.RawErased { // else deleted by the retention rule for raw mail
		em.File, err = x.file(fmt.Sprintf("messages/%d.eml", msg.ID), msg.RawSHA256, func(w io.Writer) error {
			_, err := x.r.db.WriteBlob(ctx, msg.RawSHA256, w)
			return err
		})
		if err != nil {
			return err
		}
	}
	x.m.Messages = append(x.m.Messages, em)
	for i, a := range msg.Attachments {
		if err := x.attachment(ctx, msg.Ref, msg.ID, i+1, a); err != nil {
			return err
		}
	}
	return nil
}

func (x *exporter) attachment(ctx context.Context, ref string, msg int64, n int, a ledger.Attachment) error {
	if x.atts == nil {
		x.atts = map[int64]bool{}
	}
	x.atts[a.ID] = true
	ea := ExportAttachment{Ref: ref, Message: msg, Filename: a.Filename, ContentType: a.ContentType, Size: a.Size,
		SHA256: a.SHA256, NotKept: a.Refused}
	if a.SHA256 != "" {
		owner := ref
		if msg > 0 {
			owner = fmt.Sprintf("message-%d", msg)
		}
		head := fmt.Sprintf("attachments/%s-%d-", owner, n)
		name := filename.Clean(a.Filename, 255-len("attachments/")-len(head))
		if name == "" {
			name = "priedas"
		}
		var err error
		ea.File, err = x.file(head+name, a.SHA256, func(w io.Writer) error {
			_, err := x.r.extract(ctx, a.SHA256, w)
			return err
		})
		if err != nil {
			return err
		}
	}
	x.m.Attachments = append(x.m.Attachments, ea)
	return nil
}

func (x *exporter) sent(ctx context.Context, id int64, ref string) error {
	it, err := x.r.db.OutboxItemByID(ctx, id)
	if err != nil {
		return err
	}
	es := ExportSent{Kind: it.Kind, Ref: ref, To: it.Recipients, MessageID: it.MessageID, Status: it.Status, QueuedAt: it.CreatedAt}
	if !it.SentAt.IsZero() {
		t := it.SentAt
		es.SentAt = &t
	}
	if x.r.opt.Render != nil {
		es.File, err = x.file(fmt.Sprintf("sent/%d-%s.eml", it.ID, it.Kind), "", func(w io.Writer) error {
			return x.r.opt.Render(ctx, it, w)
		})
		if err != nil {
			return err
		}
	}
	x.m.Sent = append(x.m.Sent, es)
	return nil
}
