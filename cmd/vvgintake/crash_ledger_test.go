//go:build linux

package main

import (
	"context"
	"database/sql"
	"net/url"
	"testing"
)

// crashLedger reads the daemon's SQLite ledger directly, read-only, while
// the daemon writes it (WAL lets a reader in without blocking the writer).
// The outbox has no JSON listing, and the quiet condition needs a cheap
// poll; everything else is checked through the CLI's JSON.
type crashLedger struct{ db *sql.DB }

func openCrashLedger(t testing.TB, path string) *crashLedger {
	t.Helper()
	v := url.Values{}
	v.Add("_pragma", "busy_timeout(10000)")
	v.Set("mode", "ro")
	db, err := sql.Open("sqlite", "file:"+path+"?"+v.Encode())
	if err != nil {
		t.Fatalf("open ledger read-only: %v", err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return &crashLedger{db: db}
}

// crashProgress is how far the daemon has got.
type crashProgress struct {
	Messages int // rows in messages
	Unsent   int // outbox items pending or sending
	LastUID  int // INBOX's recorded-up-to UID (marked too, with after_ingest)
}

func (l *crashLedger) progress(ctx context.Context) (crashProgress, error) {
	var p crashProgress
	err := l.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM messages),
		(SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')),
		(SELECT coalesce(max(last_uid), 0) FROM mailboxes WHERE folder = 'INBOX')`).Scan(&p.Messages, &p.Unsent, &p.LastUID)
	return p, err
}

// uids returns the UIDs of the INBOX messages the ledger recorded.
func (l *crashLedger) uids(t testing.TB) map[int]bool {
	t.Helper()
	rows, err := l.db.Query(`SELECT uid FROM messages WHERE folder = 'INBOX' AND uid IS NOT NULL`)
	if err != nil {
		t.Fatalf("read message uids: %v", err)
	}
	defer rows.Close()
	got := map[int]bool{}
	for rows.Next() {
		var uid int
		if err := rows.Scan(&uid); err != nil {
			t.Fatalf("read message uids: %v", err)
		}
		got[uid] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read message uids: %v", err)
	}
	return got
}

// crashOutboxItem is one outbox row as the checks need it.
type crashOutboxItem struct {
	ID           int64
	Kind         string
	SubmissionID int64
	Recipients   string
	MessageID    string
	Status       string
	InDoubt      bool
	Attempts     int
	LastError    string
}

func (l *crashLedger) outbox(t testing.TB) []crashOutboxItem {
	t.Helper()
	rows, err := l.db.Query(`SELECT id, kind, coalesce(submission_id, 0), recipients, message_id, status, in_doubt,
		attempts, last_error FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	defer rows.Close()
	var out []crashOutboxItem
	for rows.Next() {
		var it crashOutboxItem
		if err := rows.Scan(&it.ID, &it.Kind, &it.SubmissionID, &it.Recipients, &it.MessageID, &it.Status,
			&it.InDoubt, &it.Attempts, &it.LastError); err != nil {
			t.Fatalf("read outbox: %v", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	return out
}

// uidCounts returns how many message rows there are and how many distinct
// (uidvalidity, uid) pairs they carry.
func (l *crashLedger) uidCounts(t testing.TB) (rows, distinct int) {
	t.Helper()
	err := l.db.QueryRow(`SELECT count(*), count(DISTINCT uidvalidity || ':' || uid) FROM messages`).Scan(&rows, &distinct)
	if err != nil {
		t.Fatalf("count message uids: %v", err)
	}
	return rows, distinct
}
