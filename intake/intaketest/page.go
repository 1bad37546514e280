package intaketest

import (
	"strings"
	"testing"
)

// CheckShows fails t for every string of want that the page body lacks and
// every one of unwanted that it shows: a page of one consultation must
// offer its own strategy's measures and none of another strategy's. what
// names the page in the messages ("GET /review/VVG-2026-0001").
func CheckShows(t testing.TB, what, body string, want, unwanted []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s shows %q, another strategy's", what, u)
		}
	}
}
