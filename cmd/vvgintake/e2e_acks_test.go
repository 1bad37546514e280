package main

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// ourMailbox is the example configuration's organisation.mailbox.
const ourMailbox = "vvgaleksotas@gmail.com"

// replyMail builds a message answering one of our acknowledgements, as a
// resident's client (auto false) or an out-of-office responder (auto
// true, RFC 3834 §5 "Auto-Submitted: auto-replied") would send it.
func replyMail(from, ackSubject, ackID, msgID, body string, auto bool) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: Aleksoto VVG <%s>\r\n", from, ourMailbox)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", "Re: "+ackSubject))
	fmt.Fprintf(&b, "Date: %s\r\nMessage-ID: <%s>\r\n", time.Now().Format(time.RFC1123Z), msgID)
	fmt.Fprintf(&b, "In-Reply-To: %s\r\nReferences: %s\r\n", ackID, ackID)
	if auto {
		b.WriteString("Auto-Submitted: auto-replied\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(body + "\r\n")
	return []byte(b.String())
}

// TestE2EAcks runs the corpus through IMAP and `run --once` with SMTP
// on: each expected acknowledgement arrives once, to Reply-To else From,
// marked auto-replied, threaded under the resident's message, with the
// reference in the subject and the Lithuanian text intact. Then an
// out-of-office responder answers every acknowledgement, round after
// round, and no case gets a second one; a resident's own reply joins the
// case and the same subject from someone else does not.
func TestE2EAcks(t *testing.T) {
	t.Parallel()
	cs := loadE2ECorpus(t)
	for _, srv := range intaketest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			t.Parallel()
			smtp := startE2ESMTP(t)
			c := newE2ECLI(t, append(imapEnv(srv.Addr, srv.User, srv.Password), smtp.env()...)...)
			appendE2ECorpus(t, srv, cs)
			c.ok("run", "--once")
			msgs := e2eByArrival(t, cs, c.messages())

			want := 0
			for _, k := range cs {
				if k.Ack {
					want++
				}
			}
			acks := e2eAutoReplied(smtp.wait(t, want, 30*time.Second))
			if len(acks) != want {
				t.Fatalf("%s: got %d acknowledgements, want %d", smtp.name, len(acks), want)
			}
			byTo := map[string][]e2eMail{}
			for _, a := range acks {
				if len(a.rcpt) != 1 {
					t.Errorf("acknowledgement %q: got recipients %v, want one", a.subject, a.rcpt)
					continue
				}
				byTo[strings.ToLower(a.rcpt[0])] = append(byTo[strings.ToLower(a.rcpt[0])], a)
			}
			var caseRef, caseAck, caseFrom string // d01's, for the reply checks below
			for _, k := range cs {
				if !k.Ack {
					continue
				}
				got := byTo[k.AckTo()]
				if len(got) != 1 {
					t.Errorf("%s: got %d acknowledgements to %s, want 1", k.File, len(got), k.AckTo())
					continue
				}
				checkAck(t, k, got[0], msgs[k.File])
				if k.File == "d01_gmail_alt_b_subject_jpg.eml" {
					caseRef, caseAck, caseFrom = msgs[k.File].Ref, got[0].get("Message-Id"), k.From
				}
			}
			for _, row := range c.outbox() {
				if row.kind == "ack" && row.status != "sent" {
					t.Errorf("outbox item %s to %s: status %q, want sent", row.id, row.to, row.status)
				}
			}
			if t.Failed() {
				return
			}

			// The out-of-office loop: every acknowledgement is answered
			// automatically, three rounds over.
			n := len(msgs)
			for round := 1; round <= 3; round++ {
				for i, a := range acks {
					raw := replyMail(a.rcpt[0], a.subject, a.get("Message-Id"), fmt.Sprintf("ooo.%d.%d@example.net", round, i),
						"Esu atostogose iki gruodžio 1 d. Į Jūsų laišką atsakysiu grįžusi.", true)
					srv.Append(t, "INBOX", raw, time.Now())
				}
				c.ok("run", "--once")
				n += len(acks)
			}
			all := c.messages()
			if len(all) != n {
				t.Fatalf("after 3 rounds of auto-replies: got %d messages, want %d", len(all), n)
			}
			for _, m := range all[len(cs):] {
				if m.Disposition != "auto-reply" || m.Ack || m.Ref != "" {
					t.Errorf("auto-reply from %s: got disposition %s ack %v ref %q, want auto-reply, no ack, no case", m.From, m.Disposition, m.Ack, m.Ref)
				}
			}
			if got := e2eAutoReplied(smtp.all(t)); len(got) != want {
				t.Errorf("after the auto-replies: got %d acknowledgements in all, want still %d (one per case)", len(got), want)
			}

			// A genuine reply from the resident joins the case; the same
			// subject from another address does not.
			subject := acks[0].subject
			for _, a := range acks {
				if a.get("Message-Id") == caseAck {
					subject = a.subject
				}
			}
			srv.Append(t, "INBOX", replyMail(caseFrom, subject, caseAck, "own.reply@example.com",
				"Papildau: dienos centras galėtų veikti ir šeštadieniais.", false), time.Now())
			srv.Append(t, "INBOX", replyMail("kaimynas@example.org", subject, caseAck, "other.reply@example.org",
				"Aš irgi pritariu dienos centrui.", false), time.Now())
			c.ok("run", "--once")
			all = c.messages()
			if len(all) != n+2 {
				t.Fatalf("after the replies: got %d messages, want %d", len(all), n+2)
			}
			own, other := all[n], all[n+1]
			if own.Disposition != "reply" || own.Ref != caseRef || own.Ack {
				t.Errorf("resident's reply: got disposition %s ref %q ack %v, want reply joined to %s, no ack", own.Disposition, own.Ref, own.Ack, caseRef)
			}
			if other.Ref == caseRef || other.Ack || other.Disposition == "suggestion" {
				t.Errorf("reply from another address: got disposition %s ref %q ack %v, want it kept out of %s, no ack", other.Disposition, other.Ref, other.Ack, caseRef)
			}
			show := c.ok("submissions", "show", caseRef)
			if !strings.Contains(show, "dienos centras galėtų veikti ir šeštadieniais") || strings.Contains(show, "Aš irgi pritariu") {
				t.Errorf("submissions show %s: want the resident's reply and not the neighbour's:\n%s", caseRef, show)
			}
			if got := e2eAutoReplied(smtp.all(t)); len(got) != want {
				t.Errorf("after the replies: got %d acknowledgements, want still %d", len(got), want)
			}
		})
	}
}

