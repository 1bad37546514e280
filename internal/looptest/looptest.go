// Package looptest runs a component's Run loop in a test: started in the
// background, stopped by cancelling its context, and checked to return nil
// soon after, as every loop of the daemon must (STYLE.md: one loop per
// concern with Run(ctx)).
package looptest

import (
	"context"
	"sync"
	"testing"
	"time"
)

// stopWithin is how long a loop may take to return once cancelled.
const stopWithin = 30 * time.Second

// Start runs run in the background. The returned stop (also run at the
// test's cleanup, and safe to call twice) cancels it and reports an error
// if it returns one or takes longer than 30 s.
func Start(t testing.TB, run func(context.Context) error) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run returned %v, want nil after cancel", err)
				}
			case <-time.After(stopWithin):
				t.Errorf("Run did not return %s after cancel", stopWithin)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}
