package ledger

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

// mustIngest records in, failing the test if the ledger refuses it.
func mustIngest(t testing.TB, db *DB, in *Inbound) *IngestResult {
	t.Helper()
	res, err := db.Ingest(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func inbound(c *Consultation, uid uint32, raw, msgID, from, text string) *Inbound {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	in := &Inbound{
		Message: Message{
			Source: "imap", Account: "vvg@test", Folder: "INBOX", UIDValidity: 7, UID: uid,
			InternalDate: at, Size: int64(len(raw)), MessageID: msgID, FromAddr: from,
			Subject: "Pasiūlymas", HasSubject: true, Text: text, Disposition: "suggestion",
			Route: RouteRouted, ConsultationID: c.ID,
		},
		Raw:         []byte(raw),
		Attachments: []NewAttachment{{Filename: "planas.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4")}},
		Submission: &NewSubmission{ConsultationID: c.ID, Source: SourceEmail, ReceivedAt: at,
			SenderEmail: from, Text: text, Ack: &AckRequest{To: from, MaxPerDay: 2}},
	}
	in.ContentKey = ContentKey(msgID, from, time.Time{}, "Pasiūlymas", text, nil)
	return in
}

func TestIngestIdempotent(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")

	first := mustIngest(t, db, inbound(c, 1, "raw-1", "a@x", "ona@example.lt", "Siūlau dienos centrą"))
	if first.Existing || first.Ref != "VVG-2026-0001" || !first.Acked || first.Disposition != "suggestion" {
		t.Fatalf("first ingest = %+v", first)
	}
	tests := []struct {
		name     string
		in       *Inbound
		existing bool
		dup      bool
		ref      string
		acked    bool
	}{
		{"same uid again", inbound(c, 1, "raw-1", "a@x", "ona@example.lt", "Siūlau dienos centrą"), true, false, "VVG-2026-0001", true},
		{"same raw under a new uid (uidvalidity change)", func() *Inbound {
			in := inbound(c, 1, "raw-1", "a@x", "ona@example.lt", "Siūlau dienos centrą")
			in.UIDValidity = 8
			return in
		}(), true, false, "VVG-2026-0001", true},
		{"second delivery, other Received lines", inbound(c, 2, "raw-1 via alias", "a@x", "ona@example.lt", "Siūlau dienos centrą"), false, true, "VVG-2026-0001", false},
		{"same Message-ID, different message", inbound(c, 3, "raw-3", "a@x", "ona@example.lt", "Visai kitas pasiūlymas"), false, false, "VVG-2026-0002", true},
		{"third message same day: rate limit, still recorded", inbound(c, 4, "raw-4", "b@x", "ona@example.lt", "Trečias"), false, false, "VVG-2026-0003", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustIngest(t, db, tt.in)
			if got.Existing != tt.existing || got.Duplicate != tt.dup || got.Disposition != "suggestion" || got.Ref != tt.ref || got.Acked != tt.acked {
				t.Errorf("got %+v, want existing=%v duplicate=%v ref=%s acked=%v", got, tt.existing, tt.dup, tt.ref, tt.acked)
			}
		})
	}
	var n int
	db.r.QueryRow(`SELECT count(*) FROM messages`).Scan(&n)
	if n != 4 {
		t.Errorf("messages = %d, want 4", n)
	}
	db.r.QueryRow(`SELECT count(*) FROM message_raw`).Scan(&n)
	if n != 4 { // four raw messages, each under its message
		t.Errorf("raw message rows = %d, want 4", n)
	}
	db.r.QueryRow(`SELECT count(*) FROM blobs`).Scan(&n)
	if n != 1 { // one attachment content stored once
		t.Errorf("blobs = %d, want 1", n)
	}
	s, err := db.Submission(ctx, "VVG-2026-0001")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Attachments) != 1 || s.Attachments[0].SHA256 == "" || s.AckStatus != OutboxPending || s.OriginMessageID != "a@x" {
		t.Errorf("submission = %+v", s)
	}
}

func TestIngestReplyJoinsCase(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	first := mustIngest(t, db, inbound(c, 1, "raw-1", "a@x", "ona@example.lt", "Pasiūlymas"))
	s, _ := db.Submission(ctx, first.Ref)
	reply := inbound(c, 2, "raw-2", "b@x", "ona@example.lt", "Dar priedas")
	reply.Disposition, reply.Submission, reply.JoinSubmission = "reply", nil, s.ID
	got := mustIngest(t, db, reply)
	if got.Ref != first.Ref || got.Acked {
		t.Errorf("reply = %+v, want joined to %s without ack", got, first.Ref)
	}
	s, _ = db.Submission(ctx, first.Ref)
	if len(s.Followups) != 1 || s.Followups[0].Text != "Dar priedas" || len(s.Attachments) != 2 {
		t.Errorf("follow-ups %+v attachments %d", s.Followups, len(s.Attachments))
	}
}

