package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/vvgintake/vvgintake/classify"
)

func cmdClassify() *command {
	return &command{
		name: "classify", args: "[eval FILE]",
		short: "file suggestions under strategy measures (JSON lines in and out)",
		long: `classify
    Reads JSON lines {"id","text"} on stdin and writes one line per input:
    {"id","label","confidence","secondary","evidence","needs_review"}.
    The model is trained from the configured measures, classify.examples and, when the ledger
    exists, staff corrections. A line that is not valid JSON is reported on stderr with its line
    number and skipped (exit code 1 at the end).
classify eval FILE
    Evaluates on a labelled file (JSON lines {"id","text","label"}): accuracy, macro-F1,
    top-2 accuracy, per-label precision/recall, the confusion matrix and the review queue.`,
		run: func(ctx context.Context, e *env, args []string) error {
			clf, err := newClassifier(ctx, e.cfg, nil)
			if err != nil {
				return err
			}
			if len(args) > 0 {
				if args[0] != "eval" || len(args) != 2 {
					return usagef("classify takes no arguments, or eval FILE")
				}
				f, err := os.Open(args[1])
				if err != nil {
					return err
				}
				defer f.Close()
				ex, err := classify.ReadExamples(f)
				if err != nil {
					return fmt.Errorf("%s: %w", args[1], err)
				}
				for i, x := range ex {
					if !e.cfg.HasMeasure(x.Label) {
						return fmt.Errorf("%s: example %d (%s): label %q is not a configured measure", args[1], i+1, x.ID, x.Label)
					}
				}
				return classify.Evaluate(clf.Model(), ex).WriteText(e.stdout)
			}
			return classifyStream(e, clf)
		},
	}
}

// classifyOutput is the contract `classify` writes, one object per line.
type classifyOutput struct {
	ID          string   `json:"id"`
	Label       string   `json:"label"`
	Confidence  float64  `json:"confidence"`
	Secondary   string   `json:"secondary"`
	Evidence    []string `json:"evidence"`
	NeedsReview bool     `json:"needs_review"`
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
			Secondary: r.Secondary, Evidence: ev, NeedsReview: r.NeedsReview}); err != nil {
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
