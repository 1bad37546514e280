// Package web holds the HTTP pieces that the residents' form and the
// staff console share, written once: who the client is behind a trusted
// reverse proxy (ClientOf) and whether it is this machine (Local), a
// per-client rate limiter (Limiter), and the strict response headers
// (SecurityHeaders, NoStore).
//
// It imports nothing else of vvgintake, so the form stays free of the
// rest of the program.
package web
