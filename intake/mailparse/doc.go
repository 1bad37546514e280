// Package mailparse turns one raw e-mail into what a resident wrote: the
// decoded headers, the text without quotes, signatures or footers, the
// attachments' names and digests, and the kind of message it is (a
// person's, an auto-reply, a bounce, a list post, spam). It reads
// Lithuanian charsets, HTML-only mail, format=flowed, forwards and
// broken MIME, and always returns a Message: defects are recorded, not
// fatal.
//
// It imports nothing else of vvgintake. It does not decide which
// consultation a message belongs to, whether it opens a case or whether
// it is acknowledged: package intake does, with the ledger. The kinds are
// the one vocabulary of dispositions that the pipeline and the ledger use.
//
// Lithuanian terms in the code and the residents' mail:
//   - pasiūlymas: a suggestion; konsultacija: a consultation (call for suggestions)
//   - VVG (vietos veiklos grupė): the Local Action Group running it
//   - "… rašė:": "… wrote:" (a quoted reply follows); "Išsiųsta iš mano …": "Sent from my …"
//   - Automatinis atsakymas / Autoatsakymas: automatic reply (out of office)
//   - Nuo / Išsiųsta / Kam / Tema: Outlook's From / Sent / To / Subject in a quoted header block
package mailparse
