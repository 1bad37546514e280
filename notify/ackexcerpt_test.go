package notify

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vvgintake/vvgintake/ledger"
)

func TestAckExcerpt(t *testing.T) {
	tests := []struct {
		name, text string
		known      bool
		want       string
	}{
		{"link with scheme", "Siūlau, žr. https://evil.example/pirk?x=1 ir kt.", true, "Siūlau, žr. […] ir kt."},
		{"www", "Daugiau www.evil.example/a čia", true, "Daugiau […] čia"},
		{"address", "Rašykite jonas@evil.example dėl pirkimo", true, "Rašykite […] dėl pirkimo"},
		{"bare domain", "Apsilankykite evil-shop.com/akcija dabar", true, "Apsilankykite […] dabar"},
		{"measure codes and abbreviations stay", "Priemonei 2.1, pvz. p.s. 3,5 km", true, "Priemonei 2.1, pvz. p.s. 3,5 km"},
		{"a stranger gets little", strings.Repeat("žodis ", 100), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ackExcerpt(tt.text, tt.known)
			if tt.want != "" && got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			max := ackExcerptKnown
			if !tt.known {
				max = ackExcerptStranger
			}
			if utf8.RuneCountInString(got) > max {
				t.Errorf("got %d runes, want at most %d", utf8.RuneCountInString(got), max)
			}
		})
	}
}

// TestRenderAckExcerptStranger: the acknowledgement to an address never
// seen before quotes little and no link; once the address is known it
// quotes the usual length. It quoted ~300 characters, links included, to
// any address before.
func TestRenderAckExcerptStranger(t *testing.T) {
	f := newRenderFixture(t)
	ctx := context.Background()
	text := "Pirkite pigiai: https://evil.example/pirk " + strings.Repeat("labai ilgas tekstas ", 30) + "PABAIGA"
	add := func() *ledger.Submission {
		sub, err := f.db.AddSubmission(ctx, &ledger.NewSubmission{ConsultationID: f.cons["strategija-2027"].ID, Source: ledger.SourceForm,
			SenderEmail: "nauja@example.org", Text: text, Ack: &ledger.AckRequest{To: "nauja@example.org"}})
		if err != nil {
			t.Fatal(err)
		}
		return sub
	}
	s := f.sender(t, nil)
	body := func(sub *ledger.Submission) string {
		it := f.outboxItem(t, "ack:"+strconv.FormatInt(sub.ID, 10))
		return renderItem(t, s, it).body(t, "text/plain")
	}
	first := body(add())
	if strings.Contains(first, "evil.example") || strings.Contains(first, "https") {
		t.Errorf("first acknowledgement quotes the link:\n%s", first)
	}
	if strings.Count(first, "labai ilgas") > 5 {
		t.Errorf("first acknowledgement to a new address quotes %d repeats, want a short excerpt:\n%s", strings.Count(first, "labai ilgas"), first)
	}
	second := body(add())
	if n := strings.Count(second, "labai ilgas"); n < 8 {
		t.Errorf("acknowledgement to a known address quotes %d repeats, want the usual length:\n%s", n, second)
	}
}
