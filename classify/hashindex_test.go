package classify

import "testing"

func TestHashIndex(t *testing.T) {
	x := newHashIndex(1)
	const n = 50000 // several doublings
	hash := func(i uint64) uint64 { return i * 0x9e3779b97f4a7c15 }
	for i := uint64(0); i < n; i++ {
		h := hash(i)
		row, added := x.intern(h)
		if !added || row != int32(i) {
			t.Fatalf("intern(%d) = %d, %v; want %d, true", i, row, added, i)
		}
	}
	tests := []struct {
		name string
		h    uint64
		want int32
	}{
		{"first", 0, 0},
		{"middle", hash(12345), 12345},
		{"last", hash(n - 1), n - 1},
		{"absent", 7, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := x.get(tt.h); got != tt.want {
				t.Errorf("get = %d, want %d", got, tt.want)
			}
			if tt.want >= 0 {
				if row, added := x.intern(tt.h); added || row != tt.want {
					t.Errorf("intern again = %d, %v; want %d, false", row, added, tt.want)
				}
			}
		})
	}
}
