package spam

import (
	"strings"
	"testing"
)

// BenchmarkScore scores a long resident's letter (read up to
// MaxTextBytes) and a short advert. go test -bench Score -benchmem
// prints ns/op and allocs/op; nothing asserts them.
func BenchmarkScore(b *testing.B) {
	m := Default()
	long := strings.Repeat("Laba diena, siūlau įrengti bendruomenės namuose dienos centrą senjorams – kaina apie 25 000 €, žr. https://www.example.lt/planas. ", 100)
	for _, bm := range []struct{ name, subject, text string }{
		{"long letter", "Pasiūlymas dėl senjorų dienos centro", long},
		{"short advert", "WIN $5000 NOW!!!", "Click http://prize.example.com to claim your prize $5000!!! Limited time offer."},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(min(len(bm.text), MaxTextBytes) + len(bm.subject)))
			for b.Loop() {
				m.Score(bm.subject, bm.text, Hints{})
			}
		})
	}
}
