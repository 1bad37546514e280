package mailbox

import (
	"math/rand/v2"
	"time"

	"github.com/vvgintake/vvgintake/internal/backoff"
)

// retryWait computes waits between reconnects: exponential with jitter, reset
// after a good sync. Refused credentials get their own, much longer curve:
// retrying a wrong password every few seconds gets a Gmail account locked.
type retryWait struct {
	min, max         time.Duration // transient failures
	authMin, authMax time.Duration // refused credentials
	n, authN         int           // failures since the last good sync
}

// defaultBackoff is 1 s → 5 min for transient failures, 5 min → 1 h for
// refused credentials.
func defaultBackoff() retryWait {
	return retryWait{min: time.Second, max: 5 * time.Minute, authMin: 5 * time.Minute, authMax: time.Hour}
}

// next returns how long to wait after one more failure.
func (b *retryWait) next(auth bool) time.Duration {
	d, limit, n := b.min, b.max, &b.n
	if auth {
		d, limit, n = b.authMin, b.authMax, &b.authN
	}
	*n++
	// "Equal jitter": half fixed, half random. Pollers restarted together
	// spread out, yet none retries sooner than half the step.
	return backoff.Delay(*n, d, limit, 0.5, rand.Float64())
}

// reset forgets past failures.
func (b *retryWait) reset() { b.n, b.authN = 0, 0 }
