package notify

import (
	"errors"
	"time"
)

// Default retry schedule of the outbox.
const (
	// defaultRetryBase is the wait after the first failure. Greylisting
	// servers (RFC 6647 §2.1) typically accept a retry after 1-5 minutes,
	// so the second or third attempt gets through.
	defaultRetryBase = 30 * time.Second
	// defaultRetryMax caps the wait, so a message delayed by a long outage
	// still leaves within the hour after the server is back.
	defaultRetryMax = time.Hour
	// defaultRetryFor is how long a message is retried before it is
	// marked failed. RFC 5321 §4.5.4.1 has relays try for 4-5 days; we
	// stop after 3 because an acknowledgement that late has lost its
	// point, and a failed item is what makes staff look (outbox list).
	defaultRetryFor = 72 * time.Hour
	// jitter spreads retries over the last 20% of each step so that items
	// (and several VVGs on one provider) that failed together do not all
	// come back at once.
	jitter = 0.2
)

// serverWide reports whether err says the SMTP server as a whole cannot
// take mail now, as opposed to refusing this one message. Such a failure
// would repeat for every queued item, so the sender pauses instead of
// moving on to the next one:
//   - no session (connect, greeting, EHLO, STARTTLS, AUTH): nothing about
//     the message was even sent;
//   - MAIL FROM: the reverse-path is the VVG's own address, the same for
//     every message;
//   - reply code 421 at any step: the server is closing the transmission
//     channel (RFC 5321 §3.8, §4.2.3).
//
// RCPT and DATA failures concern the recipient or the content and are
// handled per item.
func serverWide(err error) bool {
	var se *SendError
	if !errors.As(err, &se) {
		return false
	}
	if se.Code == 421 {
		return true
	}
	switch se.Stage {
	case "dial", "connect", "greeting", "ehlo", "helo", "starttls", "auth", "mail from":
		return true
	}
	return false
}
