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
