package mailparse

import (
	"strings"
	"testing"
)

// TestLoopGuardReports holds the loop guard to machine mail seen in the
// wild that has no usual daemon name or no report type on top: each was
// filed as a person's mail (and acknowledged) before.
func TestLoopGuardReports(t *testing.T) {
	const top = "To: vvg@example.lt\nDate: Mon, 23 Nov 2026 10:00:00 +0200\nMIME-Version: 1.0\n"
	arfBody := "--b\nContent-Type: text/plain\n\nThis is an email abuse report for an email message received from IP 192.0.2.1.\n" +
		"--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: SomeGenerator/1.0\nVersion: 1\n" +
		"--b\nContent-Type: message/rfc822\nContent-Disposition: inline\n\nFrom: vvg@example.lt\nSubject: [VVG-2026-0001] Jusu pasiulymas gautas\n\nAciu\n--b--\n"
	tests := []struct {
		name, raw string
		want      Kind
		reason    string
	}{
		{"arf in multipart/report", "From: Staff <staff@hotmail.example>\nSubject: complaint about message from 192.0.2.1\nMessage-ID: <arf1@hotmail.example>\n" + top +
			"Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n\n" + arfBody, KindAutoReply, "feedback-report"},
		{"arf in multipart/mixed", "From: Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.example>\nSubject: FW: [VVG-2026-0001] Jusu pasiulymas gautas\nMessage-ID: <arf2@yahoo.example>\n" + top +
			"Content-Type: multipart/mixed; boundary=\"b\"\n\n" + arfBody, KindAutoReply, "feedback-report"},
		{"dsn from Mail.Delivery.System", "From: Mail.Delivery.System@mx.example.com\nSubject: Message delivery failure\nMessage-ID: <d1@example.com>\n" + top +
			"Content-Type: text/plain; charset=us-ascii\n\nThis message was created automatically by mail delivery software.\nA message that you sent could not be delivered to one or more of its recipients.\n", KindBounce, ""},
		{"dsn as mixed from a display name", "From: Mail Delivery System <bounce-handler@relay.example.com>\nSubject: [VVG-2026-0002] Jusu pasiulymas\nMessage-ID: <d5@example.com>\n" + top +
			"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nDelivery to the following recipients failed.\n\n   jonas@example.net\n--b\nContent-Type: message/rfc822\n\nFrom: vvg@example.lt\nSubject: x\n\nx\n--b--\n", KindBounce, ""},
		{"postfix report text, ordinary From", "From: Mailer <mailsrv@hosting.example>\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <d6@example.com>\n" + top +
			"Content-Type: text/plain\n\nThis is the mail system at host mx.hosting.example.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n", KindBounce, ""},
		{"empty From and a header line without a colon", "From: \nTo: vvg@example.lt\nSubject: Returned\nThis line has no colon\nDate: Mon, 23 Nov 2026 10:00:00 +0200\nMessage-ID: <d2@example.com>\n\n" +
			"Your message could not be delivered to jonas@example.net: mailbox full.\n", KindBounce, ""},
		{"null Return-Path alone", "Return-Path: <>\nFrom: Info <info@example.com>\nSubject: Informacija\nMessage-ID: <d3@example.com>\n" + top +
			"Content-Type: text/plain; charset=utf-8\n\nDėkojame už laišką.\n", KindAutoReply, "Return-Path"},
		{"list loop alert", "From: kaimas-owner@lists.example.org\nSubject: Mail loop detected\nMessage-ID: <d4@example.com>\n" + top +
			"Content-Type: text/plain\n\nA message sent to the list appears to loop.\n", KindBounce, "loop"},
		{"x-loop", "From: Kaimo sąrašas <kaimas@lists.example.org>\nSubject: Jūsų laiškas\nMessage-ID: <d7@example.com>\nX-Loop: kaimas@lists.example.org\n" + top +
			"Content-Type: text/plain; charset=utf-8\n\nJūsų laiškas laukia moderatoriaus patvirtinimo.\n", KindAutoReply, "X-Loop"},
		{"mailman moderation notice", "From: kaimas-bounces@lists.example.org\nSubject: Your message to Kaimas awaits moderator approval\nMessage-ID: <d8@example.com>\nX-List-Administrivia: yes\n" + top +
			"Content-Type: text/plain\n\nYour mail to 'Kaimas' with the subject x is being held until the list moderator can review it.\n", KindList, "X-List-Administrivia"},
		{"resident mentioning a failed delivery", "From: Jonas <jonas@example.net>\nSubject: Pasiulymas\nMessage-ID: <p1@example.net>\n" + top +
			"Content-Type: text/plain; charset=utf-8\n\nMy message could not be delivered to one or more of its recipients at the municipality, so I propose here: a bus shelter at the school.\n", KindSuggestion, ""},
		{"resident forwarding a bounce", "From: Jonas <jonas@example.net>\nSubject: Fwd: Undelivered Mail Returned to Sender\nMessage-ID: <p2@example.net>\n" + top +
			"Content-Type: text/plain; charset=utf-8\n\nSiunčiu, nes jūsų adresas neveikė. Siūlau įrengti suoliukus.\n\n---------- Forwarded message ---------\nThis is the mail system at host mx.example.net.\n", KindSuggestion, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkKind(t, tt.raw, tt.want, tt.reason)
		})
	}
}

// TestHeaderLineWithoutColon: a stray line among the fields is skipped
// and the fields after it still count (it used to start the body and
// lose Date and Message-ID).
func TestHeaderLineWithoutColon(t *testing.T) {
	m := mustParse(t, "From: Jonas <jonas@example.net>\nSubject: Pasiūlymas\nbroken relay line\nDate: Mon, 23 Nov 2026 10:00:00 +0200\nMessage-ID: <x@example.net>\n\nSiūlau taką.\n", ParseOptions{})
	if m.MessageID != "x@example.net" || m.Date.IsZero() {
		t.Errorf("message id %q, date %v: want both read past the stray line", m.MessageID, m.Date)
	}
	if m.Kind != KindSuggestion && m.Kind != KindMalformed {
		t.Errorf("kind %s, want a person's", m.Kind)
	}
	if strings.Contains(m.Text, "Message-ID") {
		t.Errorf("text %q holds header lines", m.Text)
	}
}

// TestAbsenceAsides: people mention holidays in passing in a thread; only
// a notice's shape makes an autoresponder (two SpamAssassin ham replies
// were taken for out-of-office notices by an earlier draft of the rule).
func TestAbsenceAsides(t *testing.T) {
	for _, body := range []string{
		"Actually this is output from an old java program called jitter.\nIt's very useful for those of us with digital cameras who end up\ntaking 50+ pictures a day while on vacation ;)",
		"Going rapidly OT here, but I find it shocking that anybody could be\nproud of not knowing something. It's like the tourist on holidays using\nthat speak-loudly-enough-and-they-will-understand technique.",
	} {
		m := mustParse(t, kindMessage("Gary <gary@example.com>", "Re: [ILUG] jitter", "In-Reply-To: <a@example.com>\n", body), ParseOptions{})
		if !m.Kind.Person() {
			t.Errorf("%.40q: got %s (%s), want a person's", body, m.Kind, m.KindReason)
		}
	}
}
