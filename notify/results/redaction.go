package results

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/redact"
)

// Where a row's spans come from.
const (
	SpansStaff  = "staff"  // staff saw and saved them in the console
	SpansFrozen = "frozen" // the detector's, stored when the results were published
	SpansFound  = "found"  // the detector's, found now: nothing is stored yet
	// SpansStale: spans were stored for a text that has changed since
	// (a letter split in two); they are found anew and staff should look.
	SpansStale = "stale"
)

// TextSHA256 is the digest stored with a redaction: of the text its spans
// were made on.
func TextSHA256(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Known is what the detector is told about a row's sender: a person's
// name is looked for in all its forms; an organisation's name is kept.
func Known(senderName string) redact.Known {
	if senderName == "" {
		return redact.Known{}
	}
	if redact.IsOrganisation(senderName) {
		return redact.Known{Public: []string{senderName}}
	}
	return redact.Known{People: []string{senderName}}
}

// Spans returns the personal data to hide in a row's text and where they
// come from: the stored redaction when it was made on this very text,
// else what the detector finds.
func Spans(r *ledger.ResultRow) ([]redact.Span, string) {
	source := SpansFound
	if r.Redaction != nil {
		if r.Redaction.TextSHA256 == TextSHA256(r.Text) {
			var spans []redact.Span
			if err := json.Unmarshal([]byte(r.Redaction.Spans), &spans); err == nil && redact.Validate(r.Text, spans) == nil {
				if r.Redaction.Staff {
					return spans, SpansStaff
				}
				return spans, SpansFrozen
			}
		}
		source = SpansStale
	}
	return redact.Find(r.Text, Known(r.SenderName)), source
}

// EncodeSpans is the JSON the ledger keeps a span list as.
func EncodeSpans(spans []redact.Span) string {
	if spans == nil {
		spans = []redact.Span{}
	}
	b, _ := json.Marshal(spans) // a slice of plain structs always encodes
	return string(b)
}

// Freeze returns the detector's redaction of every row of consultation
// consID that has no valid stored one, for ledger.Publish to store: the
// published table must not change when the detector does.
func Freeze(ctx context.Context, db *ledger.DB, consID int64) ([]ledger.FrozenRedaction, error) {
	var out []ledger.FrozenRedaction
	err := db.ResultRows(ctx, consID, func(r *ledger.ResultRow) error {
		spans, source := Spans(r)
		if source == SpansFound {
			out = append(out, ledger.FrozenRedaction{SubmissionID: r.SubmissionID, Spans: EncodeSpans(spans), TextSHA256: TextSHA256(r.Text)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("freeze redactions: %w", err)
	}
	return out, nil
}

// SubmissionSpans is Spans for one loaded suggestion: its published text,
// the spans to hide in it and where they come from (the console's review
// of one suggestion).
func SubmissionSpans(ctx context.Context, db *ledger.DB, sub *ledger.Submission) (string, []redact.Span, string, error) {
	r := &ledger.ResultRow{SubmissionID: sub.ID, Ref: sub.Ref, SenderName: sub.SenderName,
		Text: ledger.PublishedText(sub.Subject, sub.Text)}
	red, err := db.Redaction(ctx, sub.ID)
	switch {
	case err == nil:
		r.Redaction = red
	case !errors.Is(err, ledger.ErrNotFound):
		return "", nil, "", err
	}
	spans, source := Spans(r)
	return r.Text, spans, source, nil
}
