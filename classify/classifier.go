package classify

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// Classifier serves classifications from a model that staff decisions
// change at run time. It is safe for concurrent use: Classify reads the
// current model and adapter through atomic pointers, so it never waits
// for a Retrain, and the old model keeps serving until the new one is
// ready.
type Classifier struct {
	measures []Measure
	base     []Example
	opt      Options
	mu       sync.Mutex // serialises Retrain, so the last call's model wins
	model    atomic.Pointer[Model]
	ad       atomic.Pointer[adapter]
	lmu      sync.Mutex // guards learned and the adapter's replacement
	learned  []Example  // decisions taken by Learn since the model was trained
}

// New trains the first model from the measures and the base examples
// (those shipped for the strategy).
func New(measures []Measure, base []Example, opt Options) (*Classifier, error) {
	c := untrained(measures, base, opt)
	m, err := Train(c.measures, c.base, opt)
	if err != nil {
		return nil, fmt.Errorf("new classifier: %w", err)
	}
	c.model.Store(m)
	c.ad.Store(newAdapter(len(m.labels)))
	return c, nil
}

// NewWithCorrections is New followed by Retrain(corrections), training
// once: a daemon starting on a ledger that holds its staff's corrections
// would otherwise train the model without them and at once again with
// them.
func NewWithCorrections(measures []Measure, base, corrections []Example, opt Options) (*Classifier, error) {
	c := untrained(measures, base, opt)
	if err := c.Retrain(corrections); err != nil {
		return nil, fmt.Errorf("new classifier: %w", err)
	}
	return c, nil
}

// untrained is a classifier of its own copies of measures and base, with
// no model yet: its constructor trains one before handing it out.
func untrained(measures []Measure, base []Example, opt Options) *Classifier {
	return &Classifier{
		measures: append([]Measure(nil), measures...),
		base:     append([]Example(nil), base...),
		opt:      opt,
	}
}

// Clone returns a classifier that starts from c's current model, shared
// (a Model is never changed once trained: Retrain makes a new one), with
// none of c's learned decisions. One host serving many VVGs with the same
// strategy and examples trains that model once and clones it per VVG;
// each clone then learns and retrains from its own VVG's decisions only.
func (c *Classifier) Clone() *Classifier {
	d := &Classifier{measures: c.measures, base: c.base, opt: c.opt}
	m := c.model.Load()
	d.model.Store(m)
	d.ad.Store(newAdapter(len(m.labels)))
	return d
}

// Classify files one suggestion with the current model and the decisions
// learned since it was trained.
func (c *Classifier) Classify(text string) Result {
	r, _ := c.model.Load().classifyWith(text, c.ad.Load(), false)
	return r
}

// Nearest is Model.Nearest with the model now serving: the label most
// of the text's nearest training examples and corrections carry.
func (c *Classifier) Nearest(text string) (label string, share float64) {
	return c.model.Load().Nearest(text)
}

// Model returns the model now serving, without the decisions taken by
// Learn since it was trained, e.g. to Evaluate it.
func (c *Classifier) Model() *Model { return c.model.Load() }

// Learn takes one staff decision from the console: that e.Text is filed
// under e.Label. A correction (the classifier had said otherwise) changes
// the answer for that text at once and moves similar texts towards the
// label; a confirmation strengthens what the model already said. It costs
// about as much as classifying the text a dozen times. Decisions last
// until the next Retrain, which should be given them among its extra
// examples; any it is not given are learned again on top of its model.
func (c *Classifier) Learn(e Example) error {
	c.lmu.Lock()
	defer c.lmu.Unlock()
	// Under lmu the model and adapter are a pair: Retrain swaps both.
	m := c.model.Load()
	y, err := m.labelIndex(e.Label)
	if err != nil {
		return fmt.Errorf("learn %q: %w", e.ID, err)
	}
	c.ad.Load().learn(m, e.Text, y, true)
	c.learned = append(c.learned, e)
	return nil
}

// Retrain trains a new model from the base examples plus extra (staff
// corrections, each weighing Options.CorrectionWeight examples) and swaps
// it in. extra replaces the extra of any earlier call: pass all
// corrections so far. Decisions taken by Learn that are not in extra are
// learned again on top of the new model, and so is any of extra the new
// model does not give with confidence. On error the current model stays.
func (c *Classifier) Retrain(extra []Example) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, err := train(c.measures, c.base, extra, c.opt, defaultHyper())
	if err != nil {
		return fmt.Errorf("retrain: %w", err)
	}
	in := make(map[string]bool, len(extra))
	for _, e := range extra {
		in[decisionKey(e)] = true
	}
	c.lmu.Lock()
	defer c.lmu.Unlock()
	ad := newAdapter(len(m.labels))
	var keep []Example
	for _, e := range c.learned {
		if in[decisionKey(e)] {
			continue
		}
		if y, err := m.labelIndex(e.Label); err == nil {
			ad.learn(m, e.Text, y, true)
			keep = append(keep, e)
		}
	}
	// A correction weighs a few examples in training, which may not be
	// enough to outweigh thousands on a vague text: where the new model
	// does not give the decided label, it is learned on top as well, so
	// that a text staff decided keeps their decision.
	for _, e := range extra {
		if y, err := m.labelIndex(e.Label); err == nil {
			ad.learn(m, e.Text, y, false)
		}
	}
	c.learned = keep
	c.model.Store(m)
	c.ad.Store(ad)
	return nil
}

// decisionKey identifies a staff decision: by its ID when it has one (a
// submission's reference), else by its text.
func decisionKey(e Example) string {
	if e.ID != "" {
		return "id\x00" + e.ID + "\x00" + e.Label
	}
	return "text\x00" + e.Text + "\x00" + e.Label
}

// labelIndex returns the class number of label.
func (m *Model) labelIndex(label string) (int, error) {
	label = strings.TrimSpace(label)
	for i, l := range m.labels {
		if l == label {
			return i, nil
		}
	}
	return 0, fmt.Errorf("label %q is not a measure code or %q", label, m.labels[m.other])
}