// quoteMark is the "> " that starts a quoted line (RFC 3676 §4.5).
var quoteMark = regexp.MustCompile(`(?m)^>[ ]?`)

// checkAck holds one acknowledgement to the message it answers: marked
// auto-replied, threaded under it (In-Reply-To its Message-ID,
// References its References then its Message-ID), the reference in the
// subject and text, and the resident's words quoted with every
// Lithuanian letter intact whatever charset they came in.
func checkAck(t *testing.T, k e2eCorpusCase, a e2eMail, m e2eMsg) {
	t.Helper()
	file := k.File
	if got := a.get("Auto-Submitted"); got != "auto-replied" {
		t.Errorf("%s: Auto-Submitted %q, want auto-replied", file, got)
	}
	if m.Ref == "" || a.subject != "["+m.Ref+"] Jūsų pasiūlymas gautas" {
		t.Errorf("%s: subject %q, want \"[%s] Jūsų pasiūlymas gautas\"", file, a.subject, m.Ref)
	}
	if from := a.get("From"); !strings.Contains(from, ourMailbox) {
		t.Errorf("%s: From %q, want %s", file, from, ourMailbox)
	}
	if m.MessageID != "" {
		id := "<" + strings.Trim(m.MessageID, "<>") + ">"
		if got := a.get("In-Reply-To"); got != id {
			t.Errorf("%s: In-Reply-To %q, want %q", file, got, id)
		}
		refs := strings.Fields(a.get("References"))
		if len(refs) == 0 || refs[len(refs)-1] != id {
			t.Errorf("%s: References %q, want it to end with %q", file, refs, id)
		}
		if hdr, err := mail.ReadMessage(bytes.NewReader(e2eCorpusRaw(t, file))); err == nil {
			for _, r := range strings.Fields(hdr.Header.Get("References")) {
				if !slices.Contains(refs, r) {
					t.Errorf("%s: References %q lacks the resident's %s", file, refs, r)
				}
			}
		}
	}
	text := a.text
	if !strings.Contains(text, m.Ref) {
		t.Errorf("%s: text lacks the reference %s:\n%s", file, m.Ref, text)
	}
	if !strings.Contains(text, "Jūsų laišką gavome") || !strings.Contains(text, "Aleksoto vietos plėtros strategijos keitimas") {
		t.Errorf("%s: Lithuanian text not intact:\n%s", file, text)
	}
	if len(k.TextContains) > 0 {
		// The acknowledgement quotes the start of what the resident
		// wrote, as short as it is to a new address and with links
		// marked […] (notify/ackexcerpt.go): each quoted piece must be
		// the resident's own words, decoded, in order, from the start.
		var quoted []string
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, ">") {
				quoted = append(quoted, quoteMark.ReplaceAllString(line, ""))
			}
		}
		rest := e2eNormalize(m.Text)
		pieces := strings.Split(strings.TrimSuffix(e2eNormalize(strings.Join(quoted, " ")), "…"), "[…]")
		for i, piece := range pieces {
			piece = strings.TrimSpace(piece)
			at := strings.Index(rest, piece)
			if at < 0 || i == 0 && at != 0 || piece == "" && i == 0 {
				t.Errorf("%s: the quoted excerpt %q is not the start of the suggestion %q:\n%s", file, piece, e2eNormalize(m.Text), text)
				break
			}
			rest = rest[at+len(piece):]
		}
	}
	if !strings.Contains(a.html, m.Ref) || !strings.Contains(a.html, "pasiūlym") {
		t.Errorf("%s: HTML part lacks the reference or Lithuanian text:\n%s", file, a.html)
	}
}

