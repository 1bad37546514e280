package cputime

import (
	"runtime"
	"testing"
)

func TestProcessAdvances(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" {
		t.Skip("no CPU time on " + runtime.GOOS)
	}
	before := Process()
	x := 0
	for i := 0; Process()-before <= 0 && i < 1e9; i++ {
		x += i
	}
	if got := Process(); got <= before {
		t.Errorf("Process() = %v after busy work, want more than %v (%d)", got, before, x)
	}
}
