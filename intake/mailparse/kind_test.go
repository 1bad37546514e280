package mailparse

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

// kindMessage builds a minimal well-formed message with extra header
// lines and a body.
func kindMessage(from, subject, extra, body string) string {
	return "From: " + from + "\nTo: vvg@example.lt\nSubject: " + mimeQ(subject) +
		"\nDate: Mon, 23 Nov 2026 10:00:00 +0200\nMessage-ID: <k@example.net>\n" + extra +
		"Content-Type: text/plain; charset=utf-8\n\n" + body + "\n"
}

func TestClassify(t *testing.T) {
	const person = "Jonas <jonas@example.net>"
	const text = "Siūlau įrengti dviračių taką tarp kaimų."
	tests := []struct {
		name, from, subject, extra, body string
		want                             Kind
		reason                           string
	}{
		{"plain suggestion", person, "Pasiūlymas", "", text, KindSuggestion, ""},
		{"auto-submitted", person, "Re: x", "Auto-Submitted: auto-replied (vacation)\n", text, KindAutoReply, "Auto-Submitted"},
		{"auto-submitted no", person, "x", "Auto-Submitted: no\n", text, KindSuggestion, ""},
		{"auto-generated", person, "x", "Auto-Submitted: auto-generated\n", text, KindAutoReply, "Auto-Submitted"},
		{"x-autoreply", person, "x", "X-Autoreply: yes\n", text, KindAutoReply, "X-Autoreply"},
		{"x-autorespond", person, "x", "X-Autorespond: 1\n", text, KindAutoReply, "X-Autorespond"},
		{"precedence auto_reply", person, "x", "Precedence: auto_reply\n", text, KindAutoReply, "Precedence"},
		{"precedence junk", person, "x", "Precedence: junk\n", text, KindAutoReply, "Precedence"},
		{"precedence bulk", person, "x", "Precedence: bulk\n", text, KindList, "Precedence: bulk"},
		{"precedence list", person, "x", "Precedence: list\n", text, KindList, "Precedence: list"},
		{"list-id", person, "x", "List-Id: <kaimas.lists.example.org>\n", text, KindList, "List-Id"},
		{"list-unsubscribe", person, "x", "List-Unsubscribe: <mailto:u@example.org>\n", text, KindList, "List-Unsubscribe"},
		{"list-post", person, "x", "List-Post: <mailto:l@example.org>\n", text, KindList, "List-Post"},
		{"noreply", "Sistema <noreply@paslaugos.example.lt>", "Pranešimas", "", "Jūsų prašymas gautas.", KindAutoReply, "no-reply"},
		{"no-reply prefixed", "<no-reply-42@example.com>", "x", "", "x", KindAutoReply, "no-reply"},
		{"donotreply", "<DoNotReply@example.com>", "x", "", "x", KindAutoReply, "no-reply"},
		{"notifications address", "Facebook <notification@facebookmail.example.com>", "Naujas komentaras", "", "Jonas pakomentavo.", KindAutoReply, "no-reply"},
		{"mailer-daemon alone", "MAILER-DAEMON@example.com", "Warning", "", "delayed", KindAutoReply, "mailer-daemon"},
		{"subject automatic reply", person, "Automatic reply: [VVG-2026-0001] x", "", "I am away.", KindAutoReply, "out-of-office subject"},
		{"subject automatinis atsakymas", person, "Automatinis atsakymas: x", "", "Nesu darbe.", KindAutoReply, "out-of-office subject"},
		{"subject out of office", person, "Out of Office: x", "", "Away.", KindAutoReply, "out-of-office subject"},
		{"subject autoatsakymas", person, "Autoatsakymas: x", "", "x", KindAutoReply, "out-of-office subject"},
		{"ooo text answering us", person, "Re: [VVG-2026-0001] Jūsų pasiūlymas gautas", "In-Reply-To: <ack@example.lt>\n", "Sveiki, esu atostogose iki gruodžio 1 d.", KindAutoReply, "out-of-office text"},
		{"ooo text with return date", person, "Labas", "", "I am out of the office and will be back on Monday.", KindAutoReply, "out-of-office text"},
		{"resident mentions holiday", person, "Pasiūlymas", "", "Esu atostogose, todėl pagaliau turiu laiko parašyti: siūlau įrengti taką.", KindSuggestion, ""},
		{"automated notice", "Portalas <info@portalas.example.lt>", "Registracija", "", "Šis laiškas sugeneruotas automatiškai, prašome į jį neatsakyti.", KindAutoReply, "automatically"},
		{"reply quoting our automatic ack", person, "Re: [VVG-2026-0001] Jūsų pasiūlymas gautas", "", "Ačiū.\nŠis laiškas išsiųstas automatiškai.", KindSuggestion, ""},
		{"null return-path dsn", "Mail Delivery Subsystem <mailer-daemon@example.com>", "Delivery Status Notification (Failure)", "Return-Path: <>\n", "Your message could not be delivered.", KindBounce, ""},
		{"undeliverable from postmaster", "postmaster@example.com", "Undeliverable: x", "", "Delivery has failed to these recipients.", KindBounce, ""},
		{"x-failed-recipients", person, "x", "X-Failed-Recipients: a@example.com\n", "x", KindBounce, "X-Failed-Recipients"},
		{"null return-path with failure text", "server@example.com", "Problem", "Return-Path: <>\n", "550 5.1.1 user unknown", KindBounce, "null Return-Path"},
		{"vacation with null return-path", person, "Esu atostogose", "Return-Path: <>\nAuto-Submitted: auto-replied\n", "Grįšiu gruodį.", KindAutoReply, ""},
		{"spam flag", person, "x", "X-Spam-Flag: YES\n", text, KindSpam, "X-Spam-Flag"},
		{"spam status", person, "x", "X-Spam-Status: Yes, score=7.1\n", text, KindSpam, "X-Spam-Status"},
		{"spam status no", person, "x", "X-Spam-Status: No, score=0.1\n", text, KindSuggestion, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkKind(t, kindMessage(tt.from, tt.subject, tt.extra, tt.body), tt.want, tt.reason)
		})
	}
}

