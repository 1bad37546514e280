//go:build unix

package similar

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time of this process. The
// benchmarks report throughput per CPU second besides wall time because
// the CI and development machines are shared: wall time there measures
// the neighbours too.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
