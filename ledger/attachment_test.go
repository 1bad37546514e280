package ledger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBlobChunks: large content is stored in pieces of at most chunkSize
// and read back whole and unchanged, whether it came as one slice (a raw
// message) or as an attachment (a web-form upload); the same content again
// adds nothing.
func TestBlobChunks(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	raw := random(2*chunkSize + 1234)
	whole := random(2*chunkSize + 7)

	in := inbound(c, 1, string(raw), "a@x", "ona@example.lt", "Siūlau dienos centrą")
	in.Attachments = []NewAttachment{{Filename: "nuotrauka.jpg", ContentType: "image/jpeg", Data: whole}}
	res := mustIngest(t, db, in)
	m, err := db.MessageByID(ctx, res.MessageRow)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.blob(ctx, m.RawSHA256); err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("raw message read back: %d bytes, %v; want the %d stored", len(got), err, len(raw))
	}
	atts, err := db.MessageAttachments(ctx, res.MessageRow)
	if err != nil || len(atts) != 1 {
		t.Fatalf("attachments = %v, %v", atts, err)
	}
	sum := sha256.Sum256(whole)
	if atts[0].SHA256 != hex.EncodeToString(sum[:]) || atts[0].Size != int64(len(whole)) {
		t.Errorf("attachment recorded as %s, %d bytes; want %x, %d", atts[0].SHA256, atts[0].Size, sum, len(whole))
	}
	if got, err := db.blob(ctx, atts[0].SHA256); err != nil || !bytes.Equal(got, whole) {
		t.Errorf("attachment read back: %d bytes, %v; want the %d stored", len(got), err, len(whole))
	}

	chunks := func(table string) (n int, largest int) {
		if err := db.r.QueryRowContext(ctx, `SELECT count(*), coalesce(max(length(data)), 0) FROM `+table).Scan(&n, &largest); err != nil {
			t.Fatal(err)
		}
		return n, largest
	}
	// raw and attachment: 2 full chunks and a rest each, the raw message
	// under its message, the attachment under its digest.
	for _, table := range []string{"message_raw", "blob_chunks"} {
		if n, largest := chunks(table); largest != chunkSize || n != 3 {
			t.Errorf("%s: %d chunks, the largest %d bytes; want 3, none over %d", table, n, largest, chunkSize)
		}
	}
	// The same attachment with another message: stored once.
	in2 := inbound(c, 2, "raw-2", "b@x", "jonas@example.lt", "Kitas pasiūlymas")
	in2.Attachments = []NewAttachment{{Filename: "kopija.jpg", ContentType: "image/jpeg", Data: whole}}
	mustIngest(t, db, in2)
	if n, _ := chunks("blob_chunks"); n != 3 {
		t.Errorf("%d attachment chunks after storing known content again, want 3", n)
	}
	if n, _ := chunks("message_raw"); n != 4 { // raw-2 in one chunk
		t.Errorf("%d raw message chunks after a second message, want 4", n)
	}
}

// TestAttachmentInMessage: an e-mail's attachment given by digest only is
// listed with its size and digest, stores no content, and WriteBlob sends
// the reader to the message whose raw bytes hold it; the same attachment
// in a later message reuses that.
func TestAttachmentInMessage(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	photo := sha256.Sum256([]byte("photo"))
	att := NewAttachment{Filename: "nuotrauka.jpg", ContentType: "image/jpeg", Size: 5, SHA256: hex.EncodeToString(photo[:])}

	first := inbound(c, 1, "raw-1", "<a@x>", "ona@example.lt", "Siūlau dienos centrą")
	first.Attachments = []NewAttachment{att}
	second := inbound(c, 2, "raw-2", "<b@x>", "jonas@example.lt", "Siūlau taką")
	second.Attachments = []NewAttachment{att}
	res, err := db.IngestBatch(ctx, []*Inbound{first, second})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		atts, err := db.MessageAttachments(ctx, r.MessageRow)
		if err != nil {
			t.Fatal(err)
		}
		if len(atts) != 1 || atts[0].SHA256 != att.SHA256 || atts[0].Size != 5 || atts[0].Refused != "" {
			t.Fatalf("message %d attachments = %+v", i+1, atts)
		}
	}
	var chunks, stored int
	if err := db.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM blob_chunks WHERE sha256 = ?1),
		(SELECT length(data) FROM blobs WHERE sha256 = ?1)`, att.SHA256).Scan(&chunks, &stored); err != nil {
		t.Fatal(err)
	}
	if chunks != 0 || stored != 0 {
		t.Errorf("the attachment's content was stored apart: %d chunks, %d bytes", chunks, stored)
	}
	var out bytes.Buffer
	_, err = db.WriteBlob(ctx, att.SHA256, &out)
	im, ok := err.(*InMessageError)
	if !ok || im.Message != res[0].MessageRow || im.RawSHA256 != first.RawSHA256 || out.Len() != 0 {
		t.Fatalf("WriteBlob = %v (wrote %d bytes), want an InMessageError for message %d, raw %s",
			err, out.Len(), res[0].MessageRow, first.RawSHA256)
	}
	if _, err := db.WriteBlob(ctx, im.RawSHA256, &out); err != nil || out.String() != "raw-1" {
		t.Fatalf("raw message = %q, %v", out.String(), err)
	}
	// A digest with no message holding the content (a form upload must
	// bring its bytes) is refused, not stored empty.
	_, err = db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceForm, SenderEmail: "ona@example.lt",
		Text: "Siūlau", Attachments: []NewAttachment{att}})
	if err == nil || !strings.Contains(err.Error(), "digest without content") {
		t.Errorf("form attachment by digest only: err = %v, want it refused", err)
	}
	var problems int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check`).Scan(&problems); err != nil || problems != 0 {
		t.Fatalf("foreign key check: %d problems, %v", problems, err)
	}
}

// TestEmptyRawMessage: a message of no bytes still has its raw content
// recorded (one empty chunk), so it reads back as empty, not as missing.
func TestEmptyRawMessage(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	res := mustIngest(t, db, inbound(c, 1, "", "a@x", "ona@example.lt", "Siūlau dienos centrą"))
	m, err := db.MessageByID(ctx, res.MessageRow)
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := db.blob(ctx, m.RawSHA256); err != nil || len(raw) != 0 {
		t.Errorf("empty raw message read back as %q, %v; want no bytes and no error", raw, err)
	}
}
