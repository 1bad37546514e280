package mailparse

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkParse reports MB/s and allocations over the development corpus:
// all of it, the 2.8 MB message alone, and the other 29 messages.
func BenchmarkParse(b *testing.B) {
	files, err := filepath.Glob("testdata/mail/*.eml")
	if err != nil || len(files) == 0 {
		b.Fatalf("no corpus: %v", err)
	}
	var all, large, small [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, raw)
		if strings.Contains(f, "d13_") {
			large = append(large, raw)
		} else {
			small = append(small, raw)
		}
	}
	for _, set := range []struct {
		name string
		msgs [][]byte
	}{{"corpus", all}, {"large", large}, {"small", small}} {
		b.Run(set.name, func(b *testing.B) {
			var n int64
			for _, m := range set.msgs {
				n += int64(len(m))
			}
			b.SetBytes(n)
			b.ReportAllocs()
			for b.Loop() {
				for _, m := range set.msgs {
					if _, err := Parse(bytes.NewReader(m), ParseOptions{}); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
