package intake

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/ledger"
)

// Retrain teaches each strategy's classifier the staff corrections made
// on its consultations' suggestions (those to measures it no longer has
// excepted). A strategy whose corrections are the ones it was last
// retrained with is left as it is, so that one correction retrains one
// model, not every strategy's; one with no corrections keeps the model it
// was trained with.
func Retrain(ctx context.Context, s *Strategies, db *ledger.DB) error {
	corr, err := db.Corrections(ctx)
	if err != nil || len(corr) == 0 {
		return err
	}
	extra := GroupCorrections(corr, func(c ledger.Correction) (string, bool) {
		st, err := s.Get(c.Strategy)
		if err != nil || !st.Has(c.Measure) {
			return "", false
		}
		return st.Name, true
	})
	var errs []error
	for _, st := range s.list {
		ex := extra[st.Name]
		sum := fingerprint(ex)
		s.mu.Lock()
		same := s.trained[st] == sum
		s.mu.Unlock()
		if len(ex) == 0 || same {
			continue
		}
		if err := st.Classifier.Retrain(ex); err != nil {
			errs = append(errs, fmt.Errorf("retrain the classifier of %s from %d corrections: %w", st.label(), len(ex), err))
			continue
		}
		s.mu.Lock()
		s.trained[st] = sum
		s.mu.Unlock()
	}
	return errors.Join(errs...)
}

// GroupCorrections gives, by strategy name, the examples the staff
// corrections corr teach, in their order: learner names the strategy
// whose classifier learns c, and says false when none does (a strategy
// removed from the configuration, or a measure removed from a strategy:
// nothing to learn it as). Retrain groups them so; a program that builds
// its classifiers with their corrections (classify.NewWithCorrections,
// Strategy.Corrections) groups them so too, with its configuration as
// learner, and Retrain then finds each trained with them already.
func GroupCorrections(corr []ledger.Correction, learner func(ledger.Correction) (string, bool)) map[string][]classify.Example {
	out := map[string][]classify.Example{}
	for _, c := range corr {
		if name, ok := learner(c); ok {
			out[name] = append(out[name], classify.Example{ID: c.Ref, Text: c.Text, Label: c.Measure})
		}
	}
	return out
}

// fingerprint identifies a list of corrections: the same decisions in the
// same order give the same model.
func fingerprint(ex []classify.Example) string {
	h := fnv.New128a()
	for _, e := range ex {
		fmt.Fprintf(h, "%q %q %q\n", e.ID, e.Label, e.Text)
	}
	return string(h.Sum(nil))
}
