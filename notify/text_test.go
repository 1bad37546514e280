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

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		n    int
		in   string
		want string
	}{
		{"short", 10, "ąčę", "ąčę"},
		{"exact", 3, "ąčę", "ąčę"},
		{"cut", 3, "ąčęėį", "ąč…"},
		{"cut trims space", 4, "ab  cdef", "ab…"},
		{"keeps lines", 100, "a\r\nb", "a\nb"},
		{"no limit", 0, "abc", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := truncate(tt.n, tt.in); got != tt.want {
				t.Errorf("truncate(%d, %q) = %q, want %q", tt.n, tt.in, got, tt.want)
			}
		})
	}
}

func TestOnelineAndQuote(t *testing.T) {
	if got, want := oneline(8, "a\n\nb   c\td e f"), "a b c d…"; got != want {
		t.Errorf("oneline = %q, want %q", got, want)
	}
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

func TestOnelineMatchesTruncateHeaderText(t *testing.T) {
	inputs := []string{"", " ", "a", "  a  b  ", "ąčę ėįš ųūž", "a\n\nb\r\nc\td", "abcdefghij", "abcd efgh", "a b c d e f g h",
		"\x00x\xffy", "žodis " + string(make([]byte, 3)) + " kitas", "exactly10!", "exactly 10", "ends in space      "}
	for _, in := range inputs {
		for n := 0; n <= 12; n++ {
			if got, want := oneline(n, in), truncate(n, headerText(in)); got != want {
				t.Errorf("oneline(%d, %q) = %q, want %q", n, in, got, want)
			}
		}
	}
}
