package notify

import (
	"net/mail"
	"strings"
	"testing"
	"time"
)

// ackRaw builds d and returns the message as it would go on the wire.
func ackRaw(t testing.TB, d AckData) []byte {
	t.Helper()
	m, err := BuildAck(d, defaultTemplates(t))
	if err != nil {
		t.Fatalf("BuildAck: %v", err)
	}
	return render(t, m)
}

func TestBuildAckHeaders(t *testing.T) {
	raw := ackRaw(t, testAck(t))
	p := parse(t, raw)
	tests := []struct {
		name, header, want string
	}{
		{"auto-submitted", "Auto-Submitted", "auto-replied"},
		{"suppress", "X-Auto-Response-Suppress", "All"},
		{"message-id", "Message-Id", "<vvg-ack-42@vvg.example.lt>"},
		{"in-reply-to", "In-Reply-To", "<CAF1234@mail.gmail.com>"},
		{"references", "References", "<root-1@example.lt> <CAF1233@mail.gmail.com> <CAF1234@mail.gmail.com>"},
		{"no user-agent", "User-Agent", ""},
		{"no x-mailer", "X-Mailer", ""},
		{"no precedence", "Precedence", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Header.Get(tt.header); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
	t.Run("subject", func(t *testing.T) {
		if want := "[VVG-2026-0042] Jūsų pasiūlymas gautas"; p.Subject != want {
			t.Errorf("subject = %q, want %q", p.Subject, want)
		}
	})
	t.Run("from", func(t *testing.T) {
		from, err := p.Header.AddressList("From")
		if err != nil || len(from) != 1 {
			t.Fatalf("From = %v, %v", from, err)
		}
		if from[0].Name != "Pavyzdžio VVG" || from[0].Address != "pasiulymai@vvg.example.lt" {
			t.Errorf("From = %q <%s>, want Pavyzdžio VVG <pasiulymai@vvg.example.lt>", from[0].Name, from[0].Address)
		}
	})
	t.Run("to", func(t *testing.T) {
		to, err := p.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Name != "Žydrūnė Ąžuolaitė" || to[0].Address != "zydrune@example.lt" {
			t.Errorf("To = %v, %v; want Žydrūnė Ąžuolaitė <zydrune@example.lt>", to, err)
		}
	})
	t.Run("date", func(t *testing.T) {
		got, err := p.Header.Date()
		if want := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC); err != nil || !got.Equal(want) {
			t.Errorf("Date = %v, %v; want %v", got, err, want)
		}
	})
	t.Run("structure", func(t *testing.T) {
		got := strings.Join(tree(t, raw), " ")
		if want := "0:multipart/alternative 1:text/plain 1:text/html"; got != want {
			t.Errorf("structure = %q, want %q", got, want)
		}
	})
}

func TestBuildAckThreading(t *testing.T) {
	tests := []struct {
		name           string
		inReplyTo      string
		refs           []string
		wantIRT, wantR string
	}{
		{"form submission", "", nil, "", ""},
		{"parent only", "a@x", nil, "<a@x>", "<a@x>"},
		{"parent already last", "b@x", []string{"a@x", "b@x"}, "<b@x>", "<a@x> <b@x>"},
		{"brackets and duplicates", "<c@x>", []string{"<a@x>", "a@x", "b@x"}, "<c@x>", "<a@x> <b@x> <c@x>"},
		{"junk dropped", "no-at-sign", []string{"bad id@x", "ok@x", "evil@x>\r\nBcc: e@x"}, "", "<ok@x>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testAck(t)
			d.InReplyTo, d.References = tt.inReplyTo, tt.refs
			p := parse(t, ackRaw(t, d))
			if got := p.Header.Get("In-Reply-To"); got != tt.wantIRT {
				t.Errorf("In-Reply-To = %q, want %q", got, tt.wantIRT)
			}
			if got := p.Header.Get("References"); got != tt.wantR {
				t.Errorf("References = %q, want %q", got, tt.wantR)
			}
		})
	}
}

