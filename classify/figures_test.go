package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFigures prints the figures in doc.go (VVGINTAKE_CLASSIFY_TUNE=1, -v):
// the shipped model on the sealed half of our set, which nothing was
// chosen on, and on dev.jsonl; 5-fold cross-validation over dev.jsonl
// with the shipped examples in training; and a replay of dev.jsonl as a
// consultation's staff decisions, with the sealed set as holdout.
func TestFigures(t *testing.T) {
	tuning(t)
	ms, shipped, dev := aleksotas(t)
	sealed := loadExamples(t, filepath.Join("testdata", "sealed.jsonl"))
	m, err := Train(ms, shipped, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		rep  Report
	}{
		{"sealed, trained on the shipped examples", Evaluate(m, sealed)},
		{"dev.jsonl, trained on the shipped examples", Evaluate(m, dev)},
		{"dev.jsonl, 5-fold CV, shipped examples in training", CrossValidate(ms, shipped, dev, 5, 1, Options{})},
	} {
		os.Stdout.WriteString("\n== " + c.name + "\n")
		c.rep.WriteText(os.Stdout)
	}
	rep, err := Replay(m, dev, 20, sealed)
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("\n== replay of dev.jsonl as staff decisions\n")
	rep.WriteText(os.Stdout)
}

// TestSealed keeps the shipped model's figures on the sealed half of our
// set (never used to choose anything) from regressing. Measured: macro-F1
// 0.931, top-2 0.980, errors caught 92.9% at 20.2% flagged, unflagged
// accuracy 0.994, ECE 0.021.
func TestSealed(t *testing.T) {
	ms, shipped, _ := aleksotas(t)
	sealed := loadExamples(t, filepath.Join("testdata", "sealed.jsonl"))
	m, err := Train(ms, shipped, Options{})
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	rep := Evaluate(m, sealed)
	for _, c := range []struct {
		name      string
		got, want float64
		atMost    bool
	}{
		{"macro-F1", rep.MacroF1, 0.90, false},
		{"top-2 accuracy", rep.Top2Accuracy, 0.97, false},
		{"errors caught", rep.ErrorsCaught, 0.85, false},
		{"unflagged accuracy", rep.UnflaggedAccuracy, 0.98, false},
		{"share flagged", rep.ReviewShare, 0.25, true},
		{"ECE", rep.ECE, 0.05, true},
	} {
		if c.atMost && c.got > c.want || !c.atMost && c.got < c.want {
			var b strings.Builder
			rep.WriteText(&b)
			t.Errorf("sealed %s = %.3f, want %s %.2f\n%s", c.name, c.got, map[bool]string{true: "≤", false: "≥"}[c.atMost], c.want, b.String())
		}
	}
}
