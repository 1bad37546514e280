package classify

import (
	"strings"
	"sync"
	"testing"
)

func TestLearn(t *testing.T) {
	c, _ := shippedClassifier(t)
	text, before, want := correction(c)
	t.Run("correction applies at once", func(t *testing.T) {
		if err := c.Learn(Example{ID: "r1", Text: text, Label: want}); err != nil {
			t.Fatalf("Learn: %v", err)
		}
		if got := c.Classify(text); got.Label != want || got.NeedsReview {
			t.Errorf("after the correction: %+v, want label %s without review", got, want)
		}
		if got := c.Model().Classify(text).Label; got != before.Label {
			t.Errorf("the trained model changed: %s, want %s", got, before.Label)
		}
	})
	t.Run("unknown label", func(t *testing.T) {
		if err := c.Learn(Example{ID: "r2", Text: text, Label: "9"}); err == nil {
			t.Error("Learn with label 9: err = nil, want an error")
		}
	})
	t.Run("retrain keeps decisions it was not given", func(t *testing.T) {
		if err := c.Retrain(nil); err != nil {
			t.Fatalf("Retrain: %v", err)
		}
		if got := c.Classify(text).Label; got != want {
			t.Errorf("after Retrain(nil) Label = %s, want the learned %s", got, want)
		}
	})
	t.Run("retrain given the decision drops it from the adapter", func(t *testing.T) {
		if err := c.Retrain([]Example{{ID: "r1", Text: text, Label: want}}); err != nil {
			t.Fatalf("Retrain: %v", err)
		}
		if n := len(c.learned); n != 0 {
			t.Errorf("%d decisions still learned on top, want 0", n)
		}
		if got := c.Classify(text); got.Label != want || got.NeedsReview {
			t.Errorf("after Retrain with the decision: %+v, want label %s without review", got, want)
		}
	})
}

func TestLearnConcurrent(t *testing.T) {
	c, dev := shippedClassifier(t)
	var wg sync.WaitGroup
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < 60; i += 3 {
				c.Classify(dev[i].Text)
				if i%2 == 0 {
					if err := c.Learn(dev[i]); err != nil {
						t.Errorf("Learn: %v", err)
					}
				}
			}
		}(g)
	}
	if err := c.Retrain(dev[100:110]); err != nil {
		t.Errorf("Retrain: %v", err)
	}
	wg.Wait()
}

func TestReplay(t *testing.T) {
	m, dev := shippedModel(t)
	decisions := dev[:60]
	rep, err := Replay(m, decisions, 20, decisions[:5])
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	if got, want := len(rep.Steps), 4; got != want {
		t.Fatalf("%d steps, want %d", got, want)
	}
	if last := rep.Steps[3]; last.Learned != 60 || last.Learnt < 0.95 {
		t.Errorf("after all decisions: %+v, want 60 learned and ≥ 0.95 of them kept", last)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil || !strings.Contains(b.String(), "remaining") {
		t.Errorf("WriteText = %q, %v", b.String(), err)
	}
	if _, err := Replay(m, []Example{{ID: "x", Text: "t", Label: "9"}}, 1, nil); err == nil {
		t.Error("Replay with label 9: err = nil, want an error")
	}
	if got := Evaluate(m, decisions).Accuracy; got != rep.Steps[0].Remaining {
		t.Errorf("step 0 accuracy %.3f, want the base model's %.3f: base was changed?", rep.Steps[0].Remaining, got)
	}
}

// TestClone: a clone answers as the original did, and what one learns or
// retrains on is not the other's.
func TestClone(t *testing.T) {
	ms, ex, _ := aleksotas(t)
	a, err := New(ms, ex, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := a.Clone()
	const text = "Reikia dviračių takų tarp kaimų ir geresnio apšvietimo"
	ra, rb := a.Classify(text), b.Classify(text)
	if ra.Label != rb.Label || ra.Confidence != rb.Confidence {
		t.Fatalf("clone classifies %q as %s %.3f, the original %s %.3f", text, rb.Label, rb.Confidence, ra.Label, ra.Confidence)
	}
	other := "other"
	if ra.Label == other {
		other = ms[0].Code
	}
	if err := b.Learn(Example{ID: "X-1", Text: text, Label: other}); err != nil {
		t.Fatal(err)
	}
	if got := b.Classify(text).Label; got != other {
		t.Errorf("the clone after learning %q: %s, want %s", text, got, other)
	}
	if got := a.Classify(text); got.Label != ra.Label || got.Confidence != ra.Confidence {
		t.Errorf("the original after its clone learned: %s %.3f, want %s %.3f as before", got.Label, got.Confidence, ra.Label, ra.Confidence)
	}
	if err := b.Retrain([]Example{{ID: "X-1", Text: text, Label: other}}); err != nil {
		t.Fatal(err)
	}
	if a.Model() == b.Model() {
		t.Errorf("the clone's retrained model is the original's")
	}
}
