package web

import (
	"context"
	"math"
	"sync"
	"time"
)

// limiterMax bounds the number of clients tracked. Past it, clients
// whose buckets are full again are forgotten; if none are, the new client
// shares one overflow bucket, so a flood from many addresses slows itself
// rather than growing memory.
const limiterMax = 100000

// storeTimeout bounds one call to a BucketStore: a slow ledger must not
// hold a request; the limiter then works from memory.
const storeTimeout = 2 * time.Second

// Limiter is a token bucket per key: perHour requests may come at once (a
// library computer serving a queue of residents), then one more each
// hour/perHour. Check asks without spending, Take spends: a caller spends
// only on what it accepts, so refused requests (a bad token, a form with
// a mistake) never use up the budget a whole library or mobile carrier
// shares behind one address. With a BucketStore (WithStore) the spent
// budget survives a restart. The clock is injected so tests can refill
// it. It is safe for concurrent use.
type Limiter struct {
	burst  float64
	perSec float64
	now    func() time.Time
	store  BucketStore

	mu      sync.Mutex
	buckets map[string]*tokenBucket
	swept   time.Time
}

// Bucket is one client's budget: Tokens left at Last.
type Bucket struct {
	Tokens float64
	Last   time.Time
}

// BucketStore keeps buckets across restarts (the ledger, through the
// form's Store). Load returns ok false for a key it does not hold.
type BucketStore interface {
	LoadBucket(ctx context.Context, key string) (b Bucket, ok bool, err error)
	SaveBucket(ctx context.Context, key string, b Bucket) error
}

// tokenBucket is one client's budget at time last.
type tokenBucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter allowing perHour requests an hour per key.
func NewLimiter(perHour int, now func() time.Time) *Limiter {
	return &Limiter{
		burst:   float64(perHour),
		perSec:  float64(perHour) / 3600,
		now:     now,
		buckets: map[string]*tokenBucket{},
	}
}

// WithStore makes l read a client's bucket from s the first time it sees
// the client, and write it back each time it spends. It returns l.
func (l *Limiter) WithStore(s BucketStore) *Limiter {
	l.store = s
	return l
}

// Allow takes a token for key. When none is left it says how long until
// the next one.
func (l *Limiter) Allow(key string) (ok bool, wait time.Duration) {
	return l.use(key, true)
}

// Check reports whether key has a token left, without taking it, and if
// not, how long until it has.
func (l *Limiter) Check(key string) (ok bool, wait time.Duration) {
	return l.use(key, false)
}

// Take spends a token of key, if it has one; see Allow.
func (l *Limiter) Take(key string) (ok bool, wait time.Duration) {
	return l.use(key, true)
}

func (l *Limiter) use(key string, take bool) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	b, key := l.bucket(key, now)
	if d := now.Sub(b.last); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+d.Seconds()*l.perSec)
		b.last = now
	}
	if b.tokens < 1 {
		secs := (1 - b.tokens) / l.perSec
		l.mu.Unlock()
		return false, time.Duration(math.Ceil(secs)) * time.Second
	}
	if !take {
		l.mu.Unlock()
		return true, 0
	}
	b.tokens--
	saved := Bucket{Tokens: b.tokens, Last: b.last}
	l.mu.Unlock()
	if l.store != nil {
		// Spending is rare (one stored submission); a failed write
		// costs only the memory of it after a restart.
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		_ = l.store.SaveBucket(ctx, key, saved)
		cancel()
	}
	return true, 0
}

// bucket returns key's bucket, loading it from the store or starting it
// full, and the key it is kept under (the overflow bucket's past
// limiterMax). l.mu is held.
func (l *Limiter) bucket(key string, now time.Time) (*tokenBucket, string) {
	// A sweep walks every bucket, so even when full it runs at most once
	// a minute.
	if since := now.Sub(l.swept); since > 10*time.Minute || len(l.buckets) >= limiterMax && since > time.Minute {
		l.sweep(now)
	}
	if b := l.buckets[key]; b != nil {
		return b, key
	}
	if len(l.buckets) >= limiterMax {
		key = "overflow"
		if b := l.buckets[key]; b != nil {
			return b, key
		}
	}
	b := &tokenBucket{tokens: l.burst, last: now}
	if l.store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		if got, ok, err := l.store.LoadBucket(ctx, key); err == nil && ok && !got.Last.After(now) {
			b = &tokenBucket{tokens: math.Min(got.Tokens, l.burst), last: got.Last}
		}
		cancel()
	}
	l.buckets[key] = b
	return b, key
}

// sweep forgets buckets that have refilled: they hold no information.
func (l *Limiter) sweep(now time.Time) {
	l.swept = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, k)
		}
	}
}
