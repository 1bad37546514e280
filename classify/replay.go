package classify

import (
	"fmt"
	"io"
	"strings"
)

// ReplayStep is the state of a model after it had learned the first
// Learned staff decisions of a consultation, in order.
type ReplayStep struct {
	Learned int
	// Arrived is the accuracy on the decisions learned in this step, each
	// classified just before it was learned: what staff saw in that
	// stretch of the consultation (0 at step 0).
	Arrived float64
	// Remaining is the accuracy on the decisions not learned yet: how the
	// model now does on the rest of the consultation's mail (0 when none
	// remain).
	Remaining float64
	// Learnt is the accuracy on the decisions learned so far: whether the
	// model keeps what staff told it.
	Learnt float64
	// Holdout is the accuracy on the holdout examples (0 without them).
	Holdout float64
}

// ReplayReport shows how a model improved while it learned a
// consultation's staff decisions (see Replay).
type ReplayReport struct {
	Decisions int
	Holdout   int
	Steps     []ReplayStep
}

// Replay plays a consultation's staff decisions (corrections and
// confirmations, in the order they were taken) into a copy of base the way
// Classifier.Learn does, and reports the accuracies every `every`
// decisions, from before the first to after the last. holdout (may be
// nil) is scored at each step too. base itself is not changed.
func Replay(base *Model, decisions []Example, every int, holdout []Example) (ReplayReport, error) {
	every = max(every, 1)
	ys := make([]int, len(decisions))
	for i, e := range decisions {
		y, err := base.labelIndex(e.Label)
		if err != nil {
			return ReplayReport{}, fmt.Errorf("replay: decision %d (id %q): %w", i+1, e.ID, err)
		}
		ys[i] = y
	}
	ad := newAdapter(len(base.labels))
	acc := func(exs []Example) float64 {
		if len(exs) == 0 {
			return 0
		}
		ok := 0
		for _, e := range exs {
			if r, _ := base.classifyWith(e.Text, ad, false); r.Label == strings.TrimSpace(e.Label) {
				ok++
			}
		}
		return float64(ok) / float64(len(exs))
	}
	rep := ReplayReport{Decisions: len(decisions), Holdout: len(holdout)}
	rep.Steps = append(rep.Steps, ReplayStep{Remaining: acc(decisions), Holdout: acc(holdout)})
	for start := 0; start < len(decisions); start += every {
		end := min(start+every, len(decisions))
		ok := 0
		for i := start; i < end; i++ {
			if r, _ := base.classifyWith(decisions[i].Text, ad, false); r.Label == base.labels[ys[i]] {
				ok++
			}
			ad.learn(base, decisions[i].Text, ys[i], true)
		}
		rep.Steps = append(rep.Steps, ReplayStep{
			Learned:   end,
			Arrived:   float64(ok) / float64(end-start),
			Remaining: acc(decisions[end:]),
			Learnt:    acc(decisions[:end]),
			Holdout:   acc(holdout),
		})
	}
	return rep, nil
}

// WriteText writes the replay as a table for people.
func (r ReplayReport) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "replay of %d staff decisions", r.Decisions)
	if r.Holdout > 0 {
		fmt.Fprintf(&b, ", holdout of %d", r.Holdout)
	}
	fmt.Fprintf(&b, "\n%8s %8s %10s %8s", "learned", "arrived", "remaining", "learnt")
	if r.Holdout > 0 {
		fmt.Fprintf(&b, " %8s", "holdout")
	}
	b.WriteByte('\n')
	for _, s := range r.Steps {
		cell := func(v float64, show bool) string {
			if !show {
				return "-"
			}
			return fmt.Sprintf("%.3f", v)
		}
		fmt.Fprintf(&b, "%8d %8s %10s %8s", s.Learned, cell(s.Arrived, s.Learned > 0),
			cell(s.Remaining, s.Learned < r.Decisions), cell(s.Learnt, s.Learned > 0))
		if r.Holdout > 0 {
			fmt.Fprintf(&b, " %8.3f", s.Holdout)
		}
		b.WriteByte('\n')
	}
	b.WriteString("arrived: each decision classified just before it was learned; remaining: decisions not learned yet\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write replay: %w", err)
	}
	return nil
}
