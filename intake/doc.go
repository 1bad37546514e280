// Package intake turns what residents send into suggestions: it reads the
// VVG mailbox over IMAP (IDLE or polling), parses every MIME message into
// the resident's own text and attachments, tells automatic mail (auto-replies,
// bounces, lists, spam) from a person's, and serves the public web form.
//
// It imports nothing else of vvgintake: storage and classification are
// reached through the interfaces the caller passes in (Sink for the
// mailbox, FormStore for the form). It does not decide which consultation a
// message belongs to or whether it opens a case: the caller does, with the
// ledger.
//
// Lithuanian terms in the code and the residents' mail:
//   - pasiūlymas: a suggestion; konsultacija: a consultation (call for suggestions)
//   - VVG (vietos veiklos grupė): the Local Action Group running it
//   - "… rašė:": "… wrote:" (a quoted reply follows); "Išsiųsta iš mano …": "Sent from my …"
//   - Automatinis atsakymas / Autoatsakymas: automatic reply (out of office)
//   - Nuo / Išsiųsta / Kam / Tema: Outlook's From / Sent / To / Subject in a quoted header block
package intake
