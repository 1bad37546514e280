// Package mailbox reads the VVG's mailbox over IMAP: it logs in (password,
// OAUTHBEARER or XOAUTH2 with refresh-token rotation), waits with IDLE or
// polls, fetches what is new by UID, hands each raw message to a Sink and,
// once the Sink has recorded it, marks it with a keyword or moves it. It
// reconnects with backoff and reports the connection's health.
//
// It imports nothing else of vvgintake: it does not parse, route or store
// mail. The Sink the caller passes in records each message durably and
// remembers how far each folder has been read (UIDVALIDITY, last UID).
package mailbox
