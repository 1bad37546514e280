package classify

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSecondStrategy trains on another VVG's measures (Kėdainiai, seed
// 004) with invented codes and another other-label, to prove nothing about
// Aleksotas is built in.
func TestSecondStrategy(t *testing.T) {
	ms := loadMeasures(t, "kedainiai_measures.json")
	ex := loadExamples(t, filepath.Join("testdata", "kedainiai.jsonl"))
	opt := Options{OtherLabel: "kita"}

	t.Run("labels", func(t *testing.T) {
		m, err := Train(ms, ex, opt)
		if err != nil {
			t.Fatalf("Train: %v", err)
		}
		if got, want := strings.Join(m.Labels(), ","), "A1,A2,B1,B2,C,D,E,kita"; got != want {
			t.Errorf("Labels() = %s, want %s", got, want)
		}
		if got := m.Classify("").Label; got != "kita" {
			t.Errorf("empty text Label = %q, want kita", got)
		}
	})
	t.Run("aleksotas codes rejected", func(t *testing.T) {
		if _, err := Train(ms, []Example{{ID: "x", Text: "t", Label: "1.1"}}, opt); err == nil {
			t.Error("Train with an Aleksotas code: err = nil, want an error")
		}
	})
	t.Run("cross-validated", func(t *testing.T) {
		// 64 short examples, 8 per label; measured macro-F1 0.904.
		rep := CrossValidate(ms, nil, ex, 8, 1, opt)
		if rep.Err != nil {
			t.Fatalf("CrossValidate: %v", rep.Err)
		}
		if rep.MacroF1 < 0.8 {
			var b strings.Builder
			rep.WriteText(&b)
			t.Errorf("macro-F1 = %.3f, want ≥ 0.80\n%s", rep.MacroF1, b.String())
		}
	})
	t.Run("examples written for Aleksotas transfer", func(t *testing.T) {
		// Relabel the Aleksotas examples into Kėdainiai's codes: the
		// measures are the same in substance.
		_, shipped, _ := aleksotas(t)
		code := map[string]string{"1.1": "A1", "1.2": "A2", "2.1": "B1", "2.2": "B2", "3": "C", "4": "D", "5": "E", "other": "kita"}
		var moved []Example
		for _, e := range shipped {
			moved = append(moved, Example{ID: e.ID, Text: e.Text, Label: code[e.Label]})
		}
		m, err := Train(ms, moved, opt)
		if err != nil {
			t.Fatalf("Train: %v", err)
		}
		// Measured 1.000.
		rep := Evaluate(m, ex)
		if rep.MacroF1 < 0.9 {
			t.Errorf("macro-F1 on Kėdainiai examples = %.3f, want ≥ 0.90", rep.MacroF1)
		}
	})
	t.Run("measures only", func(t *testing.T) {
		// A strategy configured with no examples yet; measured 0.877.
		m, err := Train(ms, nil, opt)
		if err != nil {
			t.Fatalf("Train: %v", err)
		}
		if rep := Evaluate(m, ex); rep.MacroF1 < 0.75 {
			t.Errorf("macro-F1 from measures alone = %.3f, want ≥ 0.75", rep.MacroF1)
		}
	})
	t.Run("implicit other label", func(t *testing.T) {
		// Without a measure for it, the other label is still a class.
		m, err := Train(ms[:len(ms)-1], ex, opt)
		if err != nil {
			t.Fatalf("Train: %v", err)
		}
		if got, want := strings.Join(m.Labels(), ","), "A1,A2,B1,B2,C,D,E,kita"; got != want {
			t.Errorf("Labels() = %s, want %s", got, want)
		}
	})
}
