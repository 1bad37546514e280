// Package classify files a resident's suggestion under the strategy measure
// (priemonė) it concerns, with a confidence, a secondary measure and the
// terms that decided it.
//
// It owns Lithuanian text handling (normalisation, folding of diacritics,
// tokenisation, stop words and a Snowball Lithuanian stemmer), the model,
// and its evaluation (Evaluate, CrossValidate, Report). It does not know
// where text comes from or where results are stored: measures and labelled
// examples are handed to it by the caller, so nothing about one VVG's
// strategy is built in.
//
// # Glossary
//
//   - VVG (vietos veiklos grupė): Local Action Group, the association that
//     runs the local development strategy and its consultation.
//   - priemonė / veikla: a measure (activity) of the strategy, e.g. 1.1
//     "bendrųjų socialinių paslaugų … teikimas"; Measure.Code is its number.
//   - pasiūlymas: a resident's suggestion, the text classified here.
//   - kita: "other", not about any measure (Options.OtherLabel).
//
// # Model
//
// Each word gives three kinds of feature: its Snowball stem with the
// diacritics folded away, its first five folded letters, and the
// character 4-grams of the folded word with word-boundary marks. Folding
// makes "zmones" and "žmonės" the same word; prefixes and n-grams survive
// typos and words the stemmer gets wrong. The measures' titles, descriptions and
// keywords are added as extra training documents, so a strategy works
// before it has many examples.
//
// Three linear models are trained over those features — multinomial naive
// Bayes on the word features, complement naive Bayes on the n-grams, and
// multinomial logistic regression (averaged SGD) on all of them — and the
// default ensemble averages their probabilities. Each model's softmax
// temperature was fitted on held-out predictions, so Confidence behaves
// like a probability and Options.ReviewThreshold means what it says.
// The tuning bench and the method comparison are in the tests
// (compare_test.go, tune_test.go).
//
// Classify reads at most Options.MaxTokens words, so any input costs
// bounded time; empty text, text with no known words, or text mostly in
// another language is flagged NeedsReview.
package classify
