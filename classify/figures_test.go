package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFigures prints the figures in doc.go (VVGINTAKE_CLASSIFY_TUNE=1, -v):
// the shipped model on the sealed halves of our two sets, which nothing
// was chosen on, and on dev.jsonl; 5-fold cross-validation over the
// shipped examples; 5-fold cross-validation over dev.jsonl
// with the shipped examples in training; and a replay of dev.jsonl as a
// consultation's staff decisions, with the sealed set as holdout.
func TestFigures(t *testing.T) {
	tuning(t)
	ms, shipped, dev := aleksotas(t)
	sealed := loadExamples(t, filepath.Join("testdata", "sealed.jsonl"))
	sealed2 := loadExamples(t, filepath.Join("testdata", "sealed2.jsonl"))
	sealed3 := loadExamples(t, filepath.Join("testdata", "sealed3.jsonl"))
	sealed4 := loadExamples(t, filepath.Join("testdata", "sealed4.jsonl"))
	sealed5 := loadExamples(t, filepath.Join("testdata", "sealed5.jsonl"))
	sealed6 := loadExamples(t, filepath.Join("testdata", "sealed6.jsonl"))
	sealed7 := loadExamples(t, filepath.Join("testdata", "sealed7.jsonl"))
	sealed8 := loadExamples(t, filepath.Join("testdata", "sealed8.jsonl"))
	sealed9 := loadExamples(t, filepath.Join("testdata", "sealed9.jsonl"))
	sealed10 := loadExamples(t, filepath.Join("testdata", "sealed10.jsonl"))
	sealed11 := loadExamples(t, filepath.Join("testdata", "sealed11.jsonl"))
	sealed12 := loadExamples(t, filepath.Join("testdata", "sealed12.jsonl"))
	sealed13 := loadExamples(t, filepath.Join("testdata", "sealed13.jsonl"))
	sealed14 := loadExamples(t, filepath.Join("testdata", "sealed14.jsonl"))
	sealed15 := loadExamples(t, filepath.Join("testdata", "sealed15.jsonl"))
	sealed16 := loadExamples(t, filepath.Join("testdata", "sealed16.jsonl"))
	sealed17 := loadExamples(t, filepath.Join("testdata", "sealed17.jsonl"))
	sealed18 := loadExamples(t, filepath.Join("testdata", "sealed18.jsonl"))
	sealed19 := loadExamples(t, filepath.Join("testdata", "sealed19.jsonl"))
	sealed20 := loadExamples(t, filepath.Join("testdata", "sealed20.jsonl"))
	sealed21 := loadExamples(t, filepath.Join("testdata", "sealed21.jsonl"))
	sealed22 := loadExamples(t, filepath.Join("testdata", "sealed22.jsonl"))
	m, err := Train(ms, shipped, shippedOptions())
	if err != nil {
		t.Fatal(err)
	}
	before, err := Train(ms, beforeDev(shipped, dev), shippedOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		rep  Report
	}{
		{"sealed22 (a new author, residents' e-mail answering a call, 5% in English, a quarter hard, looked at once), trained on the shipped examples", Evaluate(m, sealed22)},
		{"sealed21 (a new author, organisations and professionals, formal, 15% in English and Russian, a third hard, looked at once), trained on the shipped examples", Evaluate(m, sealed21)},
		{"sealed20 (a new author, first-time writers: seniors, refugees, Roma, farmers, parish volunteers, 15% in English and Russian, a third hard, looked at once), trained on the shipped examples", Evaluate(m, sealed20)},
		{"sealed19 (a new author, a broad mix of residents' e-mail and form texts, 15% in English and Russian, a third hard, looked at once), trained on the shipped examples", Evaluate(m, sealed19)},
		{"sealed18 (a new author, a broad mix of residents' e-mail and form texts, 12% in English and Russian, a quarter hard, looked at twice), trained on the shipped examples", Evaluate(m, sealed18)},
		{"sealed17 (a new author, short texts typed on a phone, 15% in English and Russian, a third hard, looked at twice), trained on the shipped examples", Evaluate(m, sealed17)},
		{"sealed16 (a new author, residents' e-mail, 5% in English and Russian, a quarter hard, looked at twice), trained on the shipped examples", Evaluate(m, sealed16)},
		{"sealed15 (a new author, 10% in English and Russian, a third hard, looked at twice), trained on the shipped examples", Evaluate(m, sealed15)},
		{"sealed14 (a new author, 15% in English and Russian, 40% hard, looked at twice), trained on the shipped examples", Evaluate(m, sealed14)},
		{"sealed13 (a new author, 5% in English and Russian, a quarter hard, looked at twice), trained on the shipped examples", Evaluate(m, sealed13)},
		{"sealed12 (a new author, 10% in English and Russian, a third hard, looked at twice), trained on the shipped examples", Evaluate(m, sealed12)},
		{"sealed11 (a new author, 15% in English and Russian, half hard, looked at twice), trained on the shipped examples", Evaluate(m, sealed11)},
		{"sealed10 (a new author, 40% in English and Russian, looked at thrice), trained on the shipped examples", Evaluate(m, sealed10)},
		{"sealed9 (another new author, half hard, looked at four times), trained on the shipped examples", Evaluate(m, sealed9)},
		{"sealed8 (a fifteenth author, looked at twice), trained on the shipped examples", Evaluate(m, sealed8)},
		{"sealed7 (a twelfth author, looked at twice), trained on the shipped examples", Evaluate(m, sealed7)},
		{"sealed6 (a ninth author, looked at thrice), trained on the shipped examples", Evaluate(m, sealed6)},
		{"sealed5 (a sixth author, looked at four times), trained on the shipped examples", Evaluate(m, sealed5)},
		{"sealed4 (a fifth author, looked at thrice), trained on the shipped examples", Evaluate(m, sealed4)},
		{"sealed3 (an author none of training has), trained on the shipped examples", Evaluate(m, sealed3)},
		{"sealed2, trained on the shipped examples", Evaluate(m, sealed2)},
		{"sealed, trained on the shipped examples", Evaluate(m, sealed)},
		{"shipped, 5-fold CV", CrossValidate(ms, nil, shipped, 5, 1, shippedOptions())},
		{"dev.jsonl as a new author, trained on the shipped examples without it", Evaluate(before, dev)},
		{"dev.jsonl, 5-fold CV, the other shipped examples in training", CrossValidate(ms, beforeDev(shipped, dev), dev, 5, 1, shippedOptions())},
	} {
		os.Stdout.WriteString("\n== " + c.name + "\n")
		c.rep.WriteText(os.Stdout)
	}
	rep, err := Replay(before, dev, 20, sealed)
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("\n== replay of dev.jsonl as staff decisions\n")
	rep.WriteText(os.Stdout)
}

