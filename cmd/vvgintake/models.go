package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify"
)

// sharedModels trains each distinct classifier once for all the VVGs of
// one host: sixty VVGs on the national strategy's shipped examples share
// one trained model (a few MB and about a second of CPU each) instead of
// training sixty. A VVG gets a clone: the model is immutable, and what
// its staff decide is learned and retrained into that VVG's clone only.
// Models stay for the life of the process; there are as many as there
// are distinct strategies with examples, not VVGs.
type sharedModels struct {
	mu     sync.Mutex
	byKey  map[[32]byte]*classify.Classifier
	trains int // how many were trained (the host's figures)
}

func newSharedModels() *sharedModels {
	return &sharedModels{byKey: map[[32]byte]*classify.Classifier{}}
}

// classifier returns a clone of the model trained on exactly these
// measures, examples and options, training it on first use. The lock is
// held while training: two VVGs starting together on one strategy must
// not both train it.
func (m *sharedModels) classifier(measures []classify.Measure, ex []classify.Example, opt classify.Options) (*classify.Classifier, error) {
	key, err := modelKey(measures, ex, opt)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.byKey[key]; c != nil {
		return c.Clone(), nil
	}
	c, err := trainReleasing(measures, ex, nil, opt)
	if err != nil {
		return nil, err
	}
	m.byKey[key] = c
	m.trains++
	return c.Clone(), nil
}

// modelKey identifies what a model is trained from.
func modelKey(measures []classify.Measure, ex []classify.Example, opt classify.Options) ([32]byte, error) {
	b, err := json.Marshal(struct {
		M []classify.Measure
		E []classify.Example
		O classify.Options
	}{measures, ex, opt})
	if err != nil {
		return [32]byte{}, fmt.Errorf("key the model: %w", err)
	}
	return sha256.Sum256(b), nil
}

// hostShared is what a host's VVGs share, each immutable once made: the
// trained classifiers and the mail templates (parsed once per templates
// folder: the built-in ones for most VVGs). A nil *hostShared makes each
// afresh, as a single VVG does.
type hostShared struct {
	models *sharedModels
	mu     sync.Mutex
	tpl    map[string]*notify.Templates // by notify.templates_dir as resolved
}

func newHostShared() *hostShared {
	return &hostShared{models: newSharedModels(), tpl: map[string]*notify.Templates{}}
}

// modelsOf is s's classifiers, nil for none.
func (s *hostShared) modelsOf() *sharedModels {
	if s == nil {
		return nil
	}
	return s.models
}

// templates loads cfg's mail templates, once per folder on a host.
// notify.Templates only renders once loaded, so one serves many VVGs.
func (s *hostShared) templates(cfg *config.Config) (*notify.Templates, error) {
	if s == nil {
		return cfg.LoadTemplates()
	}
	dir := cfg.Resolve(cfg.Notify.TemplatesDir)
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tpl[dir]; t != nil {
		return t, nil
	}
	t, err := cfg.LoadTemplates()
	if err != nil {
		return nil, err
	}
	s.tpl[dir] = t
	return t, nil
}

// train is classify.New on the strategy's examples ex and their label
// bias, through shared when there is one (the host); with staff
// corrections (extra) it is classify.NewWithCorrections, a model of that
// VVG's own, which shared does not keep.
func (m *sharedModels) train(cfg *config.Config, st *config.Strategy, ex []classify.Example, bias map[string]float64, extra []classify.Example) (*classify.Classifier, error) {
	opt := classify.Options{ReviewThreshold: cfg.Classify.ReviewThreshold, LabelBias: bias}
	if m == nil || len(extra) > 0 {
		return trainReleasing(st.ClassifyMeasures(), ex, extra, opt)
	}
	return m.classifier(st.ClassifyMeasures(), ex, opt)
}

// trainReleasing is classify.New (NewWithCorrections with extra), run
// by releasing.
func trainReleasing(measures []classify.Measure, ex, extra []classify.Example, opt classify.Options) (*classify.Classifier, error) {
	var c *classify.Classifier
	var err error
	releasing(func() {
		if len(extra) > 0 {
			c, err = classify.NewWithCorrections(measures, ex, extra, opt)
		} else {
			c, err = classify.New(measures, ex, opt)
		}
	})
	return c, err
}

// retrainReleasing is intake.Retrain, which trains a strategy's model
// again when staff corrections changed, run by releasing.
func retrainReleasing(ctx context.Context, s *intake.Strategies, db *ledger.DB) error {
	var err error
	releasing(func() { err = intake.Retrain(ctx, s, db) })
	return err
}

// releasing runs train, a training, so that the daemon's memory is then
// the model and what it serves, not training's high-water mark. While it
// trains, the collector runs four times as often: training's garbage
// (each document's features, the parsed examples) would otherwise let
// the heap grow to twice what training holds before a collection, for a
// few milliseconds of collecting (TestFormUploadFlood: 98 MB → 81–88 MB
// at start). After, the memory training used (its documents and
// intermediate weights, several times the model's size) is handed back
// to the system.
//
// The collector's setting is the process's: two trainings at once (two
// VVGs of a host retraining) would restore it in the wrong order and
// leave it at 25. So one training runs at a time, which also keeps a
// host's peak at one training's.
func releasing(train func()) {
	training.Lock()
	defer training.Unlock()
	defer debug.FreeOSMemory()
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	train()
}

// training is held by the one training running (releasing).
var training sync.Mutex
