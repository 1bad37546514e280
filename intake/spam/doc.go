// Package spam scores a message's content for spam, so that the intake
// does not acknowledge adverts and scams: each such acknowledgement goes
// to a forged address (backscatter) and hurts the VVG's sending
// reputation.
//
// It owns the features, the model file format, scoring with evidence,
// the band rule and training (Train, used by the training program in
// train/). It does not parse mail, look at headers other than through
// Hints, or decide what the intake does with automatic mail, bounces and
// lists (the loop guard, which runs first). It imports nothing of
// vvgintake.
//
// # Glossary
//
//   - VVG (vietos veiklos grupė): Local Action Group, whose mailbox
//     receives residents' suggestions (pasiūlymai) during a consultation.
//   - Ham: a person's mail, recorded and acknowledged.
//   - Unsure: recorded as a suggestion for staff review, not acknowledged.
//   - Spam: recorded as spam, never acknowledged.
package spam
