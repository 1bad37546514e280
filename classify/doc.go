// Package classify files a resident's suggestion under the strategy measure
// (priemonė) it concerns, with a confidence, a secondary measure and the
// terms that decided it.
//
// It owns Lithuanian text handling (normalisation, tokenisation, stop words
// and a Snowball Lithuanian stemmer) and the model. It does not know where
// text comes from or where results are stored: measures and labelled
// examples are handed to it by the caller.
package classify
