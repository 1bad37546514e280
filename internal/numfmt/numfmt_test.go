package numfmt

import "testing"

func TestInt(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"lt", 0, "0"}, {"lt", 999, "999"}, {"lt", 1234, "1234"}, {"lt", 12345, "12\u00a0345"}, {"lt", 20000, "20\u00a0000"},
		{"lt", 1234567, "1\u00a0234\u00a0567"}, {"lt", -12345, "-12\u00a0345"},
		{"en", 999, "999"}, {"en", 1234, "1,234"}, {"en", 100000, "100,000"}, {"en", -1500, "-1,500"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.want, func(t *testing.T) {
			if got := Int(tt.lang, tt.n); got != tt.want {
				t.Errorf("Int(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
			}
		})
	}
}
