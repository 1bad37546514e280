package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// rowScanner is a row to scan: *sql.Row or *sql.Rows. An alias, so that
// the scan functions written for either (scanUser, scanOutbox…) fit
// queryAll as they are.
type rowScanner = interface{ Scan(dest ...any) error }

// streamRows runs query through q, makes a value of every row with scan
// and hands it to fn, in order. It is the Query, rows.Next, Scan,
// rows.Err and Close that every read of many rows needs; the SQL and the
// scan stay in the method that reads the row. what names the read in its
// errors ("list users: …") when the query, a row or the reading of the
// rows fails; fn's own errors come back as they are. The rows are closed
// when it returns, so a transaction may write what it read right after.
func streamRows[T any](ctx context.Context, q queryer, what string, scan func(rowScanner) (T, error), fn func(T) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// queryAll is streamRows for the common case: the rows' values
// collected in order.
func queryAll[T any](ctx context.Context, q queryer, what string, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := streamRows(ctx, q, what, scan, func(v T) error {
		out = append(out, v)
		return nil
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachRow runs query through q and hands every row to fn, which scans
// it and keeps what it needs where it needs it (a record, a name, an
// address seen): the reads that make more than one value of a row. what
// names the read in its errors, fn's included.
func eachRow(ctx context.Context, q queryer, what string, fn func(rowScanner) error, query string, args ...any) error {
	return streamRows(ctx, q, what, func(r rowScanner) (struct{}, error) {
		return struct{}{}, fn(r)
	}, func(struct{}) error { return nil }, query, args...)
}

// scanOne scans a row of one column: an id, a reference, an address.
func scanOne[T any](r rowScanner) (T, error) {
	var v T
	err := r.Scan(&v)
	return v, err
}

// queryCounts runs a query of (key, count) rows into a map: the counts
// by disposition, by measure and the like.
func queryCounts(ctx context.Context, q queryer, what, query string, args ...any) (map[string]int, error) {
	type count struct {
		key string
		n   int
	}
	out := map[string]int{}
	err := streamRows(ctx, q, what, func(r rowScanner) (count, error) {
		var c count
		err := r.Scan(&c.key, &c.n)
		return c, err
	}, func(c count) error {
		out[c.key] = c.n
		return nil
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// splitList splits a list column (evidence, keywords, recipients) that
// the ledger stores joined by sep; an empty column is no list, where
// strings.Split would make a list of one empty string.
func splitList(s, sep string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}

// rowErr is the error of a read of one row that failed: no row is
// ErrNotFound under the row's name ("erasure 7: not found"), any other
// failure is wrapped as the verb and the name ("read erasure 7: …").
// The name is format and args.
func rowErr(err error, verb, format string, args ...any) error {
	name := fmt.Sprintf(format, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return fmt.Errorf("%s %s: %w", verb, name, err)
}

// idAndText reads the id and one text column (a status, a withdrawal) of
// the row query finds, inside tx: what a write reads first to check the
// row's state. name is the row in errors (rowErr).
func idAndText(ctx context.Context, tx *txn, name, query string, args ...any) (int64, string, error) {
	var (
		id   int64
		text string
	)
	if err := tx.QueryRowContext(ctx, query, args...).Scan(&id, &text); err != nil {
		return 0, "", rowErr(err, "read", "%s", name)
	}
	return id, text, nil
}

// sqlLimit is a limit where 0 or less means all rows, as SQLite's LIMIT
// takes it: -1 is no limit.
func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}
