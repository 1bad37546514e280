//go:build linux

package main

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// crashMail is one message the crash test delivers, with what the ledger
// must make of it.
type crashMail struct {
	Raw       []byte
	MessageID string // without <>
	From      string // lower-case address
	Want      string // the disposition the ledger must record
	Copy      bool   // the second delivery of an earlier message (an alias, a resent copy)
}

// crashDeliverer returns deliver, which appends a batch of mail to srv's
// INBOX (dated crashDate) and adds it to *mails, the record of every mail
// delivered that the checks compare the ledger with.
func crashDeliverer(t testing.TB, srv *intaketest.Server, mails *[]crashMail) func(batch []crashMail) {
	return func(batch []crashMail) {
		raws := make([][]byte, len(batch))
		for i, m := range batch {
			raws[i] = m.Raw
		}
		srv.AppendMany(t, "INBOX", raws, crashDate)
		*mails = append(*mails, batch...)
	}
}

// crashCorpus generates a realistic, seeded mix of mail: mostly residents'
// suggestions from distinct senders (a few write twice), some
// autoresponders answering the consultation's announcement, some list
// mail, and a few suggestions delivered twice with different trace headers.
type crashCorpus struct {
	rng     *rand.Rand
	people  intaketest.Residents
	n       int
	writers []string // senders who wrote once: candidates for a second suggestion
	twice   map[string]bool
	pending []crashMail // second deliveries held for a later batch
	// Every bigEvery-th message is a suggestion with a bigBytes
	// attachment (benchmarks; 0 = none).
	bigEvery, bigBytes int
}

// crashDate is the INTERNALDATE given to every message: inside the example
// configuration's consultation window, whatever the clock says when CI
// runs, because routing goes by when the server received the mail.
var crashDate = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

func newCrashCorpus(rng *rand.Rand) *crashCorpus {
	return &crashCorpus{rng: rng, people: intaketest.NewResidents(rng), twice: map[string]bool{}}
}

// batch returns n new messages, plus any second deliveries held back from
// earlier batches.
func (c *crashCorpus) batch(n int) []crashMail {
	out := c.pending
	c.pending = nil
	for range n {
		c.n++
		r := c.rng.Float64()
		switch {
		case c.bigEvery > 0 && c.n%c.bigEvery == 0:
			out = append(out, c.suggestion())
		case r < 0.07:
			out = append(out, c.autoReply())
		case r < 0.14:
			out = append(out, c.listMail())
		default:
			m := c.suggestion()
			out = append(out, m)
			if c.rng.Float64() < 0.045 {
				dup := c.secondDelivery(m)
				if c.rng.IntN(2) == 0 {
					out = append(out, dup) // right behind the first copy
				} else {
					c.pending = append(c.pending, dup) // a while later
				}
			}
		}
	}
	return out
}

// flush returns the second deliveries still held back.
func (c *crashCorpus) flush() []crashMail {
	out := c.pending
	c.pending = nil
	return out
}

var (
	crashGreetings = []string{"Laba diena,", "Sveiki,", "Gerbiami VVG atstovai,", "Labas,", "Laba diena, gerbiamieji,"}
	crashSubjects  = []string{"Pasiūlymas strategijai", "Dėl strategijos keitimo", "Pasiūlymas", "Mano idėja Aleksotui",
		"Siūlymas dėl socialinių paslaugų", "Dėl vietos plėtros strategijos", "Pasiūlymai konsultacijai", ""}
)

func (c *crashCorpus) pick(list []string) string { return list[c.rng.IntN(len(list))] }