func TestClassifyMalformed(t *testing.T) {
	m := mustParse(t, "From: Jonas <jonas@example.net>\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\nSiūlau taką.\n", ParseOptions{})
	if m.Kind != KindMalformed || !strings.Contains(m.KindReason, "Message-ID") {
		t.Errorf("kind: got %s (%s), want malformed for the missing Message-ID", m.Kind, m.KindReason)
	}
	m = mustParse(t, "From: x <noreply@example.net>\nSubject: x\n\nAutomatinis pranešimas.\n", ParseOptions{})
	if m.Kind != KindAutoReply {
		t.Errorf("kind: got %s (%s), want auto-reply: a defect does not override an automatic kind", m.Kind, m.KindReason)
	}
}

// TestSpamSparesSuggestions feeds suggestions full of money, links and
// business words: none may be classified as spam.
func TestSpamSparesSuggestions(t *testing.T) {
	suggestions := []struct{ subject, body string }{
		{"Pasiūlymas dėl turgaus", "Siūlau įrengti ūkininkų turgelį. Prekybos vieta kainuotų tik 5 € per dieną, o stoginė – apie 8000 EUR. Pavyzdys: https://www.example.lt/turgus?utm_source=facebook"},
		{"Verslo inkubatorius", "Esu UAB vadovas. Mūsų įmonė galėtų nemokamai konsultuoti jaunimą. Nuolaida iki 50 % bendruomenėms, garantija 5 metai. Daugiau: https://a.example.lt https://b.example.lt https://c.example.lt"},
		{"SVARBU!!! Dėl kelio", "Kelias į Pabiržę visiškai sugriuvęs, prašome skubiai įtraukti jo remontą į strategiją. Remontas kainuotų apie 120 000 €."},
		{"Offer for the community", "Dear VVG, I suggest a coding club for the youth of the community. Laptops cost 400 € each; see https://example.com/offer?utm_campaign=x. Click here for the plan."},
		{"Dėl akcijos", "Siūlau organizuoti akciją „Švarus kaimas“: gyventojai kartu sutvarkytų pakeles. Maišai ir pirštinės kainuotų apie 300 €."},
		{"Re: [VVG-2026-0042] Jūsų pasiūlymas gautas", "Papildau: projektui reikėtų 2000 € ir savanorių. Jei nenorite gauti mano papildymų, atsakykite STOP :)"},
	}
	for i, s := range suggestions {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkKind(t, kindMessage("Jonas <jonas@example.net>", s.subject, "Reply-To: <jonas@kitas.example.com>\n", s.body), KindSuggestion, "")
		})
	}
}

func TestSpamCatchesAdverts(t *testing.T) {
	adverts := []struct{ subject, body string }{
		{"Jūsų svetainė – PIRMOJE vietoje!!!", "Jūsų svetainė bus pirmoje vietoje Google. 100 % garantija. Kaina tik 99 € / mėn. Užsisakykite dabar!"},
		{"Laimėjote prizą", "Sveikiname, jūs laimėjote iPhone! Spauskite čia ir atsiimkite prizą. Pasiūlymas galioja tik šiandien."},
		{"Earn money from home", "Make money from home with crypto! Click here: https://x.example.com/?utm_source=mail. Limited time offer, act now!"},
	}
	for i, s := range adverts {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkKind(t, kindMessage("Pardavimai <info@reklama.example.com>", s.subject, "", s.body), KindSpam, "")
		})
	}
}