func TestBuildAckBody(t *testing.T) {
	late := testAck(t)
	late.Late = true
	late.ReceivedAt = time.Date(2026, 12, 14, 8, 0, 0, 0, time.UTC)
	unfiled := testAck(t)
	unfiled.MeasureCode, unfiled.MeasureTitle = "", ""
	form := testAck(t)
	form.Source, form.InReplyTo, form.References = "form", "", nil
	staff := testAck(t)
	staff.Source = "staff"
	other := testAck(t)
	other.MeasureCode, other.MeasureTitle = "other", "Kita"
	en := testAck(t)
	en.Lang = "en"
	enLate := late
	enLate.Lang = "en-GB"

	tests := []struct {
		name      string
		d         AckData
		subject   string
		want, not []string
	}{
		{"lt on time", testAck(t), "[VVG-2026-0042] Jūsų pasiūlymas gautas", []string{
			"Laba diena,",
			"viešajai konsultacijai „Vietos plėtros strategijos keitimas“",
			"Jūsų laišką gavome 2026 m. gruodžio 1 d. 12:30 ir užregistravome numeriu VVG-2026-0042.",
			"> Siūlau įrengti dviračių taką prie ežero.",
			"> Ačiū – ąčęėįšųūž ĄČĘĖĮŠŲŪŽ",
			"Gauti priedai (2)", "planas.pdf", "nuotrauka.jpg",
			"priemonei 1.1 „Ūkio ir verslo plėtra“.",
			"Pasiūlymų teikimo terminas – 2026 m. gruodžio 13 d. 23:59.",
			"Atsakymą Jums pateiksime iki 2027 m. sausio 12 d.",
			"temoje palikite numerį [VVG-2026-0042]",
			"Tel. +370 600 00000",
			"El. paštas pasiulymai@vvg.example.lt",
			"www.vvg.example.lt",
			"Laisvės g. 1, LT-00000 Pavyzdys",
			"Jūsų asmens duomenis tvarkome tik konsultacijai vykdyti.",
		}, []string{"po termino", "d..", "priskirs VVG darbuotojai"}},
		{"lt late", late, "[VVG-2026-0042] Jūsų pasiūlymas gautas", []string{
			"Pasiūlymas gautas po termino – pasiūlymų buvo laukiama iki 2026 m. gruodžio 13 d. 23:59.",
			"Jis vis tiek užregistruotas ir bus perduotas svarstyti",
			"gavome 2026 m. gruodžio 14 d. 10:00",
			"Atsakymą Jums pateiksime iki 2027 m. sausio 12 d.",
		}, []string{"Pasiūlymų teikimo terminas"}},
		{"lt unfiled", unfiled, "", []string{"Pasiūlymą tinkamai vietos plėtros strategijos priemonei priskirs VVG darbuotojai."}, []string{"priskyrėme"}},
		{"lt other", other, "", []string{"nepriskirtas konkrečiai vietos plėtros strategijos priemonei"}, []string{"priemonei other"}},
		{"lt form", form, "", []string{"Pasiūlymą, pateiktą per interneto svetainės formą, gavome 2026 m. gruodžio 1 d. 12:30"}, []string{"Jūsų laišką"}},
		{"lt staff", staff, "", []string{"VVG darbuotojai jį užregistravo 2026 m. gruodžio 1 d. 12:30 numeriu VVG-2026-0042."}, nil},
		{"en on time", en, "[VVG-2026-0042] Your suggestion has been received", []string{
			"Dear Žydrūnė Ąžuolaitė,",
			"to the public consultation “Vietos plėtros strategijos keitimas”",
			"We received your message on 1 December 2026, 12:30 and registered it under number VVG-2026-0042.",
			"The consultation is open until 13 December 2026, 23:59. We will reply to you by 12 January 2027.",
			"keep [VVG-2026-0042] in the subject line",
		}, []string{"after the deadline"}},
		{"en late", enLate, "[VVG-2026-0042] Your suggestion has been received", []string{
			"Your suggestion arrived after the deadline – suggestions were invited until 13 December 2026, 23:59. It has nevertheless been registered",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parse(t, ackRaw(t, tt.d))
			if tt.subject != "" && p.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", p.Subject, tt.subject)
			}
			text := p.body(t, "text/plain")
			html := p.body(t, "text/html")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q; got:\n%s", w, text)
				}
				// The HTML says the same, modulo markup.
				if plain := stripTags(html); !strings.Contains(plain, strings.TrimPrefix(strings.TrimPrefix(w, "> "), ">")) {
					t.Errorf("html lacks %q", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(text, n) {
					t.Errorf("text contains %q; got:\n%s", n, text)
				}
			}
		})
	}
}

// stripTags removes markup and the entities html/template produces, enough
// to compare the HTML body's words with the text body's.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	r := strings.NewReplacer("&#43;", "+", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "\n", " ")
	return strings.Join(strings.Fields(r.Replace(b.String())), " ")
}

