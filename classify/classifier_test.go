package classify

import (
	"sync"
	"testing"
)

func TestRetrainAppliesCorrection(t *testing.T) {
	c, _ := onAleksotas(t, New)
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

func TestClassifierConcurrent(t *testing.T) {
	c, dev := onAleksotas(t, New)
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
