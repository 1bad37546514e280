// Package form serves the public web form through which residents send a
// suggestion without e-mail ("Pateikite pasiūlymą"): the list of open
// consultations, the form itself in Lithuanian or English, its
// validation, uploads, and the receipt with the reference number. It
// guards itself against forged posts (CSRF tokens bound to a cookie),
// robots (a minimum fill time, a honeypot), floods (a per-client rate
// limit) and oversized or disguised uploads.
//
// It stores nothing itself: the Store the caller passes in lists the
// consultations and records each accepted submission (classified, with
// its acknowledgement) in the ledger.
package form
