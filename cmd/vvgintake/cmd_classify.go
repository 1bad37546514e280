package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/vvgintake/vvgintake/classify"
)

func cmdClassify() *command {
	return &command{
		name: "classify", args: "[eval [--replay SLUG] [FILE]]",
		short: "file suggestions under strategy measures (JSON lines in and out)",
		long: `classify
    Reads JSON lines {"id","text"} on stdin and writes one line per input:
    {"id","label","confidence","secondary","secondary_confidence","close","evidence","needs_review"}.
    secondary is the runner-up measure (always named but for empty or unreadable text), with its
    own calibrated probability; close is true when it is a real alternative (at least 0.2).
    The model is trained from the configured measures, classify.examples and, when the ledger
    exists, staff corrections. A line that is not valid JSON is reported on stderr with its line
    number and skipped (exit code 1 at the end).
classify eval FILE
    Evaluates on a labelled file (JSON lines {"id","text","label"}): accuracy, macro-F1,
    top-2 accuracy, per-label precision/recall, the confusion matrix, the review queue (errors
    caught, share flagged, accuracy of the rest) and the calibration (a reliability diagram and
    the expected calibration error).
classify eval --replay SLUG [FILE]
    Replays the staff's decisions on consultation SLUG's suggestions (corrections and
    confirmations, in the order they were taken) into the model trained without them, and shows
    how it improved: accuracy on each decision as it arrived, on those still to come, and on
    FILE's labelled examples when given.`,
		run: func(ctx context.Context, e *env, args []string) error {
			clf, err := newClassifier(ctx, e.cfg, nil)
			if err != nil {
				return err
			}
			if len(args) > 0 {
				if args[0] != "eval" {
					return usagef("classify takes no arguments, or eval [--replay SLUG] [FILE]")
				}
				return classifyEval(ctx, e, clf, args[1:])
			}
			return classifyStream(e, clf)
		},
	}
}

// classifyEval is `classify eval`: a labelled file, or a consultation's
// decisions replayed.
func classifyEval(ctx context.Context, e *env, clf *classify.Classifier, args []string) error {
	fs := flag.NewFlagSet("classify eval", flag.ContinueOnError)
	replay := fs.String("replay", "", "replay the staff decisions of this consultation")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 || len(pos) == 0 && *replay == "" {
		return usagef("classify eval needs a FILE, or --replay SLUG")
	}
	var ex []classify.Example
	if len(pos) == 1 {
		if ex, err = readLabelled(e, pos[0]); err != nil {
			return err
		}
	}
	if *replay == "" {
		return classify.Evaluate(clf.Model(), ex).WriteText(e.stdout)
	}
	db, err := e.ledger(ctx)
	if err != nil {
		return err
	}
	if _, err := db.Consultation(ctx, *replay); err != nil {
		return err
	}
	ds, err := db.Decisions(ctx, *replay)
	if err != nil {
		return err
	}
	decisions := make([]classify.Example, 0, len(ds))
	for _, d := range ds {
		if e.cfg.HasMeasure(d.Measure) {
			decisions = append(decisions, classify.Example{ID: d.Ref, Text: d.Text, Label: d.Measure})
		}
	}
	if len(decisions) == 0 {
		return fmt.Errorf("consultation %s has no staff decisions to replay", *replay)
	}
	rep, err := classify.Replay(clf.Model(), decisions, max(1, len(decisions)/10), ex)
	if err != nil {
		return err
	}
	return rep.WriteText(e.stdout)
}

// readLabelled reads a labelled file, every label a configured measure.
func readLabelled(e *env, path string) ([]classify.Example, error) {
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
		if !e.cfg.HasMeasure(x.Label) {
			return nil, fmt.Errorf("%s: example %d (%s): label %q is not a configured measure", path, i+1, x.ID, x.Label)
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
