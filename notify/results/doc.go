// Package results makes a consultation's results table (pasiūlymų
// vertinimo lentelė): the table a Lithuanian VVG publishes after a
// consultation to show how each suggestion was taken into account — the
// suggestion, the decision (atsižvelgta, iš dalies atsižvelgta,
// neatsižvelgta) and the reasons (argumentai).
//
// It owns:
//   - Build, which reads the table from the ledger with every suggestion's
//     personal data hidden: the redaction staff saved in the console, or
//     else the one frozen at publication, or else what package redact
//     finds now (Spans);
//   - the table's renderings: an HTML page the VVG can put on its website
//     that prints as an A4 landscape table, a PDF (A4 landscape, DejaVu
//     Sans embedded for the Lithuanian letters), and XLSX and CSV made by
//     the ledger's export writers (ledger.NewTable);
//   - Plan and Publish, which publish a consultation: who gets a decision
//     letter is the caller's rule (intake's, passed in as LetterTo), the
//     lifecycle's checks are the ledger's (ledger.Publish); this package
//     freezes the redactions and puts the two together.
//
// It does not send mail (package notify writes the decision letters and
// the results report) and does not decide anything about a suggestion.
//
// The fonts in fonts/ are DejaVu Sans from Debian's fonts-dejavu-core,
// under the Bitstream Vera licence (fonts/LICENSE), which allows
// embedding them; the PDF carries a subset of their glyphs.
//
// # Withdrawn suggestions
//
// A withdrawn suggestion (spam, or a duplicate merged into another case)
// has no row: it left every count when it was withdrawn, and a duplicate's
// resident is answered by the case it joined. Lithuanian practice
// publishes the suggestions considered; spam was not one.
//
// # Glossary
//
//   - pasiūlymų vertinimo lentelė: the table of suggestions and how each
//     was taken into account.
//   - teikėjas: who made the suggestion: a resident (gyventojas) or an
//     organisation's type, with the organisation's name when it gave one.
//   - argumentai: the reasons for the decision.
package results
