package web

import (
	"math"
	"sync"
	"time"
)

// limiterMax bounds the number of clients tracked. Past it, clients
// whose buckets are full again are forgotten; if none are, the new client
// shares one overflow bucket, so a flood from many addresses slows itself
// rather than growing memory.
const limiterMax = 100000

// Limiter is a token bucket per key: perHour requests may come at once (a
// library computer serving a queue of residents), then one more each
// hour/perHour. The clock is injected so tests can refill it. It is safe
// for concurrent use.
type Limiter struct {
	burst  float64
	perSec float64
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*tokenBucket
	swept   time.Time
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

// Allow takes a token for key. When none is left it says how long until
// the next one.
func (l *Limiter) Allow(key string) (ok bool, wait time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	// A sweep walks every bucket, so even when full it runs at most once
	// a minute.
	if since := now.Sub(l.swept); since > 10*time.Minute || len(l.buckets) >= limiterMax && since > time.Minute {
		l.sweep(now)
	}
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= limiterMax {
			key = "overflow"
			b = l.buckets[key]
		}
		if b == nil {
			b = &tokenBucket{tokens: l.burst, last: now}
			l.buckets[key] = b
		}
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+d.Seconds()*l.perSec)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	secs := (1 - b.tokens) / l.perSec
	return false, time.Duration(math.Ceil(secs)) * time.Second
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