// TestE2EAckEnglish: a resident who writes in English gets the
// acknowledgement in English (notify.ack_language = "auto"), down to the
// privacy notice (organisation.privacy_notice_en).
func TestE2EAckEnglish(t *testing.T) {
	t.Parallel()
	smtp := startE2ESMTP(t)
	c := newE2ECLI(t, smtp.env()...)
	raw := "From: John Smith <john@example.org>\r\nTo: " + ourMailbox + "\r\nSubject: Suggestion for the strategy\r\n" +
		"Message-ID: <en.1@example.org>\r\nDate: " + time.Now().Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Hello, I would like to suggest free computer literacy courses for unemployed people in Aleksotas.\r\n"
	path := filepath.Join(c.dir, "english.eml")
	if err := os.WriteFile(path, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	c.ok("import", "--send-acks", path)
	c.ok("run", "--once")
	acks := e2eAutoReplied(smtp.wait(t, 1, 30*time.Second))
	if len(acks) != 1 {
		t.Fatalf("got %d acknowledgements, want 1", len(acks))
	}
	a := acks[0]
	if !strings.Contains(a.subject, "Your suggestion has been received") || !strings.Contains(a.text, "Dear John Smith,") {
		t.Errorf("acknowledgement of an English message: subject %q, text:\n%s\nwant English", a.subject, a.text)
	}
	en := c.config().Organisation.PrivacyNoticeEN
	for _, part := range []struct{ name, body string }{{"text", a.text}, {"html", a.html}} {
		if !strings.Contains(part.body, en[:40]) || strings.Contains(part.body, "asmens duomenis") {
			t.Errorf("English acknowledgement (%s): want the English privacy notice %q, not the Lithuanian one:\n%s", part.name, en, part.body)
		}
	}
}

// ltDate writes a date as Lithuanian running text does: "2026 m.
// lapkričio 11 d." (month in the genitive).
func ltDate(t time.Time) string {
	months := [...]string{"sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio",
		"liepos", "rugpjūčio", "rugsėjo", "spalio", "lapkričio", "gruodžio"}
	return fmt.Sprintf("%d m. %s %d d.", t.Year(), months[t.Month()-1], t.Day())
}

// TestE2EAckStaffDates: suggestions staff type in with a date only
// (`submissions add --received DATE`, which is that day's 00:00) are
// acknowledged as received on that day — not at 23:59 the day before,
// which for one received at the deadline's midnight would contradict the
// "after the deadline" notice in the same letter.
func TestE2EAckStaffDates(t *testing.T) {
	t.Parallel()
	smtp := startE2ESMTP(t)
	c := newE2ECLI(t)
	loc := c.config().Location()
	today := time.Now().In(loc)
	day := func(n int) time.Time {
		d := today.AddDate(0, 0, n)
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	}
	iso := func(t time.Time) string { return t.Format(time.DateOnly) }
	c.ok("consultation", "create", "popierine", "--title", "Popierinė", "--opens", iso(day(-20)), "--closes", iso(day(-10)))
	c.ok("consultation", "open", "popierine")
	c.ok("submissions", "add", "--consultation", "popierine", "--text", "Siūlau savanorių centrą.",
		"--received", iso(day(-12)), "--email", "ona@example.lt", "--ack")
	out := c.ok("submissions", "add", "--consultation", "popierine", "--text", "Siūlau kursus bedarbiams.",
		"--received", iso(day(-9)), "--email", "jonas@example.lt", "--ack")
	if !strings.Contains(out, "(late)") {
		t.Fatalf("received at the deadline's midnight: got %q, want late", out)
	}
	c.with(smtp.env()...).ok("run", "--once")
	acks := e2eAutoReplied(smtp.wait(t, 2, 30*time.Second))
	if len(acks) != 2 {
		t.Fatalf("got %d acknowledgements, want 2", len(acks))
	}
	want := map[string][]string{
		"ona@example.lt": {"VVG darbuotojai jį užregistravo " + ltDate(day(-12)) + " 00:00"},
		"jonas@example.lt": {"VVG darbuotojai jį užregistravo " + ltDate(day(-9)) + " 00:00",
			"Pasiūlymas gautas po termino – pasiūlymų buvo laukiama iki " + ltDate(day(-10)) + " 23:59"},
	}
	for _, a := range acks {
		for _, w := range want[a.rcpt[0]] {
			if !strings.Contains(e2eNormalize(a.text), w) || !strings.Contains(e2eNormalize(a.html), w) {
				t.Errorf("acknowledgement to %s lacks %q:\n%s", a.rcpt[0], w, a.text)
			}
		}
	}
}
