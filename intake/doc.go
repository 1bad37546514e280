// Package intake turns what residents send into suggestions: it reads the
// VVG mailbox over IMAP (IDLE or polling), parses every MIME message into
// the resident's own text and attachments, tells automatic mail (auto-replies,
// bounces, lists, spam) from a person's, and serves the public web form.
//
// It imports nothing else of vvgintake: storage and classification are
// reached through the interfaces the caller passes in.
package intake
