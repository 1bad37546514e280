package classify

// Result is the classifier's decision for one suggestion.
type Result struct {
	// Label is the primary measure code (or Options.OtherLabel).
	Label string
	// Confidence is the model's probability for Label, 0..1. It is
	// calibrated on held-out suggestions, so a threshold means roughly
	// "this share of results above it are right".
	Confidence float64
	// Secondary is a second measure when the text plausibly spans two
	// (its probability is close to Label's), else "".
	Secondary string
	// Evidence holds the few words, as the resident wrote them
	// (normalised), that pushed most towards Label.
	Evidence []string
	// NeedsReview is set when Confidence is below the review threshold or
	// the input is degenerate (empty, no known words).
	NeedsReview bool
}
