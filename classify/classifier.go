package classify

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Classifier serves classifications from a model that staff corrections
// can replace at run time. It is safe for concurrent use: Classify reads
// the current model through an atomic pointer, so it never waits for a
// Retrain, and the old model keeps serving until the new one is ready.
type Classifier struct {
	measures []Measure
	base     []Example
	opt      Options
	mu       sync.Mutex // serialises Retrain, so the last call's model wins
	model    atomic.Pointer[Model]
}

// New trains the first model from the measures and the base examples
// (those shipped for the strategy).
func New(measures []Measure, base []Example, opt Options) (*Classifier, error) {
	c := &Classifier{
		measures: append([]Measure(nil), measures...),
		base:     append([]Example(nil), base...),
		opt:      opt,
	}
	m, err := Train(c.measures, c.base, opt)
	if err != nil {
		return nil, fmt.Errorf("new classifier: %w", err)
	}
	c.model.Store(m)
	return c, nil
}

// Classify files one suggestion with the current model.
func (c *Classifier) Classify(text string) Result {
	return c.model.Load().Classify(text)
}

// Model returns the model now serving, e.g. to Evaluate it.
func (c *Classifier) Model() *Model { return c.model.Load() }

// Retrain trains a new model from the base examples plus extra (staff
// corrections, each weighing Options.CorrectionWeight examples) and swaps
// it in. extra replaces the extra of any earlier call: pass all
// corrections so far. On error the current model stays.
func (c *Classifier) Retrain(extra []Example) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, err := train(c.measures, c.base, extra, c.opt, defaultHyper())
	if err != nil {
		return fmt.Errorf("retrain: %w", err)
	}
	c.model.Store(m)
	return nil
}
