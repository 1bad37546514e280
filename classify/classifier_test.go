package classify

import (
	"sync"
	"testing"
)

func TestRetrainAppliesCorrection(t *testing.T) {
	c, _ := shippedClassifier(t)
	text, before, want := correction(c)
	if err := c.Retrain([]Example{{ID: "fix1", Text: text, Label: want}}); err != nil {
		t.Fatalf("Retrain: %v", err)
	}
	if got := c.Classify(text).Label; got != want {
		t.Errorf("after correction Label = %q, want %q (before %q)", got, want, before.Label)
	}
	t.Run("extra replaces earlier extra", func(t *testing.T) {
		if err := c.Retrain(nil); err != nil {
			t.Fatalf("Retrain(nil): %v", err)
		}
		if got := c.Classify(text).Label; got != before.Label {
			t.Errorf("after dropping the correction Label = %q, want %q", got, before.Label)
		}
	})
	t.Run("bad correction keeps the model", func(t *testing.T) {
		m := c.Model()
		if err := c.Retrain([]Example{{ID: "bad", Text: "x", Label: "9"}}); err == nil {
			t.Fatal("Retrain with unknown label: err = nil, want an error")
		}
		if c.Model() != m {
			t.Error("model was replaced after a failed Retrain")
		}
	})
}

// TestRetrainKeepsVagueCorrection: a correction of a text vague enough
// that one weighted example cannot move the model still holds after
// Retrain, and goes when the correction is taken back.
func TestRetrainKeepsVagueCorrection(t *testing.T) {
	c, _ := shippedClassifier(t)
	const text = "Norėčiau, kad kas nors pasikeistų."
	before := c.Classify(text).Label
	want := "4"
	if before == want {
		t.Fatalf("the model already files %q under %s", text, want)
	}
	if err := c.Retrain([]Example{{ID: "vague", Text: text, Label: want}}); err != nil {
		t.Fatal(err)
	}
	if r := c.Classify(text); r.Label != want || r.NeedsReview {
		t.Errorf("after the correction: %s (%.3f, review %v), want %s without review", r.Label, r.Confidence, r.NeedsReview, want)
	}
	if err := c.Retrain(nil); err != nil {
		t.Fatal(err)
	}
	if got := c.Classify(text).Label; got != before {
		t.Errorf("after taking the correction back: %s, want %s", got, before)
	}
}

func TestClassifierConcurrent(t *testing.T) {
	c, dev := shippedClassifier(t)
	known := map[string]bool{}
	for _, l := range c.Model().Labels() {
		known[l] = true
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if r := c.Classify(dev[i%len(dev)].Text); !known[r.Label] {
					t.Errorf("Classify during Retrain: label %q", r.Label)
					return
				}
			}
		}(g)
	}
	for i := 0; i < 2; i++ {
		if err := c.Retrain(dev[i*10 : i*10+10]); err != nil {
			t.Errorf("Retrain %d: %v", i, err)
		}
	}
	close(stop)
	wg.Wait()
}

func TestNewError(t *testing.T) {
	if _, err := New(nil, nil, Options{}); err == nil {
		t.Error("New without measures: err = nil, want an error")
	}
}
