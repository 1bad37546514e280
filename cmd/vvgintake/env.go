package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// env is what a command runs with: its streams, configuration and, opened
// on demand, the ledger and the classifier. Nothing here is global.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	environ        []string
	cfgPath        string
	actor          string // --actor: who did a staff action
	cfg            *config.Config
	db             *ledger.DB
	log            *slog.Logger
	now            func() time.Time
	tty            func() bool // is a person watching? (progress.go; nil: ask the terminal)
	cfgDir         string      // -config-dir: a host's directory of VVG files
	vvg            string      // --vvg: the VVG of cfgDir a command is about
	hup            <-chan os.Signal
}

func (e *env) loadConfig() error {
	cfg, err := config.Load(e.cfgPath, e.environ)
	if err != nil {
		return err
	}
	e.cfg = cfg
	e.warnConfig()
	return nil
}

// warnConfig logs what the configuration allows but is unwise.
func (e *env) warnConfig() {
	for _, w := range e.cfg.Warnings() {
		e.logger().Warn("configuration: " + w)
	}
}

func (e *env) clock() time.Time {
	if e.now != nil {
		return e.now()
	}
	return time.Now()
}

// logger returns the configured slog logger writing to stderr.
func (e *env) logger() *slog.Logger {
	if e.log != nil {
		return e.log
	}
	level := slog.LevelInfo
	format := "text"
	if e.cfg != nil {
		level.UnmarshalText([]byte(e.cfg.Log.Level))
		format = e.cfg.Log.Format
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		e.log = slog.New(slog.NewJSONHandler(e.stderr, opts))
	} else {
		e.log = slog.New(slog.NewTextHandler(e.stderr, opts))
	}
	return e.log
}

// ledger opens the database once, applying migrations, and makes sure the
// consultations declared in the configuration exist.
func (e *env) ledger(ctx context.Context) (*ledger.DB, error) {
	if e.db != nil {
		return e.db, nil
	}
	db, err := openLedger(ctx, e.cfg, e.clock, e.logger())
	if err != nil {
		return nil, err
	}
	e.db = db
	if err := syncConsultations(ctx, e.cfg, db); err != nil {
		return nil, err
	}
	return db, nil
}

// openLedger opens the configured ledger; now and log may be nil (the
// wall clock, slog's default logger).
func openLedger(ctx context.Context, cfg *config.Config, now func() time.Time, log *slog.Logger) (*ledger.DB, error) {
	if log != nil {
		log = log.With("component", "ledger")
	}
	opt := cfg.LedgerOptions()
	opt.Now, opt.Logger = now, log
	db, err := ledger.Open(ctx, cfg.LedgerPath(), opt)
	if errors.Is(err, ledger.ErrNewerSchema) {
		return nil, fmt.Errorf("%w: upgrade vvgintake before using this database", err)
	}
	return db, err
}

// syncConsultations creates or updates the consultations the
// configuration declares. A consultation naming no strategy records the
// default's name: "" for the top-level [[measures]], or the one
// [[strategies]] entry there is, which it then stays on when another is
// added.
func syncConsultations(ctx context.Context, cfg *config.Config, db *ledger.DB) error {
	for _, k := range cfg.Consultations {
		st, err := cfg.StrategyFor(k.Strategy) // validated at load
		if err != nil {
			return fmt.Errorf("consultation %s from configuration: %w", k.Slug, err)
		}
		c := &ledger.Consultation{
			Slug: k.Slug, Title: k.Title, Description: k.Description, TitleEN: k.TitleEN, DescriptionEN: k.DescriptionEN,
			OpensAt: k.OpensAt.Time(cfg.Location(), false), ClosesAt: k.ClosesAt.Time(cfg.Location(), true),
			SubjectKeywords: k.SubjectKeywords, Strategy: st.Name,
		}
		if _, err := db.SyncConsultation(ctx, c); err != nil {
			return fmt.Errorf("consultation %s from configuration: %w", k.Slug, err)
		}
	}
	return nil
}

func (e *env) close() {
	if e.db != nil {
		e.db.Close()
		e.db = nil
	}
}

// newClassifier trains the classifier of one strategy from its measures
// and examples, and the staff corrections on its consultations (extra).
func newClassifier(cfg *config.Config, st *config.Strategy, extra []classify.Example, shared *sharedModels) (*classify.Classifier, error) {
	ex, bias, err := st.ReadTraining()
	if err != nil {
		return nil, err
	}
	clf, err := shared.train(cfg, st, ex, bias, extra)
	if err != nil {
		return nil, fmt.Errorf("train the classifier of strategy %s: %w", st.Label(), err)
	}
	return clf, nil
}

// newStrategies trains a classifier for every strategy of the
// configuration, each from its own measures and examples plus the staff
// corrections on its consultations' suggestions in the ledger (db may be
// nil), in one training each (trainStrategies), then lets intake.Retrain
// check them. shared, when not nil, trains each distinct model once per
// host.
func newStrategies(ctx context.Context, cfg *config.Config, db *ledger.DB, shared *sharedModels) (*intake.Strategies, error) {
	s, err := trainStrategies(ctx, cfg, db, shared)
	if err != nil || db == nil {
		return s, err
	}
	// Nothing to do unless trainStrategies grouped the corrections other
	// than Retrain does.
	if err := retrainReleasing(ctx, s, db); err != nil {
		return nil, err
	}
	return s, nil
}

// trainStrategies is newStrategies but for the check: each strategy's
// classifier is trained with its corrections, grouped as intake.Retrain
// groups them so that it finds each trained with them already.
func trainStrategies(ctx context.Context, cfg *config.Config, db *ledger.DB, shared *sharedModels) (*intake.Strategies, error) {
	def, _ := cfg.StrategyFor("")
	var extra map[string][]classify.Example
	if db != nil {
		corr, err := db.Corrections(ctx)
		if err != nil {
			return nil, err
		}
		extra = intake.GroupCorrections(corr, func(c ledger.Correction) (string, bool) {
			st, err := cfg.StrategyFor(c.Strategy)
			if err != nil || !slices.Contains(st.MeasureCodes(), c.Measure) {
				return "", false
			}
			return st.Name, true
		})
	}
	var list []intake.Strategy
	for _, st := range cfg.AllStrategies() {
		clf, err := newClassifier(cfg, st, extra[st.Name], shared)
		if err != nil {
			return nil, err
		}
		list = append(list, intake.Strategy{Name: st.Name, Default: def != nil && st.Name == def.Name,
			Classifier: clf, Corrections: extra[st.Name]})
	}
	return intake.NewStrategies(list...)
}

// pipelineOptions are the pipeline's rules from the configuration.
func pipelineOptions(cfg *config.Config, log *slog.Logger, now func() time.Time) intake.Options {
	o := cfg.PipelineOptions()
	o.Logger, o.Now = log, now
	return o
}

// pipeline builds the intake pipeline for a command that records by
// hand; its acknowledgements wait for the daemon's sender.
func (e *env) pipeline(ctx context.Context, component string) (*intake.Pipeline, error) {
	db, err := e.ledger(ctx)
	if err != nil {
		return nil, err
	}
	strategies, err := newStrategies(ctx, e.cfg, db, nil)
	if err != nil {
		return nil, err
	}
	return intake.New(db, strategies, pipelineOptions(e.cfg, e.logger().With("component", component), e.clock)), nil
}