func TestBuildAckEscapesHTML(t *testing.T) {
	d := testAck(t)
	d.Excerpt = `<script>alert("x")</script> & <b>bold</b>`
	d.Attachments = []string{`<img src=x onerror=alert(1)>.pdf`}
	d.ConsultationTitle = `Title "quoted" <i>`
	p := parse(t, ackRaw(t, d))
	html := p.body(t, "text/html")
	for _, bad := range []string{"<script>", "<b>bold", "<img src=x", "<i>"} {
		if strings.Contains(html, bad) {
			t.Errorf("html contains unescaped %q", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;") {
		t.Errorf("html lacks escaped script tag")
	}
	if text := p.body(t, "text/plain"); !strings.Contains(text, `> <script>alert("x")</script> & <b>bold</b>`) {
		t.Errorf("text body should keep the words as written; got:\n%s", text)
	}
}

func TestBuildAckHeaderInjection(t *testing.T) {
	d := testAck(t)
	d.To.Name = "Jonas\r\nBcc: x@evil.example"
	d.Ref = "VVG-1\r\nBcc: y@evil.example"
	d.Org.FromName = "VVG\nBcc: z@evil.example"
	raw := ackRaw(t, d)
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	if got := msg.Header["Bcc"]; len(got) != 0 {
		t.Errorf("Bcc header present: %q", got)
	}
	for key := range msg.Header {
		switch key {
		case "Auto-Submitted", "Date", "In-Reply-To", "Mime-Version", "Message-Id", "References", "Subject",
			"X-Auto-Response-Suppress", "From", "To", "Content-Type":
		default:
			t.Errorf("unexpected header %q", key)
		}
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "zydrune@example.lt" {
		t.Errorf("To = %v, %v; want one recipient zydrune@example.lt", to, err)
	}
	if strings.Contains(string(raw), "\nBcc:") {
		t.Errorf("raw message has a Bcc line")
	}
	if subj := parse(t, raw).Subject; subj != "[VVG-1 Bcc: y@evil.example] Jūsų pasiūlymas gautas" {
		t.Errorf("subject = %q", subj)
	}
}

func TestBuildAckRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*AckData)
		want   string
	}{
		{"nil location", func(d *AckData) { d.Loc = nil }, "location is nil"},
		{"unknown language", func(d *AckData) { d.Lang = "de" }, "unsupported language"},
		{"empty ref", func(d *AckData) { d.Ref = " " }, "ref is empty"},
		{"bad message id", func(d *AckData) { d.MessageID = "no domain" }, "message id"},
		{"empty message id", func(d *AckData) { d.MessageID = "" }, "message id: empty"},
		{"bad recipient", func(d *AckData) { d.To.Addr = "not an address" }, "recipient"},
		{"recipient with CRLF", func(d *AckData) { d.To.Addr = "a@b.lt\r\nBcc: c@d.lt" }, "recipient"},
		{"bad org address", func(d *AckData) { d.Org.Address = "" }, "org address"},
		{"bad source", func(d *AckData) { d.Source = "fax" }, "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testAck(t)
			tt.mutate(&d)
			_, err := BuildAck(d, defaultTemplates(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("BuildAck error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := BuildAck(testAck(t), nil); err == nil {
		t.Errorf("BuildAck with nil templates: want error")
	}
}

func TestBuildAckMessageIDBrackets(t *testing.T) {
	d := testAck(t)
	d.MessageID = "<vvg-ack-7@vvg.example.lt>"
	p := parse(t, ackRaw(t, d))
	if got := p.Header.Get("Message-Id"); got != "<vvg-ack-7@vvg.example.lt>" {
		t.Errorf("Message-Id = %q, want <vvg-ack-7@vvg.example.lt>", got)
	}
}

// TestBuildAckOrgNames: English mail names the VVG by its English names
// where it has them; Lithuanian mail keeps the Lithuanian ones.
func TestBuildAckOrgNames(t *testing.T) {
	en := testAck(t)
	en.Lang = "en"
	en.Org.NameEN, en.Org.ShortNameEN = "Example District Local Action Group", "Example LAG"
	lt := en
	lt.Lang = "lt"
	for _, tt := range []struct {
		name      string
		d         AckData
		want, not string
	}{
		{"en", en, "Example District Local Action Group", "Pavyzdžio"},
		{"lt", lt, "Pavyzdžio rajono vietos veiklos grupė", "Example"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := parse(t, ackRaw(t, tt.d)).body(t, "text/plain")
			if !strings.Contains(text, tt.want) || strings.Contains(text, tt.not) {
				t.Errorf("text lacks %q or has %q:\n%s", tt.want, tt.not, text)
			}
		})
	}
	o := Org{Name: "Pavyzdžio VVG", ShortName: "Pavyzdžio VVG", NameEN: "Example LAG"}
	if got := o.In(LangEN); got.Name != "Example LAG" || got.ShortName != "Example LAG" {
		t.Errorf("only a NameEN: %+v, want it for both names", got)
	}
}
