package ledger

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Erasure kinds.
const (
	ErasurePerson    = "person"    // on the person's request (GDPR Art. 17)
	ErasureRetention = "retention" // by a retention rule (Art. 5(1)(e))
)

// Erasure is one erasure, on request or by a retention rule. Its ledger
// part is done when it is created; what may be left is deleting the
// mailbox copies and compacting the file (Complete in package privacy),
// which a crash or an IMAP outage only delays to the next run.
type Erasure struct {
	ID   int64
	Kind string
	// Subject is, for a person, the keyed hash of the address (never the
	// address); for a retention rule, the consultation and the rule.
	Subject     string
	Actor       string
	RequestedAt time.Time
	Summary     string // counts only
	Counts      ErasureCounts
	MailboxAt   time.Time
	CompactedAt time.Time
	FinishedAt  time.Time
	Attempts    int
	LastError   string
	Copies      int // mailbox copies still to delete
}

// Done reports whether nothing is left to do.
func (e *Erasure) Done() bool { return !e.FinishedAt.IsZero() }

// ErasureCopy is a mailbox copy an erasure still has to delete.
type ErasureCopy struct {
	Account     string
	Folder      string // where it was taken in; "" for an imported message
	UIDValidity uint32
	UID         uint32
	MessageID   string // without <>
	SHA256      string // of the raw bytes as taken in
	Size        int64
	Truncated   bool // the ledger kept only the first bytes: compare by size
}

// hashKeyState names the state row holding the key of the address hash.
const hashKeyState = "privacy.hash_key"

// hashKey returns the ledger's key for the keyed hash of addresses,
// created on first use. It lives in the ledger, not the configuration:
// the hash must stay the same for as long as the audit log that holds it
// (a person asking again is told when they were erased), and a key in a
// configuration file is easily changed, shared or checked in. A copy of
// the audit log alone cannot be matched against guessed addresses.
func hashKey(ctx context.Context, tx *txn) ([]byte, error) {
	v, err := randomState(ctx, tx, hashKeyState, 32, "the address key")
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// addressHash is the keyed hash (HMAC-SHA256) of an address.
func addressHash(key []byte, addr string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(NormAddress(addr)))
	return hex.EncodeToString(m.Sum(nil))
}

// EraseAddress erases every record of an address from the ledger in one
// transaction (the cases it sent, its messages and their raw bytes,
// attachments and uploads, the mail sent to it, notes, its full-text
// entries), leaving each case's anonymous tombstone, and records the
// erasure with the mailbox copies still to delete. The audit log gets
// the keyed hash of the address and the counts, never the address.
//
// An unfinished erasure of the same address is continued, and gets
// anything recorded since. With nothing left of the address and no
// erasure unfinished it returns ErrNotFound: a second erasure changes
// nothing (ErasuresOf says when the first was).
//
// extract decodes content a kept attachment of someone else still needs
// from a raw e-mail being erased (intake.WriteContent; see Extractor).
func (db *DB) EraseAddress(ctx context.Context, addr, actor string, extract Extractor) (*Erasure, ErasureCounts, error) {
	addr = NormAddress(addr)
	if addr == "" || !containsAt(addr) {
		return nil, ErasureCounts{}, invalidf("%q is not an e-mail address", addr)
	}
	return db.erasePerson(ctx, addr, actor, extract, func(tx *txn) (*scope, error) {
		return addressScope(ctx, tx, addr)
	}, []string{addr})
}

