package mailparse

import (
	"strings"
	"testing"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs and br", "<p>Laba diena,</p><p>pirma<br>antra</p>", "Laba diena,\n\npirma\nantra"},
		{"gmail divs", "<div>Sveiki,</div><div><br></div><div>tekstas</div>", "Sveiki,\n\ntekstas"},
		{"entities and nbsp", "<p>&Scaron;i&scaron; &bdquo;klubas&ldquo; &ndash; 12&nbsp;nari&#371;</p>", "Šiš „klubas“ – 12 narių"},
		{"whitespace collapsed", "<p>  daug \n\t tarpų  </p>", "daug tarpų"},
		{"lists", "<ul><li>vienas<li>du</ul><ol><li>trys</li></ol>", "- vienas\n- du\n\n- trys"},
		{"table cells separated", "<table><tr><td>A</td><td>B</td></tr><tr><td>C</td></tr></table>", "A B\nC"},
		{"head style script dropped", "<html><head><title>T</title><style>p{font-family:x}</style></head><body><script>alert(1)</script><p>matoma</p></body></html>", "matoma"},
		{"display none", `<div style="display:none">paslėpta</div><p>matoma</p>`, "matoma"},
		{"display none important", `<span style="DISPLAY: none !important;">paslėpta</span>matoma`, "matoma"},
		{"visibility hidden", `<div style="visibility:hidden">paslėpta</div>matoma`, "matoma"},
		{"zero height overflow", `<div style="max-height:0px;overflow:hidden">paslėpta</div>matoma`, "matoma"},
		{"zero font", `<span style="font-size:0">paslėpta</span>matoma`, "matoma"},
		{"hidden attribute", `<div hidden>paslėpta</div>matoma`, "matoma"},
		{"preheader class", `<span class="preheader">paslėpta</span><p>matoma</p>`, "matoma"},
		{"mailchimp preview", `<span class="mcnPreviewText">paslėpta</span><p>matoma</p>`, "matoma"},
		{"nested hidden", `<div style="display:none"><div><p>paslėpta</p></div></div><p>matoma</p>`, "matoma"},
		{"gmail signature", `<div>tekstas</div><div class="gmail_signature">Jonas<br>+370 600</div>`, "tekstas"},
		{"zero-width padding", "a&zwnj;&#8203;b\u00ad c", "ab c"},
		{"pre kept", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"blockquote quoted", "<p>ačiū</p><blockquote type=\"cite\">cituota<br>eilutė</blockquote>", "ačiū\n\n> cituota\n> eilutė"},
		{"gmail quote blockquote", `<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204)">cituota</blockquote>`, quoteMark + "\n> cituota"},
		{"webmail bar blockquote", `<blockquote style="border-left: 2px solid #1010ff">cituota</blockquote>`, "> cituota"},
		{"indent blockquote kept", `<p>mano</p><blockquote style="margin:0 0 0 40px;border:none;padding:0px">įtrauktas mano tekstas</blockquote>`, "mano\n\nįtrauktas mano tekstas"},
		{"plain blockquote is indentation", "<blockquote>įtrauka</blockquote>", "įtrauka"},
		{"nested blockquote", "<blockquote type=cite>a<blockquote type=cite>b</blockquote></blockquote>", "> a\n>\n> > b"},
		{"gmail quote marker", `<div>mano</div><div class="gmail_quote">On x wrote:</div>`, "mano\n" + quoteMark + "\nOn x wrote:"},
		{"outlook reply marker", `<div>mano</div><div id="x_divRplyFwdMsg"><b>From:</b> a</div>`, "mano\n" + quoteMark + "\nFrom: a"},
		{"outlook border-top marker", `<p>mano</p><div style="border:none;border-top:solid #E1E1E1 1.0pt"><p><b>Nuo:</b> a</p></div>`, "mano\n\n" + headerMark + "\nNuo: a"},
		{"word paragraphs are lines", `<p class=MsoNormal>a</p><p class=MsoNormal>b</p><p class=MsoNormal>&nbsp;</p><p class=MsoNormal>c</p>`, "a\nb\n\nc"},
		{"unclosed p", "<p>a<p>b<div>c</div>", "a\n\nb\n\nc"},
		{"stray end tags", "a</div></p></span>b", "a\nb"},
		{"unclosed head", "<head><title>x</title><body>matoma", "matoma"},
		{"head without body", "<html><head><meta charset=utf-8><style>p{}</style><p>matoma</p></html>", "matoma"},
		{"links and images", `<a href="https://x.lt">nuoroda</a> <img src="cid:img1" alt="paveikslas">`, "nuoroda"},
		{"comments", "a<!-- b -->c<!--[if mso]>d<![endif]-->", "ac"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in, 1<<20); got != tt.want {
				t.Errorf("htmlToText(%q):\ngot  %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTMLToTextBounded(t *testing.T) {
	deep := strings.Repeat("<div><span>", 100000) + "x" + strings.Repeat("</span></div>", 100000)
	if got := htmlToText(deep, 1<<20); got != "x" {
		t.Errorf("deep nesting: got %q, want %q", got, "x")
	}
	big := strings.Repeat("<p>žodis</p>", 100000)
	if got := htmlToText(big, 1000); len(got) > 1100 {
		t.Errorf("output %d bytes, want about the 1000 limit", len(got))
	}
}

func TestHTMLCIDs(t *testing.T) {
	got := htmlCIDs(`<img src="cid:image001.jpg@01DB3C4A.5E6F7A80"><td background='CID:bg'>`)
	if len(got) != 2 || got[0] != "image001.jpg@01DB3C4A.5E6F7A80" || got[1] != "bg" {
		t.Errorf("got %q", got)
	}
}

// FuzzHasCIDScheme: the quick check never says no where cidRE matches,
// so htmlCIDs skips no HTML that refers to an inline image.
func FuzzHasCIDScheme(f *testing.F) {
	for _, s := range []string{"", "cid:x", "CiD:x", "a:b cid", "xcid:y", ":::cid:", "ci:d", "<img src=\"cid:a@b\">", "ćid:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if cidRE.MatchString(s) && !hasCIDScheme(s) {
			t.Fatalf("hasCIDScheme(%q) = false, but cidRE matches", s)
		}
		if got, want := hasCIDScheme(s), strings.Contains(strings.ToLower(s), "cid:"); got != want && isASCIIString(s) {
			t.Fatalf("hasCIDScheme(%q) = %v, want %v", s, got, want)
		}
	})
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
