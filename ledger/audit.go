package ledger

import (
	"context"
	"fmt"
	"time"
)

// AuditEntry is one recorded staff or system action.
type AuditEntry struct {
	At     time.Time
	Actor  string
	Action string
	Target string
	Detail string
}

func audit(ctx context.Context, tx *txn, at time.Time, actor, action, target, detail string) error {
	if actor == "" {
		actor = "system"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		fmtTime(at), actor, action, target, detail)
	if err != nil {
		return fmt.Errorf("write audit %s %s: %w", action, target, err)
	}
	return nil
}

// Audit lists the audit log, newest first, at most limit entries
// (all when limit <= 0), optionally only for one target.
func (db *DB) Audit(ctx context.Context, target string, limit int) ([]AuditEntry, error) {
	return queryAll(ctx, db.r, "list audit", func(r rowScanner) (AuditEntry, error) {
		var e AuditEntry
		var at string
		err := r.Scan(&at, &e.Actor, &e.Action, &e.Target, &e.Detail)
		if err == nil {
			e.At, err = parseTime(at)
		}
		return e, err
	}, `
		SELECT at, actor, action, target, detail FROM audit
		WHERE ? = '' OR target = ? ORDER BY id DESC LIMIT ?`, target, target, sqlLimit(limit))
}
