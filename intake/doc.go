// Package intake is the pipeline: a raw e-mail (from the mailbox or an
// import) or a web-form post becomes a case or a route — parsed, told
// apart from automatic mail, matched to the case it continues or routed
// to a consultation, classified — and is recorded with its
// acknowledgement in the ledger in one transaction.
//
// Its sources live in the packages below it, none of which imports the
// others: mailparse (MIME and the loop-guard kinds), mailbox (IMAP) and
// form (the residents' web form).
package intake
