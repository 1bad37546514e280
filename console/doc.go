// Package console is the staff web console ("VVG darbuotojų pultas"): the
// VVG office runs a whole consultation in the browser — the review queue,
// the list of suggestions with full-text search, one suggestion with its
// actions (measure, decision, note, withdraw, split, merge), the messages
// that arrived, the consultations, the outbox and the audit log, and the
// accounts. It is served by `vvgintake run` on its own listener.
//
// Pages are server-rendered html/template in Lithuanian (English with
// ?lang=en); every action is a plain form POST, and a small script adds
// keyboard shortcuts. Sessions live in the ledger (the cookie's digest,
// never the cookie), every POST carries the session's CSRF token, and
// logins are throttled per account and per client in the ledger.
//
// It owns no rule: filing, deciding, withdrawing, splitting, merging and
// assigning go through intake.Pipeline and the ledger, as the CLI's do.
//
// Adding a screen: write templates/NAME.html (a "content" template), add
// its English strings' Lithuanian to texts.go, write a handler
// func(w, r, *request) that calls s.render(w, r, q, "NAME", title, data),
// and add one line to routes() with the least role that may use it.
// POST routes get the CSRF check and the audit actor from the request.
// The route table test then checks the new route's guards by itself.
package console
