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

func TestBytes(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {800, "800 B"}, {1 << 10, "1 KB"}, {8 << 10, "8 KB"}, {1536, "1 KB"}, {512 << 10, "512 KB"},
		{1 << 20, "1 MB"}, {10 << 20, "10 MB"}, {3 << 19, "1.5 MB"}, {200 << 20, "200 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := Bytes(tt.n); got != tt.want {
				t.Errorf("Bytes(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}
