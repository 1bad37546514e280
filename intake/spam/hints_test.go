package spam

import "testing"

func TestCountLinks(t *testing.T) {
	tests := []struct {
		name, raw string
		want      int
	}{
		{"none", "Subject: x\r\n\r\nplain text, a=b", 0},
		{"HTML", `<a href="http://a">x</a> <A HREF='http://b'>y</A>`, 2},
		{"quoted-printable", "<a href=3D\"http://a\">x</a>", 1},
		{"href at the very start", "href=x", 1},
		{"too short to hold one", "=", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CountLinks([]byte(tt.raw)); got != tt.want {
				t.Errorf("CountLinks = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestNameMismatch(t *testing.T) {
	tests := []struct {
		name, display, addr string
		want                bool
	}{
		{"a person's name", "Rūta Kazlauskienė", "ruta@example.com", false},
		{"the same address as name", "ruta@example.com", "Ruta@Example.com", false},
		{"another address as name", `"service@bank.example"`, "x@elsewhere.example", true},
		{"no name", "", "x@example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NameMismatch(tt.display, tt.addr); got != tt.want {
				t.Errorf("NameMismatch(%q, %q) = %v, want %v", tt.display, tt.addr, got, tt.want)
			}
		})
	}
}
