package classify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sync"
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
// dev.jsonl joined the shipped examples in round 19 (ids d…): figures on
// it as unseen text train on beforeDev's.
func aleksotas(t testing.TB) (ms []Measure, shipped, dev []Example) {
	t.Helper()
	return loadMeasures(t, "aleksotas_measures.json"),
		loadExamples(t, filepath.Join("examples", "aleksotas.jsonl")),
		loadExamples(t, filepath.Join("testdata", "dev.jsonl"))
}

// beforeDev returns the shipped examples without dev's, as they were
// before dev.jsonl joined them: dev is then a new author's text.
func beforeDev(shipped, dev []Example) []Example {
	ids := make(map[string]bool, len(dev))
	for _, e := range dev {
		ids[e.ID] = true
	}
	return slices.DeleteFunc(slices.Clone(shipped), func(e Example) bool { return ids[e.ID] })
}

// shippedOnce is the classifier of the shipped Aleksotas examples with the
// options the product gives them, trained once for the whole test binary:
// under -race a training takes seconds, and most tests only read it.
var shippedOnce struct {
	once sync.Once
	clf  *Classifier
	dev  []Example
	err  error
}

// shippedClassifier returns a clone of the shipped classifier (its own
// decisions and retraining, the shared trained model) and the dev set.
func shippedClassifier(t testing.TB) (*Classifier, []Example) {
	t.Helper()
	shippedOnce.once.Do(func() {
		var ms []Measure
		var ex []Example
		ms, ex, shippedOnce.dev = aleksotas(t)
		shippedOnce.clf, shippedOnce.err = New(ms, ex, shippedOptions())
	})
	if shippedOnce.err != nil {
		t.Fatalf("build on the shipped examples: %v", shippedOnce.err)
	}
	return shippedOnce.clf.Clone(), slices.Clone(shippedOnce.dev)
}

// shippedModel returns the shipped classifier's model, never changed once
// trained, and the dev set.
func shippedModel(t testing.TB) (*Model, []Example) {
	t.Helper()
	c, dev := shippedClassifier(t)
	return c.Model(), dev
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
