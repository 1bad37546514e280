package similar

import (
	"fmt"
	"testing"
)

// TestTuneThemes compares settings of the theme grouping on the tuning
// half (VVGINTAKE_SIMILAR_TUNE=1, -v).
func TestTuneThemes(t *testing.T) {
	tuning(t)
	set := loadSet(t, "tune")
	truth := truthThemes(set)
	lm := labelledMeasures(set)
	cm := classifiedMeasures(t, set)
	for _, ms := range []struct {
		name string
		m    []string
	}{{"labelled measure", lm}, {"classified measure", cm}} {
		fmt.Printf("== %s\n", ms.name)
		d := distinct(set)
		both := func(pred []string) string {
			return fmt.Sprintf("%.3f / %.3f", ari(truth, pred), ari(pick(truth, d), pick(pred, d)))
		}
		fmt.Printf("ARI all / distinct letters\n")
		fmt.Printf("baseline measure only      %s\n", both(measureOnly(ms.m)))
		fmt.Printf("baseline + common keyword  %s\n", both(keywordBaseline(t, set, ms.m, false)))
		fmt.Printf("baseline + rarest keyword  %s\n", both(keywordBaseline(t, set, ms.m, true)))
		for _, join := range []float64{0.04, 0.06, 0.08, 0.1, 0.12, 0.14} {
			for _, k := range []int{5, 20} {
				opt := Options{Join: join, Neighbours: k}
				inc, _ := groupThemes(set, ms.m, opt, false)
				rec, th := groupThemes(set, ms.m, opt, true)
				fmt.Printf("join %.2f neighbours %2d  incremental %s  reclustered %s  themes %d\n", join, k, both(inc), both(rec), len(th.List("")))
			}
		}
	}
}
