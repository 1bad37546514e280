package mailparse

import (
	"bytes"
	"encoding/base64"
	"io"
	"testing"
	"testing/iotest"
)

// feedAll is the reference decoder: every byte through b64.feed.
func feedAll(in []byte) ([]byte, encodingReport) {
	rep := encodingReport{encoding: "base64"}
	d := b64{rep: &rep}
	var out []byte
	for _, c := range in {
		out = d.feed(c, out)
	}
	return d.partial(out, true), rep
}

// FuzzBase64 checks that the fast path of the lenient decoder (whole
// decoder and streaming reader) gives exactly the bytes and the damage
// report of the byte-by-byte reference, for any input.
func FuzzBase64(f *testing.F) {
	for _, s := range []string{
		"", "QQ==", "QUJD", "QUJDRA", "QU JD\r\nRA==", "QUJD=RUZH", "Q", "QUJ\x00DRA==",
		wrap76(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("Pasiūlymas dėl dviračių tako. "), 40))),
		"////++++\r\n" + "AAAA====BBBB",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		want, wantRep := feedAll(in)
		got, rep := decodeBase64Lenient(in)
		if !bytes.Equal(got, want) || *rep != wantRep {
			t.Fatalf("decodeBase64Lenient(%q) = %q %+v, want %q %+v", in, got, *rep, want, wantRep)
		}
		// Streamed in one piece and one byte at a time, so quanta and
		// runs split across reads.
		for _, src := range []io.Reader{bytes.NewReader(in), iotest.OneByteReader(bytes.NewReader(in))} {
			r, rrep := transferReader("base64", src)
			streamed, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(streamed, want) || *rrep != wantRep {
				t.Fatalf("streamed %q = %q %+v (%v), want %q %+v", in, streamed, *rrep, err, want, wantRep)
			}
		}
	})
}

// wrap76 breaks base64 into lines of 76 characters.
func wrap76(s string) string {
	var b bytes.Buffer
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

// BenchmarkBase64Reader streams a 1 MB attachment, wrapped at 76
// characters, through the lenient decoder.
func BenchmarkBase64Reader(b *testing.B) {
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i * 7 >> 3)
	}
	in := []byte(wrap76(base64.StdEncoding.EncodeToString(data)))
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		r, _ := transferReader("base64", bytes.NewReader(in))
		if n, err := io.Copy(io.Discard, r); err != nil || n != int64(len(data)) {
			b.Fatal(n, err)
		}
	}
}
