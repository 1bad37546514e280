// Package notify writes and sends what vvgintake tells people by mail:
// acknowledgements (patvirtinimai) to residents who sent a suggestion
// (pasiūlymas), the weekly digest (savaitės suvestinė) to the board
// (valdyba), the closing report (ataskaita) to staff when a consultation
// (konsultacija) closes, and reminders (priminimai) before answers fall due.
//
// It owns:
//   - the message builders BuildAck, BuildDigest, BuildReport and
//     BuildReminder, which turn plain data structs into go-mail messages
//     in Lithuanian (default) or English, with dates in the zone the caller
//     passes (Europe/Vilnius, never time.Local);
//   - the templates they render (templates/, embedded, overridable from a
//     directory through LoadTemplates);
//   - Chart, the PNG bar chart of suggestions per strategy measure
//     (priemonė) inlined in the digest;
//   - Mailer, which submits one message per SMTP session and reports
//     failures as *SendError, temporary (retry) or permanent.
//
// Every message is machine-made and says so (RFC 3834 §5 Auto-Submitted,
// plus X-Auto-Response-Suppress for Exchange), so vacation responders do not
// answer it and the intake side can recognise and ignore any that do: an
// acknowledgement must never start a loop with an auto-responder.
//
//   - Sender, the outbox loop: it claims each due item in the ledger before
//     talking to SMTP, renders it from the ledger at send time under the
//     item's stable Message-ID, marks it sent, retries temporary failures
//     with backoff and jitter, pauses the whole queue on server-wide
//     failures (login, TLS, connection) and fails permanent ones with the
//     server's answer for staff.
//
// The outbox rows themselves (what is due, in doubt, sent) belong to the
// ledger. notify does not read mail (package intake) or classify it
// (package classify).
//
// Package notifytest holds the SMTP test servers: a private Mailpit process
// and Capture, an in-process go-smtp server that can inject failures.
package notify
