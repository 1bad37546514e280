package notify

import "testing"

func TestHeaderText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Jonas Jonaitis", "Jonas Jonaitis"},
		{"crlf", "Jonas\r\nBcc: x@evil", "Jonas Bcc: x@evil"},
		{"lone cr and lf", "a\rb\nc", "a b c"},
		{"tabs and nul", "a\t\x00b", "a b"},
		{"unicode kept", "Žydrūnė  Ąžuolaitė", "Žydrūnė Ąžuolaitė"},
		{"line separator", "a\u2028b", "a b"},
		{"invalid utf-8", "a\xffb", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := headerText(tt.in); got != tt.want {
				t.Errorf("headerText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	if got, want := quote("a\r\n\r\nb\n"), "> a\n>\n> b"; got != want {
		t.Errorf("quote = %q, want %q", got, want)
	}
	if got := quote("  "); got != "" {
		t.Errorf("quote of blank = %q, want empty", got)
	}
}

func TestCleanMsgID(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"a@b", "a@b", false},
		{" <a@b> ", "a@b", false},
		{"vvg-ack-42@vvg.example.lt", "vvg-ack-42@vvg.example.lt", false},
		{"", "", true},
		{"nodomain", "", true},
		{"@b", "", true},
		{"a@", "", true},
		{"a b@c", "", true},
		{"a@b\r\nBcc: x", "", true},
		{"ą@b", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := cleanMsgID(tt.in)
			if got != tt.want || (err != nil) != tt.err {
				t.Errorf("cleanMsgID(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}
