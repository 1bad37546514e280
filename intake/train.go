package intake

import (
	"context"
	"fmt"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/ledger"
)

// Retrain teaches the classifier every staff correction in the ledger,
// those to measures the strategy no longer has excepted.
func Retrain(ctx context.Context, clf *classify.Classifier, db *ledger.DB, measures []classify.Measure) error {
	corr, err := db.Corrections(ctx)
	if err != nil || len(corr) == 0 {
		return err
	}
	known := map[string]bool{}
	for _, m := range measures {
		known[m.Code] = true
	}
	extra := make([]classify.Example, 0, len(corr))
	for _, c := range corr {
		if known[c.Measure] {
			extra = append(extra, classify.Example{ID: c.Ref, Text: c.Text, Label: c.Measure})
		}
	}
	if err := clf.Retrain(extra); err != nil {
		return fmt.Errorf("retrain classifier from %d corrections: %w", len(extra), err)
	}
	return nil
}
