package classify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// loadMeasures reads a JSON array of measures from testdata.
func loadMeasures(t testing.TB, name string) []Measure {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read measures: %v", err)
	}
	var ms []Measure
	if err := json.Unmarshal(b, &ms); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return ms
}

// loadExamples reads a JSON-lines example file.
func loadExamples(t testing.TB, path string) []Example {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open examples: %v", err)
	}
	defer f.Close()
	ex, err := ReadExamples(f)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return ex
}

// aleksotas returns the Aleksotas measures, shipped examples and dev set.
func aleksotas(t testing.TB) (ms []Measure, shipped, dev []Example) {
	t.Helper()
	return loadMeasures(t, "aleksotas_measures.json"),
		loadExamples(t, filepath.Join("examples", "aleksotas.jsonl")),
		loadExamples(t, filepath.Join("testdata", "dev.jsonl"))
}

// onAleksotas builds a model with build (Train, or New for a Classifier)
// and the default options on the shipped Aleksotas examples, where most
// tests start, and returns it with the dev set.
func onAleksotas[T any](t testing.TB, build func([]Measure, []Example, Options) (T, error)) (T, []Example) {
	t.Helper()
	ms, shipped, dev := aleksotas(t)
	v, err := build(ms, shipped, Options{LabelBias: ShippedLabelBias("aleksotas")})
	if err != nil {
		t.Fatalf("build on the shipped examples: %v", err)
	}
	return v, dev
}

// correction is a staff correction for c to learn: a text, what c makes of
// it now, and the label staff give it instead. Staff decide that asking for
// a community Instagram account is publicity about the strategy (4), not
// information on services; should c already say 4, they say 1.2.
func correction(c *Classifier) (text string, before Result, want string) {
	text = "Siūlau susikurti instagram paskyrą ir rašyti paprastai, kad jaunimas suprastų, kas vyksta."
	before = c.Classify(text)
	want = "4"
	if before.Label == want {
		want = "1.2"
	}
	return text, before, want
}
