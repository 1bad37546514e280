package mailparse

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestTransferBase64(t *testing.T) {
	tests := []struct {
		name, in, want string
		serious        bool
	}{
		{"clean", "UGFzacWrbHltYXM=\r\n", "Pasiūlymas", false},
		{"line breaks", "UGFz\r\nacWr\r\nbHlt\r\nYXM=", "Pasiūlymas", false},
		{"illegal characters", "UGF!!z*acWrbHl$tYXM=", "Pasiūlymas", true},
		{"missing padding", "UGFzacWrbHltYXM", "Pasiūlymas", true},
		{"lone sextet", "UGFzacWrbHltYXMxQ", "Pasiūlymas1", true},
		{"concatenated blocks", "YQ==Yg==", "ab", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rep := decodeAll(t, "Base64", iotest.OneByteReader(strings.NewReader(tt.in)))
			if got != tt.want || rep.serious() != tt.serious {
				t.Errorf("got %q (serious %v: %s), want %q (serious %v)", got, rep.serious(), rep.problem(), tt.want, tt.serious)
			}
			whole, _ := decodeBase64Lenient([]byte(tt.in))
			if string(whole) != tt.want {
				t.Errorf("decodeBase64Lenient: got %q, want %q", whole, tt.want)
			}
		})
	}
}

func TestTransferQuotedPrintable(t *testing.T) {
	tests := []struct {
		name, in, want string
		bad            int
	}{
		{"escapes", "Pasi=C5=ABlymas", "Pasiūlymas", 0},
		{"lower-case hex", "Pasi=c5=ablymas", "Pasiūlymas", 0},
		{"soft break crlf", "ilg=\r\nas", "ilgas", 0},
		{"soft break lf", "ilg=\nas", "ilgas", 0},
		{"soft break with blanks", "ilg= \t\r\nas", "ilgas", 0},
		{"trailing blanks dropped", "a  \r\nb\t\r\n", "a\r\nb\r\n", 0},
		{"inner blanks kept", "a  b", "a  b", 0},
		{"bad escape kept", "100=% tikra =XY", "100=% tikra =XY", 2},
		{"raw 8-bit passes", "už", "už", 0},
		{"dangling escape", "ab=4", "ab=4", 1},
		{"final soft break", "ab=", "ab", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rep := decodeAll(t, "quoted-printable", iotest.HalfReader(strings.NewReader(tt.in)))
			if got != tt.want || rep.badEscape != tt.bad {
				t.Errorf("got %q (%d bad), want %q (%d bad)", got, rep.badEscape, tt.want, tt.bad)
			}
		})
	}
}

func TestTransferIdentity(t *testing.T) {
	for _, cte := range []string{"", "7bit", "8bit", "binary", " 8BIT "} {
		got, rep := decodeAll(t, cte, strings.NewReader("x=41"))
		if got != "x=41" || rep.problem() != "" {
			t.Errorf("%q: got %q (%s), want the bytes unchanged", cte, got, rep.problem())
		}
	}
	_, rep := transferReader("x-uuencode", strings.NewReader(""))
	if !rep.unknown {
		t.Errorf("x-uuencode not reported as unknown")
	}
}

// decodeAll reads all of in through the decoder for Content-Transfer-Encoding
// cte and returns what it gave and what it reported.
func decodeAll(t *testing.T, cte string, in io.Reader) (string, *encodingReport) {
	t.Helper()
	r, rep := transferReader(cte, in)
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(got), rep
}
