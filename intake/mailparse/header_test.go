package mailparse

import (
	"fmt"
	"testing"
)

func TestReadHeaderLenient(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		fields string // name=value pairs
		body   string
		notes  int
	}{
		{"crlf", "A: 1\r\nB: 2\r\n\r\nbody", "[A=1 B=2]", "body", 0},
		{"folded", "Subject: one\r\n\ttwo\r\n  three\r\n\r\n", "[Subject=one two three]", "", 0},
		{"space before colon", "Subject : x\n\nb", "[Subject=x]", "b", 0},
		{"cr cr lf", "A: 1\r\r\nB: 2\r\r\n\r\r\nb", "[A=1 B=2]", "b", 0},
		{"junk line skipped", "A: 1\nJUNK\nB: 2\n\nb", "[A=1 B=2]", "b", 1},
		{"body without blank line", "A: 1\nthis is text\n", "[A=1]", "this is text\n", 1},
		{"no header", "plain text\n", "[]", "plain text\n", 1},
		{"empty header", "\nbody", "[]", "body", 0},
		{"eof in header", "A: 1\nB: 2", "[A=1 B=2]", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, body, notes := readHeaderLenient([]byte(tt.in), false)
			var got []string
			for _, f := range h.fields {
				got = append(got, f.name+"="+f.value)
			}
			if fmt.Sprint(got) != tt.fields && !(len(got) == 0 && tt.fields == "[]") {
				t.Errorf("fields: got %v, want %s", got, tt.fields)
			}
			if string(body) != tt.body {
				t.Errorf("body: got %q, want %q", body, tt.body)
			}
			if len(notes) != tt.notes {
				t.Errorf("notes: got %q, want %d", notes, tt.notes)
			}
		})
	}
}

func TestHeaderLongestLine(t *testing.T) {
	long := make([]byte, 1200)
	for i := range long {
		long[i] = 'x'
	}
	h, _, _ := readHeaderLenient([]byte("X-Long: "+string(long)+"\r\nSubject: short\r\n\tfolded\r\n\r\n"), true)
	if got := h.fields[0].longest; got != 1208 {
		t.Errorf("longest X-Long line: got %d, want 1208", got)
	}
	if got := h.fields[1].longest; got != 14 {
		t.Errorf("longest Subject line: got %d, want 14", got)
	}
}

func TestDecodeWords(t *testing.T) {
	tests := []struct {
		name, in, want string
		raw8           bool
	}{
		{"plain", "Hello world", "Hello world", false},
		{"b word", "=?UTF-8?B?UGFzacWrbHltYXM=?=", "Pasiūlymas", false},
		{"q word lower hex", "=?UTF-8?Q?Bendruomen=c4=97s_centras?=", "Bendruomenės centras", false},
		{"adjacent words joined", "=?UTF-8?Q?a?= \t =?UTF-8?Q?b?=", "ab", false},
		{"space kept next to text", "Re: =?UTF-8?Q?Pasi=C5=AB?= lymas", "Re: Pasiū lymas", false},
		{"character split across words", "=?UTF-8?B?xA==?= =?UTF-8?B?hQ==?=", "ą", false},
		{"windows-1257", "=?windows-1257?Q?u=FEimtumas_=96_pasi=FBlymas?=", "užimtumas – pasiūlymas", false},
		{"iso-8859-4", "=?iso-8859-4?Q?bendruomen=ECms?=", "bendruomenėms", false},
		{"iso-8859-13 b", "=?ISO-8859-13?B?U2F2YW5vcmn4?=", "Savanorių", false},
		{"language suffix", "=?UTF-8*lt?Q?Ąžuolas?=", "Ąžuolas", false},
		{"unknown charset", "=?x-nope?Q?abc?=", "abc", false},
		{"raw utf-8", "Pasi\xc5\xablymas", "Pasiūlymas", true},
		{"raw windows-1257", "Pasi\xfblymas", "Pasiūlymas", true},
		{"broken word kept", "=?UTF-8?Q?never closed", "=?UTF-8?Q?never closed", false},
		{"spaces inside a q word", "=?utf-8?Q?Laba diena?=", "Laba diena", false},
		{"spaces inside a b word rejected", "=?utf-8?B?TGFi YQ==?=", "=?utf-8?B?TGFi YQ==?=", false},
		{"word in the middle of a word", "Pasi=?UTF-8?Q?=C5=AB?=lymas", "Pasiūlymas", false},
		{"control characters", "a\tb\x00c", "a b c", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, raw8 := decodeWords(tt.in)
			if got != tt.want || raw8 != tt.raw8 {
				t.Errorf("decodeWords(%q): got %q %v, want %q %v", tt.in, got, raw8, tt.want, tt.raw8)
			}
		})
	}
}