// TestSealed keeps the shipped model's figures on the sealed sets from
// regressing (floors a little under what was measured; doc.go has the
// figures). The floors are not the targets: on sealed10, 40% of it in
// English and Russian, the queue catches every error but flags 23.8%; on
// sealed17, short texts typed on a phone, 29.4% and all 14. Errors caught
// are counted as the errors that go through unflagged: a set has none to seventeen
// errors, and a share of so few moves by 5 to 100 points with one text.
func TestSealed(t *testing.T) {
	m, _ := shippedModel(t)
	for _, set := range []struct {
		file    string
		top2    float64
		missed  int // errors not flagged, at most
		flagged float64
	}{
		{"sealed.jsonl", 0.97, 1, 0.24},
		{"sealed2.jsonl", 0.97, 1, 0.19},
		{"sealed3.jsonl", 0.97, 1, 0.19},
		{"sealed4.jsonl", 0.97, 1, 0.27},
		{"sealed5.jsonl", 0.98, 1, 0.17},
		{"sealed6.jsonl", 0.98, 1, 0.19},
		{"sealed7.jsonl", 0.98, 1, 0.11},
		{"sealed8.jsonl", 0.98, 1, 0.18},
		{"sealed9.jsonl", 0.98, 1, 0.24},
		{"sealed10.jsonl", 0.98, 1, 0.29},
		{"sealed11.jsonl", 0.98, 1, 0.23},
		{"sealed12.jsonl", 0.98, 2, 0.27},
		{"sealed13.jsonl", 0.98, 1, 0.22},
		{"sealed14.jsonl", 0.98, 1, 0.24},
		{"sealed15.jsonl", 0.98, 1, 0.18},
		{"sealed16.jsonl", 0.98, 1, 0.20},
		{"sealed17.jsonl", 0.98, 1, 0.31},
		{"sealed18.jsonl", 0.98, 1, 0.14},
		{"sealed19.jsonl", 0.98, 2, 0.22},
		{"sealed20.jsonl", 0.98, 1, 0.26},
		{"sealed21.jsonl", 0.98, 1, 0.17},
		{"sealed22.jsonl", 0.98, 1, 0.17},
	} {
		rep := Evaluate(m, loadExamples(t, filepath.Join("testdata", set.file)))
		for _, c := range []struct {
			name      string
			got, want float64
			atMost    bool
		}{
			{"macro-F1", rep.MacroF1, 0.92, false},
			{"top-2 accuracy", rep.Top2Accuracy, set.top2, false},
			{"errors not flagged", float64(unflaggedErrors(rep)), float64(set.missed), true},
			{"unflagged accuracy", rep.UnflaggedAccuracy, 0.98, false},
			{"share flagged", rep.ReviewShare, set.flagged, true},
			{"ECE", rep.ECE, 0.05, true},
		} {
			if c.atMost && c.got > c.want || !c.atMost && c.got < c.want {
				var b strings.Builder
				rep.WriteText(&b)
				t.Errorf("%s %s = %.3f, want %s %.2f\n%s", set.file, c.name, c.got, map[bool]string{true: "≤", false: "≥"}[c.atMost], c.want, b.String())
			}
		}
	}
}

// shippedOptions are the options the product trains the shipped
// examples with: the default ones and the set's label bias.
func shippedOptions() Options {
	return Options{LabelBias: ShippedLabelBias("aleksotas")}
}

// unflaggedErrors counts rep's errors that were not flagged.
func unflaggedErrors(rep Report) int {
	n := 0
	for _, m := range rep.Misses {
		if !m.Flagged {
			n++
		}
	}
	return n
}