func TestOutboxCrashRecovery(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: clocktest.At(t, "2026-11-20T10:00:00Z")}
	db := openTest(t, clock)
	c := newConsultation(t, db, "s")
	for i := 1; i <= 3; i++ {
		mustIngest(t, db, inbound(c, uint32(i), fmt.Sprint("raw", i), fmt.Sprint(i, "@x"), fmt.Sprint("p", i, "@example.lt"), fmt.Sprint("t", i)))
	}
	it, _, err := db.NextDue(ctx, clock.t)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Claim(ctx, it.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Claim(ctx, it.ID); err == nil {
		t.Error("claim twice: got nil error")
	}
	// The process dies here, after the SMTP server may have accepted it.
	n, err := db.RecoverOutbox(ctx)
	if err != nil || n != 1 {
		t.Fatalf("recover = %d, %v; want 1", n, err)
	}
	again, err := db.OutboxItemByID(ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !again.InDoubt || again.Status != OutboxPending || again.MessageID != it.MessageID {
		t.Errorf("recovered item = %+v", again)
	}
	next := clock.t.Add(time.Minute)
	if err := db.MarkRetry(ctx, again.ID, "421 try later", next); err != nil {
		t.Fatal(err)
	}
	it2, _, err := db.NextDue(ctx, clock.t)
	if err != nil || it2.ID == it.ID {
		t.Fatalf("next due = %+v, %v; want another item", it2, err)
	}
	db.Claim(ctx, it2.ID)
	db.MarkFailed(ctx, it2.ID, "550 no such user")
	if err := db.RetryOutbox(ctx, it2.ID, "ona"); err != nil {
		t.Fatal(err)
	}
	db.Claim(ctx, it2.ID)
	db.MarkSent(ctx, it2.ID)
	if err := db.RetryOutbox(ctx, it2.ID, "ona"); err == nil {
		t.Error("retry a sent item: got nil error")
	}
	st, err := db.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 2 || st.Sent != 1 || st.InDoubt != 1 {
		t.Errorf("stats = %+v", st)
	}
}

func TestDigestWatermark(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	addStaff(t, db, c)
	addStaff(t, db, c)
	end := clocktest.At(t, "2026-11-23T06:00:00Z")
	it, created, err := db.EnqueueDigest(ctx, "2026-11-23", []string{"board@x"}, end)
	if err != nil || !created {
		t.Fatalf("enqueue digest: %v created=%v", err, created)
	}
	if _, created, _ := db.EnqueueDigest(ctx, "2026-11-23", []string{"board@x"}, end); created {
		t.Error("same slot twice: created a second digest")
	}
	addStaff(t, db, c)
	p, err := db.PendingDigest(ctx, end.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	if p.FromID != 2 || p.ToID != 3 {
		t.Errorf("pending digest covers (%d, %d], want (2, 3]; first digest payload %s", p.FromID, p.ToID, it.Payload)
	}
}

// TestFirstDigestPeriod: the first digest covers every submission so far,
// so its period starts at the first one when that is more than a week
// back, not a week before it is sent; later digests start where the last
// one ended.
func TestFirstDigestPeriod(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	end := clocktest.At(t, "2026-11-23T06:00:00Z")
	p, err := db.PendingDigest(ctx, end)
	if err != nil || !p.PeriodStart.Equal(end.AddDate(0, 0, -7)) {
		t.Errorf("no submissions yet: period starts %v, %v; want a week back", p.PeriodStart, err)
	}
	for _, at := range []string{"2026-11-02T09:15:30+02:00", "2026-11-20T10:00:00+02:00"} {
		if _, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceStaff, Text: "x", ReceivedAt: clocktest.At(t, at)}); err != nil {
			t.Fatal(err)
		}
	}
	want := clocktest.At(t, "2026-11-02T07:15:00Z")
	if p, err = db.PendingDigest(ctx, end); err != nil || !p.PeriodStart.Equal(want) {
		t.Errorf("pending first digest starts %v, %v; want %v (the first suggestion)", p.PeriodStart, err, want)
	}
	it, _, err := db.EnqueueDigest(ctx, "2026-11-23", []string{"board@x"}, end)
	if err != nil || !strings.Contains(it.Payload, `"period_start":"2026-11-02T07:15:00Z"`) {
		t.Errorf("queued first digest %v, %v; want it to start at the first suggestion", it, err)
	}
}
