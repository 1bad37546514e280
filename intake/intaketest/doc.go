// Package intaketest starts IMAP servers for tests of the intake poller and
// of everything built on it (end-to-end and crash tests).
//
// Two kinds of server run the same tests: go-imap's in-memory server
// (always; milliseconds to start, IMAP4rev2, can check OAuth tokens) and a
// private Dovecot on 127.0.0.1 (when VVGINTAKE_TEST_REAL=1; IMAP4rev1 with
// IDLE, MOVE, UIDPLUS, closer to Gmail). A server that was asked for and
// will not start fails the test; it is never skipped. CutProxy sits in front
// of either and drops connections on demand.
//
// Beside the servers it holds what the tests of the form, the console and
// the end-to-end runs share: the headless browser (Browser, Tab, Viewport,
// Screenshot, Artifacts, CheckShows), the mail corpus's expectations
// (CorpusEntry, LoadCorpus) and StopAtCleanup for a process a test started.
//
// It owns nothing of production: the intake package never imports it.
package intaketest
