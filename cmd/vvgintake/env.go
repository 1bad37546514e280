package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/ledger"
)

// env is what a command runs with: its streams, configuration and, opened
// on demand, the ledger and the classifier. Nothing here is global.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	environ        []string
	cfgPath        string
	cfg            *Config
	db             *ledger.DB
	log            *slog.Logger
	now            func() time.Time
}

func (e *env) loadConfig() error {
	cfg, err := LoadConfig(e.cfgPath, e.environ)
	if err != nil {
		return err
	}
	e.cfg = cfg
	return nil
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
func openLedger(ctx context.Context, cfg *Config, now func() time.Time, log *slog.Logger) (*ledger.DB, error) {
	if log != nil {
		log = log.With("component", "ledger")
	}
	path := cfg.resolve(cfg.Ledger.Path)
	db, err := ledger.Open(ctx, path, ledger.Options{
		RefPrefix: cfg.Organisation.RefPrefix, ResponseDays: cfg.Response.WorkingDays,
		Location: cfg.Location(), MessageIDDomain: cfg.Organisation.MessageIDDomain, Now: now,
		Logger: log,
	})
	if errors.Is(err, ledger.ErrNewerSchema) {
		return nil, fmt.Errorf("%w: upgrade vvgintake before using this database", err)
	}
	return db, err
}

// syncConsultations creates or updates the consultations the
// configuration declares.
func syncConsultations(ctx context.Context, cfg *Config, db *ledger.DB) error {
	for _, k := range cfg.Consultations {
		c := &ledger.Consultation{
			Slug: k.Slug, Title: k.Title, Description: k.Description,
			OpensAt: k.OpensAt.Time(cfg.Location(), false), ClosesAt: k.ClosesAt.Time(cfg.Location(), true),
			SubjectKeywords: k.SubjectKeywords,
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

// measures converts the configured measures for the classifier.
func (c *Config) measures() []classify.Measure {
	out := make([]classify.Measure, len(c.Measures))
	for i, m := range c.Measures {
		out[i] = classify.Measure{Code: m.Code, Title: m.Title, Description: m.Description, Keywords: m.Keywords}
	}
	return out
}

// measureTitle names a measure in the given language ("" for none).
func (c *Config) measureTitle(code, lang string) string {
	for _, m := range c.Measures {
		if m.Code == code {
			if lang == "en" && m.TitleEN != "" {
				return m.TitleEN
			}
			return m.Title
		}
	}
	return ""
}

func (c *Config) hasMeasure(code string) bool {
	for _, m := range c.Measures {
		if m.Code == code {
			return true
		}
	}
	return false
}

// examples reads the labelled examples the configuration points at.
func (c *Config) examples() ([]classify.Example, error) {
	var all []classify.Example
	for _, p := range c.Classify.Examples {
		f, err := os.Open(c.resolve(p))
		if err != nil {
			return nil, fmt.Errorf("classify.examples: %w", err)
		}
		ex, err := classify.ReadExamples(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("classify.examples %s: %w", p, err)
		}
		all = append(all, ex...)
	}
	return all, nil
}

// newClassifier trains the classifier from the configuration's measures
// and examples plus the staff corrections in the ledger (db may be nil).
func newClassifier(ctx context.Context, cfg *Config, db *ledger.DB) (*classify.Classifier, error) {
	ex, err := cfg.examples()
	if err != nil {
		return nil, err
	}
	clf, err := classify.New(cfg.measures(), ex, classify.Options{ReviewThreshold: cfg.Classify.ReviewThreshold})
	if err != nil {
		return nil, fmt.Errorf("train classifier: %w", err)
	}
	if db != nil {
		if err := intake.Retrain(ctx, clf, db, cfg.measures()); err != nil {
			return nil, err
		}
	}
	return clf, nil
}

// pipelineOptions are the pipeline's rules from the configuration.
func pipelineOptions(cfg *Config, log *slog.Logger, now func() time.Time) intake.Options {
	l := cfg.Limits
	return intake.Options{
		Mailbox: cfg.Organisation.Mailbox, MessageIDDomain: cfg.Organisation.MessageIDDomain,
		LateWindow:  time.Duration(cfg.Response.LateWindowDays) * 24 * time.Hour,
		Acknowledge: cfg.Notify.Acknowledge, MaxAcksPerSenderPerDay: cfg.Notify.MaxAcksPerSenderPerDay,
		BlockedSenders: cfg.Notify.BlockedSenders,
		Parse: mailparse.ParseOptions{MaxAttachmentBytes: int64(l.MaxAttachmentMB) << 20,
			MaxAttachments: l.MaxAttachments, MaxMessageBytes: int64(l.MaxMessageMB) << 20},
		Logger: log, Now: now,
	}
}

// pipeline builds the intake pipeline for a command that records by
// hand; its acknowledgements wait for the daemon's sender.
func (e *env) pipeline(ctx context.Context, component string) (*intake.Pipeline, error) {
	db, err := e.ledger(ctx)
	if err != nil {
		return nil, err
	}
	clf, err := newClassifier(ctx, e.cfg, db)
	if err != nil {
		return nil, err
	}
	return intake.New(db, clf, pipelineOptions(e.cfg, e.logger().With("component", component), e.clock)), nil
}
