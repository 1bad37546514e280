// Package backoff is the one rule for waiting after failures, used by the
// mailbox's reconnects and the outbox's retries: exponential, capped, and
// shortened by a random share so that clients that failed together do
// not all come back at once.
package backoff

import "time"

// Delay is the wait after n consecutive failures (n < 1 counts as 1):
// base·2^(n-1), at most max, then shortened by up to jitter of itself,
// r in [0, 1) picking how much (rand.Float64 in production). It is never
// longer than the step it is on, and never shorter than (1-jitter) of it.
func Delay(n int, base, max time.Duration, jitter, r float64) time.Duration {
	if n < 1 {
		n = 1
	}
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return time.Duration(float64(d) * (1 - jitter*r))
}
