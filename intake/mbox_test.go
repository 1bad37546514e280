package intake

import (
	"bufio"
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
)

// mboxStream generates an mbox of three messages whose middle one has
// body bytes of one long line and many short ones, without holding it.
func mboxStream(body int64) io.Reader {
	small := func(n int) string {
		return "From ona@example.lt Fri Nov 20 11:00:00 2026\nFrom: ona@example.lt\nSubject: " + strings.Repeat("x", n) +
			"\n\n>From the start of a line\nSiūlau taką.\n"
	}
	line := bytes.Repeat([]byte("a"), 1<<20)
	big := io.MultiReader(strings.NewReader("From spam@example.com Fri Nov 20 11:00:01 2026\nFrom: spam@example.com\nSubject: big\n\n"),
		io.LimitReader(repeatReader{line}, body), strings.NewReader("\n"))
	return io.MultiReader(strings.NewReader(small(1)), big, strings.NewReader(small(2)))
}

type repeatReader struct{ b []byte }

func (r repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], r.b)
	}
	return n, nil
}

// TestReadMboxLimit: a message past the limit is reported by its size and
// not kept, the messages around it are read, and memory stays near the
// limit (a 200 MB message took the importer to 852 MB before).
func TestReadMboxLimit(t *testing.T) {
	const limit = 1 << 20
	const body = 64 << 20
	var got []MboxMessage
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := ReadMbox(bufio.NewReaderSize(mboxStream(body), 64<<10), limit, func(m MboxMessage) error {
		got = append(got, m)
		return nil
	})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d messages, want 3", len(got))
	}
	for _, i := range []int{0, 2} {
		if !bytes.Contains(got[i].Raw, []byte("\nFrom the start of a line\n")) || got[i].FromLine.IsZero() {
			t.Errorf("message %d: %q, want it whole, >From un-escaped, with its date", i+1, got[i].Raw)
		}
	}
	if got[1].Raw != nil || got[1].Size < body {
		t.Errorf("big message: raw %d bytes, size %d; want none kept and its size", len(got[1].Raw), got[1].Size)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("reading a %d MB message allocated %d MB, want a few times the %d MB limit at most", body>>20, alloc>>20, limit>>20)
	}
}
