package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

func cmdClassify() *command {
	return &command{
		name: "classify", args: "[--strategy NAME] [eval [--replay SLUG] [FILE]]",
		short: "file suggestions under strategy measures (JSON lines in and out)",
		long: `classify [--strategy NAME]
    Reads JSON lines {"id","text"} on stdin and writes one line per input:
    {"id","label","confidence","secondary","secondary_confidence","close","evidence","needs_review"}.
    secondary is the runner-up measure (always named but for empty or unreadable text), with its
    own calibrated probability; close is true when it is a real alternative (at least 0.2).
    The model is trained from the strategy's measures and examples: the top-level [[measures]]
    with classify.examples, or with --strategy NAME that [[strategies]] entry's. A line that is
    not valid JSON is reported on stderr with its line number and skipped (exit code 1 at the end).
classify [--strategy NAME] eval FILE
    Evaluates on a labelled file (JSON lines {"id","text","label"}, every label a measure of the
    strategy): accuracy, macro-F1, top-2 accuracy, per-label precision/recall, the confusion
    matrix, the review queue (errors caught, share flagged, accuracy of the rest) and the
    calibration (a reliability diagram and the expected calibration error).
classify eval --replay SLUG [FILE]
    Replays the staff's decisions on consultation SLUG's suggestions (corrections and
    confirmations, in the order they were taken) into the model of the consultation's strategy
    trained without them, and shows how it improved: accuracy on each decision as it arrived, on
    those still to come, and on FILE's labelled examples when given.`,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := flag.NewFlagSet("classify", flag.ContinueOnError)
			name := fs.String("strategy", "", "the [[strategies]] entry whose measures and model to use")
			replay := fs.String("replay", "", "replay the staff decisions of this consultation (eval)")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			switch {
			case len(pos) > 0 && pos[0] != "eval":
				return usagef("classify takes no arguments, or eval [--replay SLUG] [FILE]")
			case len(pos) == 0 && *replay != "":
				return usagef("--replay is for classify eval")
			case len(pos) > 2 || len(pos) == 1 && *replay == "":
				return usagef("classify eval needs a FILE, or --replay SLUG")
			}
			var c *ledger.Consultation
			if *replay != "" {
				db, err := e.ledger(ctx)
				if err != nil {
					return err
				}
				if c, err = db.Consultation(ctx, *replay); err != nil {
					return err
				}
			}
			st, err := classifyStrategy(e, *name, c)
			if err != nil {
				return err
			}
			clf, err := newClassifier(e.cfg, st, nil, nil)
			if err != nil {
				return err
			}
			if len(pos) == 0 {
				return classifyStream(e, clf)
			}
			var ex []classify.Example
			if len(pos) == 2 {
				if ex, err = readLabelled(st, pos[1]); err != nil {
					return err
				}
			}
			if c == nil {
				return classify.Evaluate(clf.Model(), ex).WriteText(e.stdout)
			}
			return classifyReplay(ctx, e, st, clf, c, ex)
		},
	}
}

// classifyStrategy is the strategy `classify` works with: --strategy, or
// the replayed consultation's, which --strategy may repeat but not
// contradict; else the default.
func classifyStrategy(e *env, name string, c *ledger.Consultation) (*config.Strategy, error) {
	if c != nil {
		st, err := e.cfg.StrategyFor(c.Strategy)
		if err != nil {
			return nil, fmt.Errorf("consultation %s: %w", c.Slug, err)
		}
		if name != "" && name != st.Name {
			return nil, usagef("consultation %s is on strategy %s, not %s: leave out --strategy", c.Slug, st.Label(), name)
		}
		return st, nil
	}
	st, err := e.cfg.StrategyFor(name)
	if err != nil {
		return nil, usagef("--strategy: %v", err)
	}
	return st, nil
}

// classifyReplay is `classify eval --replay`: the consultation's staff
// decisions played into its strategy's model.
func classifyReplay(ctx context.Context, e *env, st *config.Strategy, clf *classify.Classifier, c *ledger.Consultation, ex []classify.Example) error {
	db, err := e.ledger(ctx)
	if err != nil {
		return err
	}
	ds, err := db.Decisions(ctx, c.Slug)
	if err != nil {
		return err
	}
	decisions := make([]classify.Example, 0, len(ds))
	for _, d := range ds {
		if st.HasMeasure(d.Measure) {
			decisions = append(decisions, classify.Example{ID: d.Ref, Text: d.Text, Label: d.Measure})
		}
	}
	if len(decisions) == 0 {
		return fmt.Errorf("consultation %s has no staff decisions to replay", c.Slug)
	}
	rep, err := classify.Replay(clf.Model(), decisions, max(1, len(decisions)/10), ex)
	if err != nil {
		return err
	}
	return rep.WriteText(e.stdout)
}

// readLabelled reads a labelled file, every label a measure of st.
func readLabelled(st *config.Strategy, path string) ([]classify.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ex, err := classify.ReadExamples(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, x := range ex {
		if !st.HasMeasure(x.Label) {
			return nil, fmt.Errorf("%s: example %d (%s): label %q is not a measure of strategy %s (%s)", path, i+1, x.ID, x.Label,
				st.Label(), strings.Join(st.MeasureCodes(), ", "))
		}
	}
	return ex, nil
}

// classifyOutput is the contract `classify` writes, one object per line.
type classifyOutput struct {
	ID                  string   `json:"id"`
	Label               string   `json:"label"`
	Confidence          float64  `json:"confidence"`
	Secondary           string   `json:"secondary"`
	SecondaryConfidence float64  `json:"secondary_confidence"`
	Close               bool     `json:"close"`
	Evidence            []string `json:"evidence"`
	NeedsReview         bool     `json:"needs_review"`
}

func classifyStream(e *env, clf *classify.Classifier) error {
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	enc := newJSONEncoder(out)
	bad := 0
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if len(trimSpaceBytes(b)) == 0 {
			continue
		}
		var in struct {
			ID   json.RawMessage `json:"id"`
			Text string          `json:"text"`
		}
		if err := json.Unmarshal(b, &in); err != nil {
			bad++
			fmt.Fprintf(e.stderr, "line %d: not a JSON object {\"id\",\"text\"}: %v\n", line, err)
			continue
		}
		id := string(in.ID)
		var s string
		if json.Unmarshal(in.ID, &s) == nil {
			id = s
		}
		r := clf.Classify(in.Text)
		ev := r.Evidence
		if ev == nil {
			ev = []string{}
		}
		if err := enc.Encode(classifyOutput{ID: id, Label: r.Label, Confidence: round3(r.Confidence),
			Secondary: r.Secondary, SecondaryConfidence: round3(r.SecondaryConfidence), Close: r.Close,
			Evidence: ev, NeedsReview: r.NeedsReview}); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	if bad > 0 {
		return fmt.Errorf("%d input line(s) were not valid and were skipped", bad)
	}
	return nil
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

func trimSpaceBytes(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}
