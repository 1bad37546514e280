// Package jsonltest reads the JSON-lines sets the tests are measured on
// (labelled texts, mail corpora): one JSON value a line.
package jsonltest

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// maxLine is the longest line a set may hold: a long letter with its
// fields, well past bufio's 64 KiB default.
const maxLine = 1 << 20

// Read decodes every line of the file at path into a T, in order. A
// missing file, a line that is not a T (a blank one included) or a line
// longer than 1 MiB fails the test, naming the file and the line.
func Read[T any](t testing.TB, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, maxLine)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s line %d: %v", path, len(out)+1, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return out
}
