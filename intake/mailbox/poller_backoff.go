package mailbox

import (
	"math/rand/v2"
	"time"
)

// backoff computes waits between reconnects: exponential with jitter, reset
// after a good sync. Refused credentials get their own, much longer curve:
// retrying a wrong password every few seconds gets a Gmail account locked.
type backoff struct {
	min, max         time.Duration // transient failures
	authMin, authMax time.Duration // refused credentials
	n, authN         int           // failures since the last good sync
}

// defaultBackoff is 1 s → 5 min for transient failures, 5 min → 1 h for
// refused credentials.
func defaultBackoff() backoff {
	return backoff{min: time.Second, max: 5 * time.Minute, authMin: 5 * time.Minute, authMax: time.Hour}
}

// next returns how long to wait after one more failure.
func (b *backoff) next(auth bool) time.Duration {
	d, limit, n := b.min, b.max, &b.n
	if auth {
		d, limit, n = b.authMin, b.authMax, &b.authN
	}
	for i := 0; i < *n && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	*n++
	// "Equal jitter": half fixed, half random. Pollers restarted together
	// spread out, yet none retries sooner than half the step.
	return d/2 + rand.N(d/2+1)
}

// reset forgets past failures.
func (b *backoff) reset() { b.n, b.authN = 0, 0 }
