package classify

// hyper holds the model's internal hyper-parameters. They are constants
// chosen by cross-validation (see the tests), not configuration.
type hyper struct {
	feat          featConf
	pseudoWeight  float64 // weight of a measure's title+description+keywords document
	keywordWeight float64 // weight of each keyword as its own tiny document
	nbAlpha       float64
	cnbAlpha      float64
	lr            lrParams
	nbTemp        float64
	cnbTemp       float64
	lrTemp        float64
	ensembleW     [3]float64  // nb, cnb, lr
	gateMix       float64     // weight of the other gate's probability in P(other); 0 = no gate
	cal           calibration // the last step of every answer
	gateTemp      float64
	gateLR        lrParams
	closeMin      float64 // Result.Close: the second choice has at least this probability
	// The nearest examples' second opinion (neighbours.go): a result
	// less sure than nearBelow goes to review when its label has less
	// than nearAgree of the similarity of the text's nearK nearest
	// examples, found reading at most nearBudget postings. Only when
	// every label has nearMinPer examples (0: never).
	nearK      int
	nearAgree  float64
	nearBelow  float64
	nearBudget int
	nearMinPer int
}

func defaultHyper() hyper {
	return hyper{
		feat:          featConf{prefixLen: 5, minGram: 4, maxGram: 4, negation: true, cues: true, advert: true, ask: true},
		pseudoWeight:  2,
		keywordWeight: 0.5,
		nbAlpha:       0.3,
		cnbAlpha:      0.3,
		lr: lrParams{
			epochs:  10,
			updates: 40000,
			eta0:    0.5,
			lambda:  1e-4,
			groupW:  [numKinds]float32{0, 1, 0.6, 0.8, 1, 1},
		},
		nbTemp:    1.5,
		cnbTemp:   42,
		lrTemp:    3.7,
		ensembleW: [3]float64{1, 0.25, 1},               // TestTuneByAuthorVariants: the n-gram model weighs less for new authors
		gateMix:   0.3,                                  // TestTuneByAuthorVariants, with thirty-two authors (0.2–0.3 fit best)
		cal:       calibration{temp: 1.55, other: 1.15}, // TestTuneByAuthor: fitted on predictions for authors the model was not trained on
		gateTemp:  1,
		gateLR: lrParams{
			epochs:  10,
			updates: 40000,
			eta0:    0.5,
			lambda:  1e-4,
			groupW:  [numKinds]float32{0, 1, 0.6, 0.8, 1, 8},
		},
		closeMin:   0.2,
		nearK:      10,
		nearAgree:  0.5,
		nearMinPer: 10,
		nearBelow:  0.999,
		nearBudget: 4000,
	}
}
