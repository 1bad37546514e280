// Package redact finds the personal data in a resident's suggestion and
// hides it before the consultation's results table (the table of
// suggestions, decisions and reasons a VVG must publish) is made public.
//
// It owns:
//   - Find, which returns the spans of personal data in a Lithuanian or
//     English text: private persons' names in any grammatical case, e-mail
//     addresses, telephone numbers, personal codes (asmens kodas), IBANs,
//     house addresses and links to one person's profile;
//   - Apply, Normalize and Validate, which turn a span list, as Find made
//     it or as staff edited it in the console, into the published text;
//   - the word lists behind the name rules (first names, places, the words
//     around a signature), embedded in the package;
//   - the labelled set in testdata/ that measures all of it.
//
// It does not decide what is published or when, store spans, or show them
// to staff: the console and the ledger do that. It imports nothing of
// vvgintake.
//
// # What is personal data here
//
// The Personal Data Protection law (BDAR, GDPR art. 4(1)) protects data
// about an identifiable natural person. A suggestion names the sender and
// sometimes neighbours, relatives or staff of an institution; those names
// and the means to reach or identify them go. What a VVG must publish to
// explain a decision stays: measure codes (priemonė 2.2), years, sums,
// dates, percentages, counts, place names, streets without a house number
// (a street is shared by many households) and organisations' names (an
// organisation's name is published when it gave one). A postal code alone
// (LT-44280) stays: Lithuanian codes cover a street section, like a
// street name does. Public office holders named in their role are kept
// only when the caller lists them in Known.Public: the text alone cannot
// tell them from a neighbour.
//
// Find errs on the side of hiding: staff see every span before publishing
// and can remove one, while a missed name is published.
//
// # Glossary
//
//   - asmens kodas: the 11-digit personal code, GYYMMDDNNNC.
//   - VVG (vietos veiklos grupė): Local Action Group.
//   - g. (gatvė), pr. (prospektas), al. (alėja), pl. (plentas),
//     skg. (skersgatvis), tak. (takas), a. (aikštė), kel. (kelias),
//     k. (kaimas): the street and village words of an address.
//   - -ienė, -aitė, -ytė, -utė, -ūtė: the married and unmarried women's
//     surname endings.
package redact
