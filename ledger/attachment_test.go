package ledger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

// TestBlobChunks: large content is stored in pieces of at most chunkSize
// and read back whole and unchanged, whether it came as one slice (a raw
// message) or in parts (an attachment as the parser collected it); the
// same content again adds nothing.
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
	parts := [][]byte{random(100 << 10), random(chunkSize + 7), random(1), random(300 << 10)}
	whole := bytes.Join(parts, nil)

	in := inbound(c, 1, string(raw), "a@x", "ona@example.lt", "Siūlau dienos centrą")
	in.Attachments = []NewAttachment{{Filename: "nuotrauka.jpg", ContentType: "image/jpeg", Parts: parts}}
	res, err := db.Ingest(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
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

	chunks := func() (n int, largest int) {
		if err := db.r.QueryRowContext(ctx, `SELECT count(*), max(length(data)) FROM blob_chunks`).Scan(&n, &largest); err != nil {
			t.Fatal(err)
		}
		return n, largest
	}
	// raw: 2 full chunks and a rest; parts: 1, 1+1, 1, 1+1.
	n, largest := chunks()
	if largest != chunkSize || n != 3+6 {
		t.Errorf("%d chunks, the largest %d bytes; want 9, none over %d", n, largest, chunkSize)
	}
	// The same attachment with another message: stored once.
	in2 := inbound(c, 2, "raw-2", "b@x", "jonas@example.lt", "Kitas pasiūlymas")
	in2.Attachments = []NewAttachment{{Filename: "kopija.jpg", ContentType: "image/jpeg", Data: whole}}
	if _, err := db.Ingest(ctx, in2); err != nil {
		t.Fatal(err)
	}
	if n2, _ := chunks(); n2 != n+1 { // only raw-2's one chunk is new
		t.Errorf("%d chunks after storing known content again, want %d", n2, n+1)
	}
}
