package main

import (
	"runtime/debug"
	"sync"
	"testing"
	"time"
)

// TestReleasingRestoresCollector: trainings started together each run
// with the collector at 25, and once they are all done the process has
// the setting it had before, whatever order they finished in.
func TestReleasingRestoresCollector(t *testing.T) {
	before := debug.SetGCPercent(137)
	defer debug.SetGCPercent(before)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var during []int
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			releasing(func() {
				// Read the setting by setting it back unchanged.
				p := debug.SetGCPercent(25)
				mu.Lock()
				during = append(during, p)
				mu.Unlock()
				time.Sleep(time.Duration(8-i) * time.Millisecond)
			})
		}()
	}
	wg.Wait()
	for _, p := range during {
		if p != 25 {
			t.Errorf("a training ran with the collector at %d, want 25", p)
		}
	}
	if got := debug.SetGCPercent(before); got != 137 {
		t.Errorf("after the trainings the collector is at %d, want 137 as before", got)
	}
}
