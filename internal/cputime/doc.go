// Package cputime reads the CPU time this process has used, for the
// benchmarks that report throughput per CPU second besides wall time:
// the CI and development machines are shared, so wall time there
// measures the neighbours too.
package cputime
