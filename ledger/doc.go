// Package ledger is the SQLite record of everything vvgintake received and
// sent: consultations (konsultacijos), submissions (pasiūlymai) with their
// reference numbers and deadlines, every inbound message, attachments,
// classification history, the outbox and the staff audit log.
package ledger