func TestParseAddressList(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Address
		quoted   bool
	}{
		{"name and angle", "Jonas <Jonas@Example.LT>", []Address{{"Jonas", "Jonas@example.lt"}}, false},
		{"bare", "vvg@example.lt", []Address{{"", "vvg@example.lt"}}, false},
		{"comment name", "MAILER-DAEMON@mx.example.lt (Mail Delivery System)", []Address{{"Mail Delivery System", "MAILER-DAEMON@mx.example.lt"}}, false},
		{"quoted comma", `"Kazlauskienė, Rūta" <r@example.com>, b@example.com`, []Address{{"Kazlauskienė, Rūta", "r@example.com"}, {"", "b@example.com"}}, false},
		{"encoded word with comma inside quotes", `"=?UTF-8?Q?Kazlauskien=C4=97=2C_R=C5=ABta?=" <r@example.com>`, []Address{{"Kazlauskienė, Rūta", "r@example.com"}}, true},
		{"encoded word with comma unquoted", `=?UTF-8?Q?Kazlauskien=C4=97=2C_R=C5=ABta?= <r@example.com>`, []Address{{"Kazlauskienė, Rūta", "r@example.com"}}, false},
		{"group", "Komanda: a@example.lt, b@example.lt;, c@example.lt", []Address{{"", "a@example.lt"}, {"", "b@example.lt"}, {"", "c@example.lt"}}, false},
		{"empty group", "undisclosed-recipients:;", nil, false},
		{"raw 8-bit name", "Sigita Navickien\xc4\x97 <s@example.com>", []Address{{"Sigita Navickienė", "s@example.com"}}, false},
		{"no domain", "MAILER-DAEMON", []Address{{"", "MAILER-DAEMON"}}, false},
		{"unclosed angle", "Jonas <jonas@example.lt", []Address{{"Jonas", "jonas@example.lt"}}, false},
		{"route", "<@relay.example:jonas@example.lt>", []Address{{"", "jonas@example.lt"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, quoted := parseAddressList(tt.in)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || quoted != tt.quoted {
				t.Errorf("parseAddressList(%q): got %+v %v, want %+v %v", tt.in, got, quoted, tt.want, tt.quoted)
			}
		})
	}
}

func TestParseMediaValue(t *testing.T) {
	tests := []struct {
		name, in, main, key, want string
	}{
		{"simple", `text/plain; charset="UTF-8"; format=flowed`, "text/plain", "charset", "UTF-8"},
		{"case", `Text/HTML; Charset=utf-8`, "text/html", "charset", "utf-8"},
		{"quoted semicolon", `application/pdf; name="a;b.pdf"`, "application/pdf", "name", "a;b.pdf"},
		{"escape", `application/pdf; name="a\"b.pdf"`, "application/pdf", "name", `a"b.pdf`},
		{"rfc 2231 utf-8", `attachment; filename*=UTF-8''Mokym%C5%B3%20programa.docx`, "attachment", "filename", "Mokymų programa.docx"},
		{"rfc 2231 continuations", `attachment; filename*0*=UTF-8''%50%61%73; filename*1*=%69%C5%AB; filename*2=lymai.pdf`, "attachment", "filename", "Pasiūlymai.pdf"},
		{"rfc 2231 out of order", `attachment; filename*1=b.pdf; filename*0=a`, "attachment", "filename", "ab.pdf"},
		{"rfc 2231 windows-1257", `attachment; filename*=windows-1257''Pasi%FBlymas%20d%EBl.pdf`, "attachment", "filename", "Pasiūlymas dėl.pdf"},
		{"rfc 2231 wins over plain", `attachment; filename="plain.pdf"; filename*=UTF-8''%C5%BE.pdf`, "attachment", "filename", "ž.pdf"},
		{"junk between params", `text/plain; ; junk; charset=utf-8`, "text/plain", "charset", "utf-8"},
		{"unterminated quote", `text/plain; charset="utf-8`, "text/plain", "charset", "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			main, params := parseMediaValue(tt.in)
			if main != tt.main || params[tt.key] != tt.want {
				t.Errorf("parseMediaValue(%q): got %q %q=%q, want %q %q", tt.in, main, tt.key, params[tt.key], tt.main, tt.want)
			}
		})
	}
}

func TestPartFilename(t *testing.T) {
	tests := []struct {
		name, disp, ctype, want string
	}{
		{"gmail encoded words in quotes", `attachment; filename="=?UTF-8?B?QXBsZWlzdGEgYWlrxaF0ZWzEly5qcGc=?="`, "", "Apleista aikštelė.jpg"},
		{"folded words in name", ``, `image/jpeg; name="=?UTF-8?B?QnV2dXNpb3M=?=	=?UTF-8?B?IG1va3lrbG9zLmpwZw==?="`, "Buvusios mokyklos.jpg"},
		{"disposition wins", `attachment; filename="a.pdf"`, `application/pdf; name="b.pdf"`, "a.pdf"},
		{"path removed", `attachment; filename="C:\Users\Ona\Desktop\planas.pdf"`, "", "planas.pdf"},
		{"unix path removed", `attachment; filename="../../etc/passwd"`, "", "passwd"},
		{"control characters", "attachment; filename=\"a\x01b\x7f.pdf\"", "", "a b .pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, d := parseMediaValue(tt.disp)
			_, c := parseMediaValue(tt.ctype)
			if got := partFilename(d, c); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want string
	}{
		{"Tue, 17 Nov 2026 18:42:10 +0200 (EET)", true, "2026-11-17T18:42:10+02:00"},
		{"17 Nov 26 18:42:10 +0200", true, "2026-11-17T18:42:10+02:00"},
		{"2026-11-17T18:42:10+02:00", true, "2026-11-17T18:42:10+02:00"},
		{"Tue, 17 Nov 2026 18:42:10", true, "2026-11-17T18:42:10Z"},
		{"yesterday", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseDate(tt.in)
			if ok != tt.ok || (ok && got.Format("2006-01-02T15:04:05Z07:00") != tt.want) {
				t.Errorf("parseDate(%q): got %v %v, want %s %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestMsgIDs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<a@b> <c@d>", "[a@b c@d]"},
		{"<a@b>\r\n <c@d> (comment)", "[a@b c@d]"},
		{"a@b c@d", "[a@b c@d]"},
		{"< a@b >", "[a@b]"},
		{"<>", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := fmt.Sprint(msgIDs(tt.in)); got != tt.want {
				t.Errorf("msgIDs(%q): got %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}
