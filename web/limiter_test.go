package web

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	l := NewLimiter(6, clock) // one token per 10 minutes
	for i := range 6 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("post %d: refused, want allowed (burst 6)", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != 10*time.Minute {
		t.Fatalf("7th: got ok=%v wait=%v, want refused for 10m", ok, wait)
	}
	now = now.Add(5 * time.Minute)
	if ok, wait := l.Allow("a"); ok || wait != 5*time.Minute {
		t.Fatalf("after 5m: got ok=%v wait=%v, want refused for 5m", ok, wait)
	}
	now = now.Add(5 * time.Minute)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatalf("after 10m: refused, want allowed")
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatalf("another key: refused, want allowed")
	}
	now = now.Add(2 * time.Hour)
	l.Allow("c")
	l.mu.Lock()
	n := len(l.buckets)
	l.mu.Unlock()
	if n != 1 {
		t.Errorf("after a sweep: got %d buckets, want 1 (refilled ones forgotten)", n)
	}
}

// memBuckets is a BucketStore in memory.
type memBuckets struct {
	mu sync.Mutex
	m  map[string]Bucket
}

func (s *memBuckets) LoadBucket(_ context.Context, key string) (Bucket, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[key]
	return b, ok, nil
}

func (s *memBuckets) SaveBucket(_ context.Context, key string, b Bucket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = b
	return nil
}

// TestLimiterCheckAndStore: Check never spends; what Take spent survives
// a restart through the store (it reset before).
func TestLimiterCheckAndStore(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	store := &memBuckets{m: map[string]Bucket{}}
	l := NewLimiter(3, clock).WithStore(store)
	for range 10 {
		if ok, _ := l.Check("nat"); !ok {
			t.Fatal("Check refused: it must not spend")
		}
	}
	for i := range 3 {
		if ok, _ := l.Take("nat"); !ok {
			t.Fatalf("take %d refused", i+1)
		}
	}
	if ok, _ := l.Check("nat"); ok {
		t.Fatal("Check allowed after the budget was spent")
	}
	restarted := NewLimiter(3, clock).WithStore(store)
	if ok, wait := restarted.Check("nat"); ok || wait != 20*time.Minute {
		t.Errorf("after a restart: ok=%v wait=%v, want refused for 20m", ok, wait)
	}
	if ok, _ := restarted.Check("other"); !ok {
		t.Errorf("another client refused after a restart")
	}
}
