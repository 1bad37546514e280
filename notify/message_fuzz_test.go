package notify

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
)

// FuzzNewMsg: whatever name a resident gives (the form, a mail's display
// name), the message builds and its From and To each parse back as one
// address, the right one. Names such as `Jonas\` and `VšĮ "Aleksoto,
// Kauno" bendruomenė` made the acknowledgement fail to render ("expected
// single address"), never retried.
func FuzzNewMsg(f *testing.F) {
	for _, name := range []string{"Jonas\\", `VšĮ "Aleksoto, Kauno" bendruomenė`, "Ona Petraitienė", "", `"`, `\"`,
		"a,b", "<x@y>", "Jonas <jonas@evil.example>", "=?utf-8?q?x?=", "a\r\nBcc: x@evil.example", "()", "@", ";:",
		strings.Repeat("Ąžuolynės bendruomenė ", 20), "\x00\x7f", "ü\"\\,;<>@()[]"} {
		f.Add(name)
	}
	loc := loadVilnius(f)
	f.Fuzz(func(t *testing.T, name string) {
		env := envelope{org: Org{Name: "VVG", FromName: name, Address: "vvg@vvg.example.lt"},
			to: []Addr{{Name: name, Addr: "ona@example.lt"}}, messageID: "x@vvg.example.lt", loc: loc}
		if err := env.check(); err != nil {
			t.Fatalf("check: %v", err)
		}
		m, err := env.newMsg(autoReplied)
		if err != nil {
			t.Fatalf("newMsg(%q): %v", name, err)
		}
		m.Subject("x")
		m.SetBodyString("text/plain", "x")
		var buf bytes.Buffer
		if _, err := m.WriteTo(&buf); err != nil {
			t.Fatalf("write message for %q: %v", name, err)
		}
		msg, err := mail.ReadMessage(&buf)
		if err != nil {
			t.Fatalf("read back the message for %q: %v", name, err)
		}
		for field, want := range map[string]string{"From": "vvg@vvg.example.lt", "To": "ona@example.lt"} {
			list, err := msg.Header.AddressList(field)
			if err != nil || len(list) != 1 || list[0].Address != want {
				t.Errorf("%s for name %q: %v, %v; want one address %s\n%s", field, name, list, err, want, msg.Header.Get(field))
			}
		}
	})
}
