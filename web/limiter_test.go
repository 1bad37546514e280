package web

import (
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