// EraseCase erases one case whose sender left no address (a suggestion
// taken by phone or on paper, with a name): its sender, text, notes and
// attachments, leaving its tombstone, as EraseAddress does for an
// address. A case with an address is erased with its address, so that
// nothing of the person is left in their other cases.
func (db *DB) EraseCase(ctx context.Context, ref, actor string, extract Extractor) (*Erasure, ErasureCounts, error) {
	id, canon, err := db.lookupRef(ctx, db.r, ref)
	if err != nil {
		return nil, ErasureCounts{}, err
	}
	var addr string
	if err := db.r.QueryRowContext(ctx, `SELECT sender_email FROM submissions WHERE id = ?`, id).Scan(&addr); err != nil {
		return nil, ErasureCounts{}, fmt.Errorf("read submission %s: %w", canon, err)
	}
	if addr != "" {
		return nil, ErasureCounts{}, invalidf("%s was sent from %s: erase the address, so that nothing of the person is left", canon, addr)
	}
	return db.erasePerson(ctx, "case:"+canon, actor, extract, func(tx *txn) (*scope, error) {
		sc := &scope{}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM submissions WHERE id = ? AND erased_at IS NULL`, id).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			sc.subs = []int64{id}
			if err := caseScope(ctx, tx, sc); err != nil {
				return nil, err
			}
		}
		return sc, nil
	}, nil)
}

// erasePerson erases the scope of one person, named by who (an address,
// or "case:REF"), whose keyed hash is the erasure's subject.
func (db *DB) erasePerson(ctx context.Context, who, actor string, extract Extractor, scopeOf func(*txn) (*scope, error),
	addrs []string) (*Erasure, ErasureCounts, error) {
	if actor == "" {
		actor = "system"
	}
	now := db.now()
	var (
		id     int64
		counts ErasureCounts
	)
	err := db.tx(ctx, func(tx *txn) error {
		key, err := hashKey(ctx, tx)
		if err != nil {
			return err
		}
		subject := addressHash(key, who)
		sc, err := scopeOf(tx)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT id FROM erasures WHERE kind = 'person' AND subject = ? AND finished_at IS NULL
			ORDER BY id LIMIT 1`, subject).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("look up erasure: %w", err)
		}
		if sc.empty() {
			if id == 0 {
				return fmt.Errorf("nothing of %s is in the ledger: %w", who, ErrNotFound)
			}
			return nil // only the mailbox or the compaction is left
		}
		if id == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO erasures (kind, subject, actor, requested_at) VALUES ('person', ?, ?, ?)`,
				subject, actor, fmtTime(now))
			if err != nil {
				return fmt.Errorf("record erasure: %w", err)
			}
			id, _ = res.LastInsertId()
		}
		job := scrub{erasure: id, actor: actor, why: "personal data erased on request", person: true, addrs: addrs,
			now: now, extract: extract}
		if counts, err = db.scrubScope(ctx, tx, sc, job); err != nil {
			return err
		}
		return db.recordErasure(ctx, tx, id, counts, "person.erase", "person:"+subject, now)
	})
	if err != nil {
		return nil, counts, err
	}
	e, err := db.ErasureByID(ctx, id)
	return e, counts, err
}

// recordErasure adds counts to an erasure's summary (an erasure
// continued adds what was recorded since), marks the mailbox part done
// when no copies wait, and writes the audit entry.
func (db *DB) recordErasure(ctx context.Context, tx *txn, id int64, counts ErasureCounts, action, target string, now time.Time) error {
	var js string
	if err := tx.QueryRowContext(ctx, `SELECT counts FROM erasures WHERE id = ?`, id).Scan(&js); err != nil {
		return fmt.Errorf("record erasure %d: %w", id, err)
	}
	var total ErasureCounts
	if err := json.Unmarshal([]byte(js), &total); err != nil {
		return fmt.Errorf("record erasure %d: counts %q: %w", id, js, err)
	}
	total.Add(counts)
	b, _ := json.Marshal(total)
	_, err := tx.ExecContext(ctx, `UPDATE erasures SET
		summary = CASE summary WHEN '' THEN ?1 ELSE summary || '; then ' || ?1 END,
		counts = ?4, compacted_at = NULL,
		mailbox_at = CASE WHEN EXISTS (SELECT 1 FROM erasure_copies WHERE erasure_id = ?3) THEN NULL ELSE coalesce(mailbox_at, ?2) END
		WHERE id = ?3`, counts.String(), fmtTime(now), id, string(b))
	if err != nil {
		return fmt.Errorf("record erasure %d: %w", id, err)
	}
	return audit(ctx, tx, now, actorOf(ctx, tx, id), action, target, fmt.Sprintf("erasure #%d: %s", id, counts))
}

// actorOf is who asked for an erasure.
func actorOf(ctx context.Context, tx *txn, id int64) string {
	var a string
	_ = tx.QueryRowContext(ctx, `SELECT actor FROM erasures WHERE id = ?`, id).Scan(&a)
	return a
}

func containsAt(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '@' {
			return i > 0 && i < len(s)-1
		}
	}
	return false
}

const erasureCols = `e.id, e.kind, e.subject, e.actor, e.requested_at, e.summary, e.counts, e.mailbox_at, e.compacted_at, e.finished_at,
	e.attempts, e.last_error, (SELECT count(*) FROM erasure_copies c WHERE c.erasure_id = e.id)`

func scanErasure(row interface{ Scan(...any) error }) (*Erasure, error) {
	var (
		e                            Erasure
		req, counts                  string
		mailbox, compacted, finished sql.NullString
	)
	if err := row.Scan(&e.ID, &e.Kind, &e.Subject, &e.Actor, &req, &e.Summary, &counts, &mailbox, &compacted, &finished,
		&e.Attempts, &e.LastError, &e.Copies); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(counts), &e.Counts); err != nil {
		return nil, fmt.Errorf("erasure %d: counts %q: %w", e.ID, counts, err)
	}
	var ts times
	e.RequestedAt, e.MailboxAt = ts.at(req), ts.maybe(mailbox)
	e.CompactedAt, e.FinishedAt = ts.maybe(compacted), ts.maybe(finished)
	if ts.err != nil {
		return nil, ts.err
	}
	return &e, nil
}

// ErasureByID returns one erasure.
func (db *DB) ErasureByID(ctx context.Context, id int64) (*Erasure, error) {
	e, err := scanErasure(db.r.QueryRowContext(ctx, `SELECT `+erasureCols+` FROM erasures e WHERE e.id = ?`, id))
	if err != nil {
		return nil, rowErr(err, "read", "erasure %d", id)
	}
	return e, nil
}

// Erasures lists erasures, newest first; open only lists the unfinished.
func (db *DB) Erasures(ctx context.Context, open bool, limit int) ([]*Erasure, error) {
	q := `SELECT ` + erasureCols + ` FROM erasures e ORDER BY e.id DESC LIMIT ?`
	if open {
		q = `SELECT ` + erasureCols + ` FROM erasures e WHERE e.finished_at IS NULL ORDER BY e.id LIMIT ?`
	}
	return db.listErasures(ctx, q, sqlLimit(limit))
}

// ErasuresOf lists the erasures of an address, newest first (none when no
// erasure was ever made: the key does not exist yet).
func (db *DB) ErasuresOf(ctx context.Context, addr string) ([]Erasure, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `SELECT value FROM state WHERE key = ?`, hashKeyState).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the address key: %w", err)
	}
	key, err := hex.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("read the address key: %w", err)
	}
	es, err := db.listErasures(ctx, `SELECT `+erasureCols+` FROM erasures e WHERE e.kind = 'person' AND e.subject = ?
		ORDER BY e.id DESC`, addressHash(key, addr))
	var out []Erasure
	for _, e := range es {
		out = append(out, *e)
	}
	return out, err
}

func (db *DB) listErasures(ctx context.Context, q string, args ...any) ([]*Erasure, error) {
	return queryAll(ctx, db.r, "list erasures", scanErasure, q, args...)
}

// ErasureCopies lists the mailbox copies an erasure still has to delete.
func (db *DB) ErasureCopies(ctx context.Context, id int64) ([]ErasureCopy, error) {
	return queryAll(ctx, db.r, fmt.Sprintf("list mailbox copies of erasure %d", id), func(r rowScanner) (ErasureCopy, error) {
		var c ErasureCopy
		err := r.Scan(&c.Account, &c.Folder, &c.UIDValidity, &c.UID, &c.MessageID, &c.SHA256, &c.Size, &c.Truncated)
		return c, err
	}, `SELECT account, folder, uidvalidity, uid, message_id, raw_sha256, size, truncated
		FROM erasure_copies WHERE erasure_id = ? ORDER BY rowid`, id)
}

// CopiesDeleted records that an erasure's mailbox copies are gone (deleted,
// or found gone already): their list goes too.
func (db *DB) CopiesDeleted(ctx context.Context, id int64, detail string) error {
	now := db.now()
	return db.tx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM erasure_copies WHERE erasure_id = ?`, id); err != nil {
			return fmt.Errorf("erasure %d: %w", id, err)
		}
		n, err := execCount(ctx, tx, `UPDATE erasures SET mailbox_at = ?, compacted_at = NULL, last_error = '' WHERE id = ?`,
			fmtTime(now), id)
		if err != nil {
			return fmt.Errorf("erasure %d: %w", id, err)
		}
		if n == 0 {
			return fmt.Errorf("erasure %d: %w", id, ErrNotFound)
		}
		return audit(ctx, tx, now, "system", "erasure.mailbox", fmt.Sprintf("erasure #%d", id), detail)
	})
}

// ErasureFailed records why a step of an erasure failed (the mailbox was
// unreachable); the next run tries again.
func (db *DB) ErasureFailed(ctx context.Context, id int64, why string) error {
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `UPDATE erasures SET attempts = attempts + 1, last_error = ? WHERE id = ?`, why, id)
		if err != nil {
			return fmt.Errorf("erasure %d: %w", id, err)
		}
		return nil
	})
}

// ErasureCompacted records that the ledger file was compacted after the
// erasure's last change; with its mailbox part done, the erasure is
// finished.
func (db *DB) ErasureCompacted(ctx context.Context, id int64) error {
	now := fmtTime(db.now())
	return db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `UPDATE erasures SET compacted_at = ?1,
			finished_at = CASE WHEN mailbox_at IS NOT NULL THEN ?1 END WHERE id = ?2`, now, id)
		if err != nil {
			return fmt.Errorf("erasure %d: %w", id, err)
		}
		return nil
	})
}
