// Package mailbox reads the VVG's mailbox over IMAP: it logs in (password,
// OAUTHBEARER or XOAUTH2 with refresh-token rotation), waits with IDLE or
// polls, fetches what is new by UID, hands each raw message to a Sink and,
// once the Sink has recorded it, marks it with a keyword or moves it. It
// reconnects with backoff and reports the connection's health.
//
// Erase deletes given messages from the mailbox on its own connection
// (an erased person's mail, mail past its retention): by UID where it was
// taken in, by Message-ID confirmed by digest where it went since, and on
// Gmail through the Trash.
//
// It imports nothing else of vvgintake: it does not parse, route or store
// mail. The Sink the caller passes in records each message durably and
// remembers how far each folder has been read (UIDVALIDITY, last UID).
package mailbox