// checkKind parses raw and checks that it is of kind want and, unless
// reason is "", that the reason given mentions it (in any case).
func checkKind(t *testing.T, raw string, want Kind, reason string) {
	t.Helper()
	m := mustParse(t, raw, ParseOptions{})
	if m.Kind != want {
		t.Fatalf("kind: got %s (%s), want %s; defects %q", m.Kind, m.KindReason, want, m.Defects)
	}
	if reason != "" && !strings.Contains(strings.ToLower(m.KindReason), strings.ToLower(reason)) {
		t.Errorf("reason: got %q, want it to mention %q", m.KindReason, reason)
	}
}

// mimeQ encodes a subject as one RFC 2047 Q word.
func mimeQ(s string) string {
	var b strings.Builder
	b.WriteString("=?UTF-8?Q?")
	for _, c := range []byte(s) {
		switch {
		case c == ' ':
			b.WriteByte('_')
		case c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	b.WriteString("?=")
	return b.String()
}

func TestIsForwardSubject(t *testing.T) {
	tests := []struct {
		subject string
		want    bool
	}{
		{"Fwd: x", true},
		{"FW: x", true},
		{"PRN: x", true},
		{"Persiųsta: x", true},
		{"[Sąrašas] Fwd: x", true},
		{"Fwd: Re: x", true},
		{"Re: Fwd: x", false},
		{"ATS: x", false},
		{"Forward planning", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.subject, func(t *testing.T) {
			if got := isForwardSubject(tt.subject); got != tt.want {
				t.Errorf("isForwardSubject(%q): got %v, want %v", tt.subject, got, tt.want)
			}
		})
	}
}

func TestKindAutomatic(t *testing.T) {
	for k, want := range map[Kind]bool{
		KindSuggestion: false, KindReply: false, KindMalformed: false, KindDuplicate: false,
		KindAutoReply: true, KindBounce: true, KindList: true, KindSpam: true, KindOwn: true,
	} {
		if got := k.Automatic(); got != want {
			t.Errorf("%s.Automatic(): got %v, want %v", k, got, want)
		}
	}
}

func TestGuessLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Siūlau įrengti taką.", "lt"},
		{"Dear VVG, I would like to suggest a bike path for the village. Thank you.", "en"},
		{"OK", "lt"},
		{"", "lt"},
	}
	for _, tt := range tests {
		if got := guessLanguage(tt.text); got != tt.want {
			t.Errorf("guessLanguage(%q): got %s, want %s", tt.text, got, tt.want)
		}
	}
}

// FuzzToLower: toLower is strings.ToLower, only faster.
func FuzzToLower(f *testing.F) {
	for _, s := range []string{"", "abc", "ABC", "Šiaulių RAJONAS", "ąčęėįšųūž ĄČĘĖĮŠŲŪŽ", "İstanbul", "\xffA\xc4", "Ω ΣΑΣ", "x\u0307ẞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := toLower(s), strings.ToLower(s); got != want {
			t.Fatalf("toLower(%q) = %q, want %q", s, got, want)
		}
	})
}

// guessLanguageFields is guessLanguage as it was first written, with
// strings.FieldsFunc (and the same word lists): the oracle for
// FuzzGuessLanguage.
func guessLanguageFields(s string) string {
	if len(s) > 8000 {
		s = strings.ToValidUTF8(s[:8000], "")
	}
	lt, en := 0, 0
	for _, w := range strings.FieldsFunc(toLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if strings.ContainsAny(w, "ąčęėįšųūž") {
			lt++
		}
		switch functionWord(w) {
		case "lt":
			lt++
		case "en":
			en++
		}
	}
	if en >= 3 && en > 2*lt {
		return "en"
	}
	return "lt"
}

// FuzzGuessLanguage: the in-place word walk decides as the FieldsFunc
// version did, on any input (invalid UTF-8 included).
func FuzzGuessLanguage(f *testing.F) {
	for _, s := range []string{
		"Hello, we would like to thank you for the plan.",
		"Sveiki, siūlau įrengti dviračių taką ir suoliukus prie upės.",
		"THE AND IS ARE", "to\xffthe\xfeand of", "Ačiū! Thank you, dear VVG, for this and that.",
		"ﬁnd the ǅ and İ in a WORD", strings.Repeat("the and ", 1200) + "ąžuolas",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := guessLanguage(s), guessLanguageFields(s); got != want {
			t.Fatalf("guessLanguage(%q) = %s, the FieldsFunc version says %s", s, got, want)
		}
	})
}
