// Package privacy answers for the personal data vvgintake keeps, as the
// GDPR asks of a VVG that is its controller: it finds every record of a
// person (Art. 15), exports them with their files (Art. 15 and 20),
// erases them everywhere — the ledger, its files and the copies in the
// VVG's mailbox — on request (Art. 17), and purges by the retention rules
// (Art. 5(1)(e)).
//
// The rules of what is a person's, what an erasure leaves (an anonymous
// tombstone per case) and what a retention rule takes belong to the
// ledger; deleting mail from the mailbox belongs to package mailbox. This
// package drives them in order and makes each erasure finish: the ledger's
// part is one transaction that also records what is left to do, so a
// crash or an IMAP outage at any point is completed by Resume (which
// `vvgintake run` calls) or by asking again.
//
// It does not decide what happens to a message or a consultation (package
// intake) nor render mail (package notify: Options.Render).
package privacy
