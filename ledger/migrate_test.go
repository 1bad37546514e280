package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

// TestUpgradeFromV1 builds a ledger as schema version 1 wrote it, with
// messages, attachments and a submission in it, and opens it with this
// program: every migration must keep every row and every reference intact.
func TestUpgradeFromV1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	opt := Options{RefPrefix: "VVG", ResponseDays: 20, MessageIDDomain: "vvg.test"}

	old, err := open(ctx, path, opt, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := old.Version(ctx); v != 1 {
		t.Fatalf("old ledger at version %d, want 1", v)
	}
	c := v1Consultation(t, old, "s")
	first := v1Ingest(t, old, inbound(c, 1, "raw-1", "a@x", "ona@example.lt", "Siūlau dienos centrą"))
	second := v1Ingest(t, old, inbound(c, 2, "raw-2", "b@x", "jonas@example.lt", "Siūlau dviračių taką"))
	// A reference from messages to messages, which the rebuild of messages
	// in version 5 must carry over.
	if _, err := old.w.ExecContext(ctx, `UPDATE messages SET duplicate_of = ? WHERE id = ?`, first, second); err != nil {
		t.Fatal(err)
	}
	// A decision as version 1 recorded it: columns and an audit row.
	if _, err := old.w.ExecContext(ctx, `UPDATE submissions SET decision = 'accepted', decision_reason = 'Gera mintis',
		decided_at = '2026-12-20T10:00:00.000000Z', status = 'decided' WHERE ref = 'VVG-2026-0001'`); err != nil {
		t.Fatal(err)
	}
	if _, err := old.w.ExecContext(ctx, `INSERT INTO audit (at, actor, action, target, detail)
		VALUES ('2026-12-20T10:00:00.000000Z', 'ona', 'submission.decide', 'VVG-2026-0001', 'accepted: Gera mintis')`); err != nil {
		t.Fatal(err)
	}
	// A consultation whose closing report went out, as versions before
	// the outcome marked it, with the report in the outbox.
	done := v1Consultation(t, old, "baigta")
	if _, err := old.w.ExecContext(ctx, `UPDATE consultations SET status = 'reported', closed_at = '2026-12-14T00:00:00.000000Z',
		reported_at = '2026-12-14T00:01:00.000000Z' WHERE id = ?`, done.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := old.w.ExecContext(ctx, `INSERT INTO outbox (kind, dedupe_key, consultation_id, recipients, message_id,
		status, next_attempt_at, created_at, sent_at) VALUES ('report', 'report:baigta', ?, 'staff@example.lt', 'r1@vvg.test',
		'sent', '2026-12-14T00:00:00.000000Z', '2026-12-14T00:00:00.000000Z', '2026-12-14T00:01:00.000000Z')`, done.ID); err != nil {
		t.Fatal(err)
	}
	old.Close()

	db, err := Open(ctx, path, opt)
	if err != nil {
		t.Fatalf("open v1 ledger: %v", err)
	}
	defer db.Close()
	if v, _ := db.Version(ctx); v != SchemaVersion() {
		t.Fatalf("upgraded ledger at version %d, want %d", v, SchemaVersion())
	}

	var ddl string
	if err := db.r.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE name = 'blobs'`).Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToUpper(ddl), "WITHOUT ROWID") {
		t.Errorf("blobs still WITHOUT ROWID after upgrade: %s", ddl)
	}
	if err := db.r.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE name = 'messages'`).Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ddl, "blobs") {
		t.Errorf("messages still references blobs after upgrade: %s", ddl)
	}
	var dup int64
	if err := db.r.QueryRowContext(ctx, `SELECT duplicate_of FROM messages WHERE id = ?`, second).Scan(&dup); err != nil || dup != first {
		t.Errorf("duplicate_of after upgrade = %d, %v; want %d", dup, err, first)
	}
	var problems int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check`).Scan(&problems); err != nil {
		t.Fatal(err)
	}
	if problems != 0 {
		t.Errorf("%d foreign-key violations after upgrade", problems)
	}
	if got, err := db.Consultation(ctx, "baigta"); err != nil || got.Status != StatusClosed ||
		got.ReportedAt.IsZero() || got.ClosedAt.IsZero() {
		t.Errorf("reported consultation after upgrade = %+v, %v; want closed, its report stamped", got, err)
	}
	if it, err := db.OutboxByMessageID(ctx, "r1@vvg.test"); err != nil || it.Kind != KindReport || it.Status != OutboxSent ||
		it.ConsultationID != done.ID {
		t.Errorf("closing report after upgrade = %+v, %v", it, err)
	}
	var check string
	if err := db.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}

	m, err := db.MessageByID(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := db.blob(ctx, m.RawSHA256)
	if err != nil || string(raw) != "raw-1" {
		t.Errorf("raw message after upgrade = %q, %v", raw, err)
	}
	atts, err := db.MessageAttachments(ctx, first)
	if err != nil || len(atts) != 1 {
		t.Fatalf("attachments after upgrade = %v, %v", atts, err)
	}
	if data, err := db.blob(ctx, atts[0].SHA256); err != nil || string(data) != "%PDF-1.4" {
		t.Errorf("attachment after upgrade = %q, %v", data, err)
	}
	if s, err := db.Submission(ctx, "VVG-2026-0002"); err != nil || s.SenderEmail != "jonas@example.lt" {
		t.Errorf("submission after upgrade = %+v, %v", s, err)
	}
	s, err := db.Submission(ctx, "VVG-2026-0001")
	if err != nil || len(s.Decisions) != 1 || s.Decisions[0].Decision != "accepted" || s.Decisions[0].Actor != "ona" ||
		s.Decisions[0].Reason != "Gera mintis" {
		t.Errorf("decision history after upgrade = %+v, %v; want the decision ona made", s.Decisions, err)
	}

	// The upgraded ledger keeps working: the same message is still known,
	// a new one gets the next number.
	again, err := db.Ingest(ctx, inbound(c, 1, "raw-1", "a@x", "ona@example.lt", "Siūlau dienos centrą"))
	if err != nil || !again.Existing {
		t.Errorf("re-ingest after upgrade = %+v, %v", again, err)
	}
	next, err := db.Ingest(ctx, inbound(c, 3, "raw-3", "c@x", "rasa@example.lt", "Siūlau suoliukų parke"))
	if err != nil || next.Ref != "VVG-2026-0003" {
		t.Fatalf("new ingest after upgrade = %+v, %v", next, err)
	}
	if m, err := db.MessageByID(ctx, next.MessageRow); err != nil {
		t.Error(err)
	} else if raw, err := db.blob(ctx, m.RawSHA256); err != nil || string(raw) != "raw-3" {
		t.Errorf("raw message recorded after upgrade = %q, %v", raw, err)
	}
}

// v1Consultation creates an open consultation with version 1's columns.
func v1Consultation(t *testing.T, db *DB, slug string) *Consultation {
	t.Helper()
	c := &Consultation{Slug: slug, Title: "Strategijos keitimas", Status: StatusOpen,
		OpensAt: clocktest.At(t, "2026-11-01T00:00:00+02:00"), ClosesAt: clocktest.At(t, "2026-12-14T00:00:00+02:00")}
	now := fmtTime(time.Now())
	r, err := db.w.ExecContext(context.Background(), `INSERT INTO consultations (slug, title, status, opens_at, closes_at,
		response_due, created_at, updated_at) VALUES (?, ?, 'open', ?, ?, '2027-01-12', ?, ?)`,
		slug, c.Title, fmtTime(c.OpensAt), fmtTime(c.ClosesAt), now, now)
	if err != nil {
		t.Fatal(err)
	}
	c.ID, _ = r.LastInsertId()
	return c
}

// v1Ingest records a message the way a schema version 1 program did:
// content inline in blobs.data, the submission with version 1's columns.
// It returns the message row.
func v1Ingest(t *testing.T, db *DB, in *Inbound) int64 {
	t.Helper()
	ctx := context.Background()
	ns := in.Submission
	var id int64
	err := db.tx(ctx, func(tx *txn) error {
		ref, err := db.nextRef(ctx, tx, db.now())
		if err != nil {
			return err
		}
		r, err := tx.Tx.ExecContext(ctx, `INSERT INTO submissions (ref, consultation_id, source, received_at,
			sender_email, text, response_due, created_at) VALUES (?, ?, ?, ?, ?, ?, '2027-01-31', ?)`,
			ref, ns.ConsultationID, ns.Source, fmtTime(ns.ReceivedAt), ns.SenderEmail, ns.Text, fmtTime(db.now()))
		if err != nil {
			return err
		}
		subID, _ := r.LastInsertId()
		sub := struct{ ID int64 }{subID}
		blob := func(b []byte) string {
			sum := sha256.Sum256(b)
			h := hex.EncodeToString(sum[:])
			if _, err := tx.Tx.ExecContext(ctx, `INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, h, len(b), b); err != nil {
				t.Fatal(err)
			}
			return h
		}
		m := in.Message
		r, err = tx.Tx.ExecContext(ctx, `INSERT INTO messages (source, account, folder, uidvalidity, uid,
			internal_date, size, raw_sha256, content_key, message_id, from_addr, text, disposition, route,
			consultation_id, submission_id, ack, created_at)
			VALUES ('imap', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
			m.Account, m.Folder, m.UIDValidity, m.UID, fmtTime(m.InternalDate), len(in.Raw), blob(in.Raw),
			in.ContentKey, m.MessageID, m.FromAddr, m.Text, m.Disposition, m.Route, m.ConsultationID, sub.ID,
			fmtTime(m.InternalDate))
		if err != nil {
			return err
		}
		id, _ = r.LastInsertId()
		for _, a := range in.Attachments {
			if _, err := tx.Tx.ExecContext(ctx, `INSERT INTO attachments (message_id, submission_id, filename,
				content_type, size, sha256) VALUES (?, ?, ?, ?, ?, ?)`,
				id, sub.ID, a.Filename, a.ContentType, len(a.Data), blob(a.Data)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestStatementCache: the statements of a write transaction are prepared
// once, after it, and later transactions run the prepared ones.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	for i := range 3 {
		raw := fmt.Sprintf("raw-%d", i)
		mustIngest(t, db, inbound(c, uint32(i+1), raw, raw, "ona@example.lt", raw))
	}
	db.stmts.mu.RLock()
	n := len(db.stmts.m)
	var insert bool
	for q := range db.stmts.m {
		insert = insert || strings.Contains(q, "INSERT INTO messages")
	}
	db.stmts.mu.RUnlock()
	if n == 0 || !insert {
		t.Fatalf("%d statements cached, message insert among them: %v", n, insert)
	}
	if s, err := db.Submission(ctx, "VVG-2026-0003"); err != nil || s.Text != "raw-2" {
		t.Fatalf("third submission = %+v, %v", s, err)
	}
}

// TestStatementCacheConcurrent: writers queue for the one connection while
// the statements of earlier transactions are being prepared on it. (A
// cache that held its lock while preparing deadlocked here.)
func TestStatementCacheConcurrent(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				raw := fmt.Sprintf("raw-%d-%d", g, i)
				if _, err := db.Ingest(ctx, inbound(c, uint32(g*100+i+1), raw, raw, "ona@example.lt", raw)); err != nil {
					errs <- err
					return
				}
				if err := db.SetMailboxState(ctx, "a", fmt.Sprint(g), MailboxState{UIDValidity: 1, LastUID: uint32(i)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("writers stuck: deadlock between the statement cache and the writer connection")
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	n := 0
	if err := db.Submissions(ctx, Filter{Consultation: "s"}, func(*Submission) error { n++; return nil }); err != nil || n != 100 {
		t.Fatalf("%d submissions, %v; want 100", n, err)
	}
}
