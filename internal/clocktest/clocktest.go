// Package clocktest is the injectable clock tests move by hand (STYLE.md:
// inject `Now func() time.Time`): the form's token ages and rate limits and
// the sender's retries and schedules are tested on it rather than on the
// wall clock.
package clocktest

import (
	"sync"
	"testing"
	"time"
)

// Clock is a clock that moves only when told; safe for concurrent use, as
// the code under test reads it from its own goroutines.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock that reads now until it is moved.
func New(now time.Time) *Clock {
	return &Clock{now: now}
}

// Now returns the clock's time; pass c.Now where a Now func is injected.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// At parses the RFC 3339 time s, failing t if it does not parse: a time
// written in a test as the reader reads it ("2026-11-20T10:00:00+02:00").
func At(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
