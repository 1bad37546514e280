package ledger

import (
	"context"
	"testing"
)

// TestIngestBatch: a batch is recorded all or nothing, each message sees
// the ones before it (a second delivery in the same batch is a duplicate)
// and a rolled back batch leaves its Inbounds fit to be recorded again.
func TestIngestBatch(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	count := func() (msgs, subs int) {
		t.Helper()
		if err := db.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM submissions)`).Scan(&msgs, &subs); err != nil {
			t.Fatal(err)
		}
		return msgs, subs
	}

	a := inbound(c, 1, "raw-a", "<a@x>", "ona@example.lt", "Siūlau dienos centrą")
	again := inbound(c, 2, "raw-a with another Received line", "<a@x>", "ona@example.lt", "Siūlau dienos centrą")
	b := inbound(c, 3, "raw-b", "<b@x>", "jonas@example.lt", "Siūlau dviračių taką")
	bad := inbound(c, 4, "raw-bad", "<bad@x>", "petras@example.lt", "Atsakymas")
	bad.Submission, bad.JoinSubmission = nil, 99999 // no such case: the foreign key fails

	if _, err := db.IngestBatch(ctx, []*Inbound{a, again, b, bad}); err == nil {
		t.Fatal("a batch with a message that cannot be recorded succeeded")
	}
	if m, s := count(); m != 0 || s != 0 {
		t.Fatalf("after the failed batch: %d messages, %d submissions; want none", m, s)
	}
	if again.Submission == nil || again.Reason != "" {
		t.Fatalf("the failed batch changed its input: %+v", again.Message)
	}

	res, err := db.IngestBatch(ctx, []*Inbound{a, again, b})
	if err != nil {
		t.Fatal(err)
	}
	if r := res[0]; r.Existing || r.Duplicate || !r.Acked || r.Ref != "VVG-2026-0001" {
		t.Errorf("first = %+v", r)
	}
	if r := res[1]; !r.Duplicate || r.Acked || r.Ref != "VVG-2026-0001" {
		t.Errorf("second delivery = %+v, want a duplicate joining VVG-2026-0001, not acknowledged", r)
	}
	if r := res[2]; r.Duplicate || !r.Acked || r.Ref != "VVG-2026-0002" {
		t.Errorf("third = %+v", r)
	}
	if m, s := count(); m != 3 || s != 2 {
		t.Fatalf("%d messages, %d submissions; want 3 and 2", m, s)
	}

	res, err = db.IngestBatch(ctx, []*Inbound{a, again, b})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if !r.Existing {
			t.Errorf("batch again, message %d = %+v, want Existing", i, r)
		}
	}
	if m, s := count(); m != 3 || s != 2 {
		t.Fatalf("after the batch again: %d messages, %d submissions; want 3 and 2", m, s)
	}
}
