// Package readmetest reads the examples of the README for the tests that
// run them (the install steps, the Caddyfile), so that the README cannot
// drift from what works.
package readmetest

import (
	"os"
	"strings"
	"testing"
)

// Block returns the first fenced code block of language lang (```lang)
// after the heading line heading ("## Install and configure") of the
// Markdown file path, without its fences.
func Block(t testing.TB, path, heading, lang string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), heading+"\n")
	if !ok {
		t.Fatalf("%s has no %q section", path, heading)
	}
	_, rest, ok = strings.Cut(rest, "```"+lang+"\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatalf("the %q section of %s has no %s block", heading, path, lang)
	}
	return block
}
