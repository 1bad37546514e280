package classify

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report as a plain-text table for people.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	if r.Err != nil {
		fmt.Fprintf(&b, "error: %v\n", r.Err)
	}
	fmt.Fprintf(&b, "examples %d  accuracy %.3f  macro-F1 %.3f  top-2 %.3f\n", r.N, r.Accuracy, r.MacroF1, r.Top2Accuracy)
	fmt.Fprintf(&b, "review: flagged %.1f%%  errors caught %.1f%%  accuracy of unflagged %.3f\n",
		100*r.ReviewShare, 100*r.ErrorsCaught, r.UnflaggedAccuracy)
	fmt.Fprintf(&b, "secondary: named %.1f%%  close %.1f%%  true label among wrong results %.1f%%\n", 100*r.SecondaryShare, 100*r.CloseShare, 100*r.SecondaryHits)
	fmt.Fprintf(&b, "\ncalibration: expected calibration error %.3f\n", r.ECE)
	fmt.Fprintf(&b, "%-9s %5s %10s %8s  %s\n", "conf", "n", "mean conf", "accuracy", "(# = accuracy, | = mean confidence)")
	for _, bin := range r.Reliability {
		if bin.N == 0 {
			fmt.Fprintf(&b, "%.1f–%.1f %5d\n", bin.Lo, bin.Hi, 0)
			continue
		}
		fmt.Fprintf(&b, "%.1f–%.1f %5d %10.3f %8.3f  %s\n", bin.Lo, bin.Hi, bin.N, bin.Confidence, bin.Accuracy, reliabilityBar(bin))
	}
	fmt.Fprintf(&b, "\n%-8s %9s %6s %6s %7s\n", "label", "precision", "recall", "F1", "support")
	for _, s := range r.PerLabel {
		fmt.Fprintf(&b, "%-8s %9.3f %6.3f %6.3f %7d\n", s.Label, s.Precision, s.Recall, s.F1, s.Support)
	}
	fmt.Fprintf(&b, "\nconfusion (rows: true, columns: predicted)\n%-8s", "")
	for _, l := range r.Labels {
		fmt.Fprintf(&b, " %6s", l)
	}
	b.WriteByte('\n')
	for i, row := range r.Confusion {
		fmt.Fprintf(&b, "%-8s", r.Labels[i])
		for _, n := range row {
			fmt.Fprintf(&b, " %6d", n)
		}
		b.WriteByte('\n')
	}
	if len(r.Misses) > 0 {
		fmt.Fprintf(&b, "\nmisses (id want→got, confidence, flagged)\n")
		for _, m := range r.Misses {
			flag := ""
			if m.Flagged {
				flag = " review"
			}
			sec := ""
			if m.Secondary != "" {
				sec = " (2nd " + m.Secondary + ")"
			}
			fmt.Fprintf(&b, "  %s %s→%s%s %.2f%s\n", m.ID, m.Want, m.Got, sec, m.Confidence, flag)
		}
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// reliabilityBar draws a bin's accuracy as #s out of 20 with a | where its
// mean confidence falls, so a gap between them shows at a glance.
func reliabilityBar(bin ReliabilityBin) string {
	const width = 20
	// width+1 cells: the mean-confidence mark may stand after a full bar.
	bar := []rune(strings.Repeat("#", int(bin.Accuracy*width+0.5)) + strings.Repeat(" ", width+1))[:width+1]
	bar[min(int(bin.Confidence*width+0.5), width)] = '|'
	return strings.TrimRight(string(bar), " ")
}
