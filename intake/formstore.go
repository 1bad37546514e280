package intake

import (
	"context"
	"strings"

	"github.com/vvgintake/vvgintake/intake/form"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/web"
)

// FormStore connects the web form to the classifier and the ledger: a
// form submission is classified and recorded with its acknowledgement in
// one transaction, like mail.
type FormStore struct{ p *Pipeline }

// NewFormStore returns the form's store.
func NewFormStore(p *Pipeline) *FormStore { return &FormStore{p: p} }

// Consultations lists the consultations the form may show.
func (s *FormStore) Consultations(ctx context.Context) ([]form.Consultation, error) {
	cs, err := s.p.db.Consultations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]form.Consultation, 0, len(cs))
	for _, c := range cs {
		out = append(out, form.Consultation{Slug: c.Slug, Title: c.Title, Description: c.Description,
			TitleEN: c.TitleEN, DescriptionEN: c.DescriptionEN, Status: c.Status, OpensAt: c.OpensAt, ClosesAt: c.ClosesAt,
			Strategy: c.Strategy})
	}
	return out, nil
}

// Submit records one form submission.
func (s *FormStore) Submit(ctx context.Context, f *form.Submission) (*form.Receipt, error) {
	c, err := s.p.db.Consultation(ctx, f.Consultation)
	if err != nil {
		return nil, err
	}
	res := s.p.classify(c.Strategy, f.Text)
	ns := &ledger.NewSubmission{
		ConsultationID: c.ID, Source: ledger.SourceForm, ReceivedAt: f.ReceivedAt, SenderName: f.Name,
		SenderEmail: strings.ToLower(f.Email), Sector: f.Sector, Text: f.Text, Language: f.Language,
		Class: Classification(res), ResidentMeasure: f.Measure, Signature: Sign("", f.Text),
	}
	for _, file := range f.Files {
		// Streamed from the form's temporary file into the ledger in
		// pieces: an upload is never held whole in memory.
		ns.Attachments = append(ns.Attachments, ledger.NewAttachment{Filename: file.Filename,
			ContentType: file.ContentType, Size: file.Size, SHA256: file.SHA256, Open: file.Open})
	}
	if to := s.p.ackAddress(f.Email); to != "" {
		ns.Ack = &ledger.AckRequest{To: to, MaxPerDay: s.p.opt.MaxAcksPerSenderPerDay}
	}
	sub, err := s.p.db.AddSubmission(ctx, ns)
	if err != nil {
		return nil, err
	}
	queued := sub.AckStatus != ""
	if queued && s.p.opt.Kick != nil {
		s.p.opt.Kick()
	}
	if obs := s.p.opt.Observer; obs != nil {
		obs.SubmissionRecorded(res.Label, res.Confidence)
	}
	s.p.opt.Logger.Info("form submission recorded", "ref", sub.Ref, "measure", sub.Measure, "ack", queued)
	s.p.groupNew(ctx, c.ID)
	return &form.Receipt{Ref: sub.Ref, ReceivedAt: sub.ReceivedAt, ClosesAt: c.ClosesAt,
		ResponseDue: sub.ResponseDue, Late: sub.Late, AckQueued: queued}, nil
}

// Buckets keeps the form's per-client budget in the ledger, so that a
// restart does not refill it.
func (s *FormStore) Buckets() web.BucketStore { return rateBuckets{s.p.db} }

// rateBuckets is the ledger as the limiter's BucketStore.
type rateBuckets struct{ db *ledger.DB }

func (b rateBuckets) LoadBucket(ctx context.Context, key string) (web.Bucket, bool, error) {
	tokens, last, ok, err := b.db.RateBucket(ctx, key)
	return web.Bucket{Tokens: tokens, Last: last}, ok, err
}

func (b rateBuckets) SaveBucket(ctx context.Context, key string, bk web.Bucket) error {
	return b.db.SetRateBucket(ctx, key, bk.Tokens, bk.Last)
}
