//go:build race

package classify

// raceEnabled: the race detector slows training ~10×; the figure-printing
// tests skip under it (they check no concurrency of their own).
const raceEnabled = true
