// Command mkmailbox writes a Maildir of synthetic consultation mail for the
// ingest benchmark (bench/ingest.sh): residents' suggestions in the shapes
// mail programs send (plain, base64, text+HTML, with photos or PDFs), plus
// some autoresponder and list mail. Sizes follow what a small
// organisation's mailbox holds: mostly 2-20 KB, about one in twelve with a
// 50-600 KB attachment, and, with -big-every, some carrying a large one.
//
// Files go to DIR/cur with the Maildir ",S=size,W=vsize" fields, so
// Dovecot need not read a file to learn its size, and their mtime is the
// INTERNALDATE (-date), which routing to a consultation goes by.
//
//	mkmailbox -dir /tmp/m/Maildir -n 10000 [-big-every 50 -big-mb 3] [-seed 1]
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"math/rand/v2"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

func main() {
	dir := flag.String("dir", "", "Maildir to create (its cur/new/tmp are made)")
	n := flag.Int("n", 10000, "number of messages")
	bigEvery := flag.Int("big-every", 0, "every Nth message carries a large attachment (0: none)")
	bigMB := flag.Float64("big-mb", 3, "size of the large attachment in MB (before base64)")
	seed := flag.Uint64("seed", 1, "random seed")
	date := flag.String("date", "2026-11-20", "INTERNALDATE (file mtime) of the messages, UTC")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "mkmailbox: -dir is required")
		os.Exit(2)
	}
	day, err := time.Parse(time.DateOnly, *date)
	if err != nil {
		fmt.Fprintf(os.Stderr, "mkmailbox: -date: %v\n", err)
		os.Exit(2)
	}
	rng := rand.New(rand.NewPCG(*seed, 0x6d6b6d62))
	g := &gen{rng: rng, people: intaketest.NewResidents(rng), bigEvery: *bigEvery, bigBytes: int(*bigMB * (1 << 20))}
	total, err := g.write(*dir, *n, day.Add(9*time.Hour))
	if err != nil {
		fmt.Fprintf(os.Stderr, "mkmailbox: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d messages, %d bytes\n", *n, total)
}

// gen makes the messages; one per call of message.
type gen struct {
	rng      *rand.Rand
	people   intaketest.Residents
	bigEvery int
	bigBytes int
}

// write creates the Maildir and its n messages and returns their total size.
func (g *gen) write(dir string, n int, at time.Time) (int64, error) {
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return 0, fmt.Errorf("make maildir: %w", err)
		}
	}
	var total int64
	for i := 1; i <= n; i++ {
		raw := g.message(i, at)
		// Maildir holds LF line ends; IMAP sizes count CRLF (RFC 3501
		// RFC822.SIZE), which is the W= (virtual size) field.
		vsize := len(raw) + bytes.Count(raw, []byte("\n"))
		name := fmt.Sprintf("%d.M%dP1.bench,S=%d,W=%d:2,", at.Unix(), i, len(raw), vsize)
		path := filepath.Join(dir, "cur", name)
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			return total, fmt.Errorf("write message %d: %w", i, err)
		}
		mt := at.Add(time.Duration(i) * time.Second)
		if err := os.Chtimes(path, mt, mt); err != nil {
			return total, fmt.Errorf("date message %d: %w", i, err)
		}
		total += int64(len(raw))
	}
	return total, nil
}

// filler pads a long letter.
const filler = "Be to, norėčiau pridurti, kad bendruomenėje yra daug aktyvių žmonių, kurie mielai prisidėtų prie šių darbų.\n"