// header writes the common header fields; extra lines come before MIME.
func (c *crashCorpus) header(b *strings.Builder, fromName, from, subject, msgID string, extra ...string) {
	date := crashDate.Add(time.Duration(c.n) * time.Minute).In(time.FixedZone("EET", 2*3600))
	fmt.Fprintf(b, "Return-Path: <%s>\r\n", from)
	fmt.Fprintf(b, "Received: from mail-%d.example.net (mail-%d.example.net [192.0.2.%d])\r\n\tby mx.google.com with ESMTPS id %x;\r\n\t%s\r\n",
		c.n, c.n, c.n%250+1, c.rng.Uint64(), date.Format(time.RFC1123Z))
	fmt.Fprintf(b, "From: %s <%s>\r\n", mime.QEncoding.Encode("utf-8", fromName), from)
	b.WriteString("To: Aleksoto VVG <vvgaleksotas@gmail.com>\r\n")
	if subject != "" {
		fmt.Fprintf(b, "Subject: %s\r\n", mime.BEncoding.Encode("utf-8", subject))
	}
	fmt.Fprintf(b, "Date: %s\r\n", date.Format(time.RFC1123Z))
	fmt.Fprintf(b, "Message-ID: <%s>\r\n", msgID)
	for _, e := range extra {
		b.WriteString(e + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\n")
}

// suggestion is a resident's message in one of the shapes mail programs
// produce: plain 8bit, quoted-printable, text+HTML, or with an attachment.
func (c *crashCorpus) suggestion() crashMail {
	var first, last, from string
	if len(c.writers) > 3 && c.rng.Float64() < 0.08 {
		// Someone who wrote before writes again (well under the
		// three acknowledgements a day an address may get).
		i := c.rng.IntN(len(c.writers))
		from = c.writers[i]
		c.writers = append(c.writers[:i], c.writers[i+1:]...)
		c.twice[from] = true
		name, _, _ := strings.Cut(from, "@")
		f, l, _ := strings.Cut(name, ".")
		first, last = f, strings.TrimRight(l, "0123456789")
	} else {
		first, last = c.people.Name()
		from = c.people.Address(first, last, c.n)
		c.writers = append(c.writers, from)
	}
	msgID := fmt.Sprintf("CA%016X.%d@mail.example.net", c.rng.Uint64(), c.n)
	var body strings.Builder
	body.WriteString(c.pick(crashGreetings) + "\r\n\r\n")
	for k := 1 + c.rng.IntN(3); k > 0; k-- {
		body.WriteString(c.people.Idea() + "\r\n")
	}
	fmt.Fprintf(&body, "Gyvenu Aleksote, %s g. %d.\r\n", c.pick([]string{"Veiverių", "Jonavos", "Prienų", "Marvelės", "Vaišvydavos"}), c.n)
	// Some residents write at length; pad a few to realistic long mail.
	for k := c.rng.IntN(4) * c.rng.IntN(30); k > 0; k-- {
		body.WriteString("Be to, norėčiau pridurti, kad bendruomenėje yra daug aktyvių žmonių, kurie mielai prisidėtų.\r\n")
	}
	fmt.Fprintf(&body, "\r\nPagarbiai,\r\n%s %s\r\n", first, last)
	text := body.String()

	var b strings.Builder
	c.header(&b, first+" "+last, from, c.pick(crashSubjects), msgID)
	switch r := c.rng.Float64(); {
	case r < 0.5 && !c.big():
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		b.WriteString(text)
	case r < 0.65 && !c.big():
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		b.WriteString(wrap76(base64.StdEncoding.EncodeToString([]byte(text))))
	case r < 0.85 && !c.big():
		bd := fmt.Sprintf("alt%016x", c.rng.Uint64())
		fmt.Fprintf(&b, "Content-Type: multipart/alternative; boundary=%q\r\n\r\n", bd)
		fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", bd, text)
		html := "<div dir=\"ltr\">" + strings.ReplaceAll(text, "\r\n", "<br>\r\n") + "</div>"
		fmt.Fprintf(&b, "--%s\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n--%s--\r\n", bd, html, bd)
	default:
		bd := fmt.Sprintf("mix%016x", c.rng.Uint64())
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n", bd)
		fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", bd, text)
		size := 8<<10 + c.rng.IntN(120<<10)
		if c.big() {
			size = c.bigBytes
		}
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(c.rng.Uint32())
		}
		copy(data, "%PDF-1.4\n")
		fmt.Fprintf(&b, "--%s\r\nContent-Type: application/pdf; name=\"pasiulymas-%d.pdf\"\r\nContent-Disposition: attachment; filename=\"pasiulymas-%d.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
			bd, c.n, c.n)
		b.WriteString(wrap76(base64.StdEncoding.EncodeToString(data)))
		fmt.Fprintf(&b, "--%s--\r\n", bd)
	}
	return crashMail{Raw: []byte(b.String()), MessageID: msgID, From: from, Want: "suggestion"}
}

// secondDelivery is the same message arriving again through another route:
// one more Received line, byte-different, same content.
func (c *crashCorpus) secondDelivery(m crashMail) crashMail {
	trace := fmt.Sprintf("Received: from relay-%d.example.org (relay-%d.example.org [198.51.100.%d])\r\n\tby mx.google.com; %s\r\n",
		c.n, c.n, c.n%250+1, crashDate.Add(time.Duration(c.n)*time.Minute+time.Hour).Format(time.RFC1123Z))
	m.Raw = append([]byte(trace), m.Raw...)
	m.Copy = true
	return m
}

// autoReply is an autoresponder answering the consultation's announcement,
// marked in one of the ways real ones are (RFC 3834 Auto-Submitted, the
// Exchange/webmail X- headers, Precedence).
func (c *crashCorpus) autoReply() crashMail {
	first, last := c.people.Name()
	from := strings.ToLower(fmt.Sprintf("%s.%s%d@savivaldybe.example.lt", intaketest.ASCIIFold(first), intaketest.ASCIIFold(last), c.n))
	msgID := fmt.Sprintf("auto.%d.%x@savivaldybe.example.lt", c.n, c.rng.Uint32())
	marker := []string{"Auto-Submitted: auto-replied", "X-Autoreply: yes", "Precedence: auto_reply"}[c.rng.IntN(3)]
	var b strings.Builder
	c.header(&b, first+" "+last, from, "Automatinis atsakymas: Kvietimas teikti pasiūlymus strategijai", msgID,
		marker, "In-Reply-To: <kvietimas.2026@aleksotovvg.lt>")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	fmt.Fprintf(&b, "Sveiki,\r\n\r\nesu atostogose iki gruodžio %d d. Skubiais klausimais kreipkitės į raštinę.\r\n\r\n%s %s\r\n",
		1+c.rng.IntN(20), first, last)
	return crashMail{Raw: []byte(b.String()), MessageID: msgID, From: from, Want: "auto-reply"}
}

// listMail is a newsletter or mailing-list post (RFC 2919 List-Id, RFC
// 2369 List-Unsubscribe) the VVG's mailbox is subscribed to.
func (c *crashCorpus) listMail() crashMail {
	lists := []struct{ from, id, name string }{
		{"naujienos@bendruomenes.example.lt", "naujienos.bendruomenes.example.lt", "Bendruomenių naujienos"},
		{"info@vvg-tinklas.example.lt", "nariai.vvg-tinklas.example.lt", "VVG tinklo nariai"},
		{"newsletter@leader.example.eu", "news.leader.example.eu", "LEADER newsletter"},
	}
	l := lists[c.rng.IntN(len(lists))]
	msgID := fmt.Sprintf("list.%d.%x@%s", c.n, c.rng.Uint32(), l.id)
	var b strings.Builder
	c.header(&b, l.name, l.from, fmt.Sprintf("%s Nr. %d", l.name, c.n), msgID,
		"List-Id: "+l.name+" <"+l.id+">", "List-Unsubscribe: <mailto:leave-"+l.id+">", "Precedence: list")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	fmt.Fprintf(&b, "Šios savaitės naujienos: %d bendruomenės gavo finansavimą, vyks mokymai projektų vadovams.\r\n", c.n)
	b.WriteString("\r\nNorėdami atsisakyti prenumeratos, atsakykite į šį laišką.\r\n")
	return crashMail{Raw: []byte(b.String()), MessageID: msgID, From: l.from, Want: "list"}
}

// big reports whether the current message carries the big attachment.
func (c *crashCorpus) big() bool { return c.bigEvery > 0 && c.n%c.bigEvery == 0 }

// wrap76 breaks base64 into the 76-character lines RFC 2045 §6.8 requires.
func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	return b.String() + s + "\r\n"
}
