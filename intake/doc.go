// Package intake is the pipeline: a raw e-mail (from the mailbox or an
// import) or a web-form post becomes a case or a route — parsed, told
// apart from automatic mail, matched to the case it continues or routed
// to a consultation, classified — and is recorded with its
// acknowledgement in the ledger in one transaction.
//
// Its sources live in the packages below it, none of which imports the
// others: mailparse (MIME and the loop-guard kinds), mailbox (IMAP) and
// form (the residents' web form).
//
// # Acknowledgements
//
// A person's new message is acknowledged once, to Reply-To or From,
// unless the loop guard (mailparse) says it is automatic, the content
// score (spam) calls it Spam (recorded as spam, no case) or Unsure, or
// our receiving server's Authentication-Results say the From domain fails
// DMARC or passes neither SPF nor DKIM (trust.go). Unsure and failed
// authentication still open a case, for staff review, with the reason in
// the submission's ack_withheld: a resident's suggestion is never lost.
// The ledger's per-sender limit (ledger.AckAllowed) ends what slips
// through.
//
// Measured by bench/acks.sh (intake/acks_corpus_test.go), each message
// decided alone and filed under an open consultation:
//
//	                                        before   now
//	SpamAssassin spam-2 (1,396, held out)   67.2%    5.5% acknowledged
//	SpamAssassin spam-1 (500, trained on)   69.6%    0.6%
//	SpamAssassin hard ham (held-out fifth)  58.0%   48.0% (the rest lists, bulk, adverts)
//	residents' mail in the repository (371)  100%    100%
//
// The residents are the dev mail corpus's messages that expect an
// acknowledgement, intake/spam's hand-written residents, the absence
// set's residents and the shared suggestions corpus.
package intake