// message returns message i with LF line ends, as an MTA stores it.
func (g *gen) message(i int, at time.Time) []byte {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	date := at.Add(time.Duration(i) * time.Second).In(time.FixedZone("EET", 2*3600)).Format(time.RFC1123Z)
	first, last := g.people.Name()
	from := g.people.Address(first, last, i)
	fmt.Fprintf(w, "Return-Path: <%s>\nDelivered-To: vvgaleksotas@gmail.com\n", from)
	fmt.Fprintf(w, "Received: from mail-%d.example.net (mail-%d.example.net [192.0.2.%d])\n\tby mx.google.com with ESMTPS id %x;\n\t%s\n",
		i, i, i%250+1, g.rng.Uint64(), date)
	fmt.Fprintf(w, "From: %s <%s>\nTo: Aleksoto VVG <vvgaleksotas@gmail.com>\n", mime.QEncoding.Encode("utf-8", first+" "+last), from)
	fmt.Fprintf(w, "Subject: %s\nDate: %s\nMessage-ID: <CA%016X.%d@mail.example.net>\nMIME-Version: 1.0\n",
		mime.BEncoding.Encode("utf-8", "Pasiūlymas strategijai"), date, g.rng.Uint64(), i)
	switch r := g.rng.Float64(); {
	case r < 0.05:
		w.WriteString("Auto-Submitted: auto-replied\nContent-Type: text/plain; charset=utf-8\n\nEsu atostogose, grįšiu gruodžio 1 d.\n")
	case r < 0.10:
		w.WriteString("List-Id: Bendruomenių naujienos <naujienos.example.lt>\nPrecedence: list\nContent-Type: text/plain; charset=utf-8\n\n")
		g.text(w, first, last, i)
	default:
		g.suggestion(w, first, last, i)
	}
	w.Flush()
	return b.Bytes()
}

// text writes a resident's text: 1-3 ideas, sometimes a long explanation.
func (g *gen) text(w *bufio.Writer, first, last string, i int) {
	fmt.Fprintf(w, "Laba diena,\n\n")
	for k := 1 + g.rng.IntN(3); k > 0; k-- {
		w.WriteString(g.people.Idea() + "\n")
	}
	for k := g.rng.IntN(3) * g.rng.IntN(25); k > 0; k-- {
		w.WriteString(filler)
	}
	fmt.Fprintf(w, "Gyvenu Aleksote, Veiverių g. %d.\n\nPagarbiai,\n%s %s\n", i, first, last)
}

// suggestion writes the MIME body of a resident's suggestion.
func (g *gen) suggestion(w *bufio.Writer, first, last string, i int) {
	var t bytes.Buffer
	tw := bufio.NewWriter(&t)
	g.text(tw, first, last, i)
	tw.Flush()
	text := t.String()
	big := g.bigEvery > 0 && i%g.bigEvery == 0
	switch r := g.rng.Float64(); {
	case big || r < 0.08:
		size := 50<<10 + g.rng.IntN(550<<10)
		name, ctype := fmt.Sprintf("nuotrauka-%d.jpg", i), "image/jpeg"
		if big {
			size, name, ctype = g.bigBytes, fmt.Sprintf("planas-%d.pdf", i), "application/pdf"
		}
		bd := fmt.Sprintf("mix%016x", g.rng.Uint64())
		fmt.Fprintf(w, "Content-Type: multipart/mixed; boundary=%q\n\n--%s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s\n", bd, bd, text)
		fmt.Fprintf(w, "--%s\nContent-Type: %s; name=%q\nContent-Disposition: attachment; filename=%q\nContent-Transfer-Encoding: base64\n\n", bd, ctype, name, name)
		g.base64(w, size)
		fmt.Fprintf(w, "--%s--\n", bd)
	case r < 0.40:
		bd := fmt.Sprintf("alt%016x", g.rng.Uint64())
		html := `<div dir="ltr"><p>` + strings.ReplaceAll(strings.TrimSpace(text), "\n", "<br>\n") + `</p></div>`
		fmt.Fprintf(w, "Content-Type: multipart/alternative; boundary=%q\n\n--%s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s\n", bd, bd, text)
		fmt.Fprintf(w, "--%s\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s\n--%s--\n", bd, html, bd)
	default:
		fmt.Fprintf(w, "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s", text)
	}
}

// base64 writes n random bytes (incompressible, like a photo) as base64
// in 76-character lines (RFC 2045 §6.8).
func (g *gen) base64(w *bufio.Writer, n int) {
	raw := make([]byte, 57) // 57 bytes → one 76-character line
	line := make([]byte, 76)
	for n > 0 {
		k := min(n, len(raw))
		for j := 0; j < k; j++ {
			raw[j] = byte(g.rng.Uint32())
		}
		m := base64.StdEncoding.EncodedLen(k)
		base64.StdEncoding.Encode(line[:m], raw[:k])
		w.Write(line[:m])
		w.WriteByte('\n')
		n -= k
	}
}
