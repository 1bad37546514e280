package web

import "net/http"

// SecurityHeaders sets the strict headers on every response, before any
// handler writes: the Content-Security-Policy csp (which should forbid
// scripts from elsewhere, framing and foreign form targets), no MIME
// sniffing, no referrer leaving the site (it could carry a reference
// number), and no framing for browsers that predate frame-ancestors.
func SecurityHeaders(csp string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// NoStore marks a response that must never be cached: pages that carry
// single-use tokens or residents' words (a shared library computer's Back
// button must not show them either).
func NoStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }
