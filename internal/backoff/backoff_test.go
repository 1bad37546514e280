package backoff

import (
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	const (
		base = 30 * time.Second
		max  = time.Hour
	)
	tests := []struct {
		name   string
		n      int
		jitter float64
		r      float64
		want   time.Duration
	}{
		{"first failure, no jitter drawn", 1, 0.2, 0, 30 * time.Second},
		{"zero treated as first", 0, 0.2, 0, 30 * time.Second},
		{"doubles", 2, 0.2, 0, time.Minute},
		{"doubles again", 4, 0.2, 0, 4 * time.Minute},
		{"most jitter", 1, 0.2, 0.999999, 24 * time.Second},
		{"half jitter", 3, 0.5, 0.5, 90 * time.Second},
		{"capped", 8, 0.2, 0, time.Hour},
		{"capped, many failures", 1000, 0.2, 0, time.Hour},
		{"capped, most jitter", 1000, 0.2, 0.999999, 48 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Delay(tt.n, base, max, tt.jitter, tt.r)
			if d := got - tt.want; d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("Delay(%d, jitter %v, r %v) = %s, want %s", tt.n, tt.jitter, tt.r, got, tt.want)
			}
		})
	}
}
