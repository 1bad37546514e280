package classify

// Result is the classifier's decision for one suggestion.
type Result struct {
	// Label is the primary measure code (or Options.OtherLabel).
	Label string
	// Confidence is the model's probability for Label, 0..1. It is
	// calibrated on held-out suggestions by other authors than the
	// training examples', so among results with Confidence near 0.9 about
	// nine in ten are right (Report.Reliability shows how well that holds).
	Confidence float64
	// Secondary is the second most probable label, always named except
	// for degenerate input (empty text, no known words). A reviewer who
	// disagrees with Label usually wants this one.
	Secondary string
	// SecondaryConfidence is Secondary's probability, calibrated like
	// Confidence.
	SecondaryConfidence float64
	// Close is set when Secondary is a real alternative (its probability
	// is at least 0.2): the text spans two measures, or the model could not
	// tell them apart.
	Close bool
	// Evidence holds the few words, as the resident wrote them
	// (normalised), that pushed most towards Label rather than Secondary;
	// a word the resident rejected is cited as "ne <word>".
	Evidence []string
	// NeedsReview is set when Confidence is below the review threshold,
	// when the examples most like the text were mostly filed under other
	// labels (neighbours.go), or when the input is degenerate (empty, no
	// known words).
	NeedsReview bool

	// near is, per label, its share of the similarity of the text's
	// nearest examples (neighbours.go); set only for evaluation.
	near map[string]float64
}
