package ledger

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
)

// A scope is the rows that hold one person's data (or, for a retention
// rule, one consultation's): the cases, the messages and the
// acknowledgements. Erasure (erase.go) scrubs exactly a scope, and
// `person find` lists one, so what staff are shown is what goes.
type scope struct {
	subs, msgs, outbox []int64
}

func (sc *scope) empty() bool { return len(sc.subs) == 0 && len(sc.msgs) == 0 && len(sc.outbox) == 0 }

// add merges o into sc.
func (sc *scope) add(o *scope) {
	sc.subs = union(sc.subs, o.subs)
	sc.msgs = union(sc.msgs, o.msgs)
	sc.outbox = union(sc.outbox, o.outbox)
}

// queryer is what a scope is read through: the reader pool, or the
// write transaction of an erasure.
type queryer interface {
	querier
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// NormAddress is an address as the ledger keeps and compares it: trimmed
// and lower-cased (the pipeline lower-cases senders; RFC 5321 §2.4 lets a
// server tell local parts by case, but no mail provider residents use
// does).
func NormAddress(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }

// addressScope is everything of one address: the suggestions it sent,
// the messages from it (as From or Reply-To) and the cases they opened or
// joined, the parts split off those cases, every message of those cases,
// and the mail to it or about its cases (acknowledgements, decision
// letters). Erased rows are not
// part of it: a second erasure finds nothing.
func addressScope(ctx context.Context, q queryer, addr string) (*scope, error) {
	addr = NormAddress(addr)
	sc := &scope{}
	if addr == "" {
		return sc, nil
	}
	var err error
	if sc.subs, err = queryIDs(ctx, q, `SELECT id FROM submissions
		WHERE sender_email = ? AND sender_email <> '' AND erased_at IS NULL`, addr); err != nil {
		return nil, err
	}
	// The partial indexes need the condition spelt out to be used.
	var cases []int64
	err = eachRow(ctx, q, "find messages of an address", func(r rowScanner) error {
		var id, sub int64
		if err := r.Scan(&id, &sub); err != nil {
			return err
		}
		sc.msgs = append(sc.msgs, id)
		if sub > 0 {
			cases = append(cases, sub)
		}
		return nil
	}, `
		SELECT id, coalesce(submission_id, 0) FROM messages WHERE from_addr = ?1 AND from_addr <> '' AND erased_at IS NULL
		UNION
		SELECT id, coalesce(submission_id, 0) FROM messages WHERE lower(reply_to) = ?1 AND reply_to <> '' AND erased_at IS NULL`, addr)
	if err != nil {
		return nil, err
	}
	sc.subs = union(sc.subs, cases)
	if err := caseScope(ctx, q, sc); err != nil {
		return nil, err
	}
	acks, err := queryIDs(ctx, q, `SELECT id FROM outbox WHERE kind IN ('ack', 'decision') AND recipients = ?`, addr)
	if err != nil {
		return nil, err
	}
	sc.outbox = union(sc.outbox, acks)
	return sc, nil
}

// caseScope completes a scope from its cases: the parts split off them
// (a split copies the sender), the cases' messages (the letter, the
// replies, another delivery of it) and their acknowledgements.
func caseScope(ctx context.Context, q queryer, sc *scope) error {
	if len(sc.subs) == 0 {
		return nil
	}
	parts, err := queryIDs(ctx, q, `SELECT id FROM submissions
		WHERE split_from IN (SELECT value FROM json_each(?)) AND erased_at IS NULL`, jsonIDs(sc.subs))
	if err != nil {
		return err
	}
	sc.subs = union(sc.subs, parts)
	ids := jsonIDs(sc.subs)
	msgs, err := queryIDs(ctx, q, `SELECT id FROM messages
		WHERE submission_id IN (SELECT value FROM json_each(?)) AND erased_at IS NULL`, ids)
	if err != nil {
		return err
	}
	sc.msgs = union(sc.msgs, msgs)
	acks, err := queryIDs(ctx, q, `SELECT id FROM outbox
		WHERE kind IN ('ack', 'decision') AND submission_id IN (SELECT value FROM json_each(?))`, ids)
	if err != nil {
		return err
	}
	sc.outbox = union(sc.outbox, acks)
	return nil
}

// queryIDs runs a query of one integer column.
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	return queryAll(ctx, q, "list rows", scanOne[int64], query, args...)
}

// jsonIDs writes ids as a JSON array, for `IN (SELECT value FROM
// json_each(?))`: one statement text (prepared once) for any number of
// rows, where an IN list of placeholders would be a new statement for
// every length.
func jsonIDs(ids []int64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(']')
	return b.String()
}

// union returns the sorted ids of a and b, each once.
func union(a, b []int64) []int64 {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}
