package mailparse

import (
	"testing"
)

func TestUnflow(t *testing.T) {
	tests := []struct {
		name, in string
		delsp    bool
		want     string
	}{
		{"joins soft breaks", "Labas \nrytas.\nKita eilutė\n", false, "Labas rytas.\nKita eilutė\n"},
		{"hard breaks stay", "a\nb\n", false, "a\nb\n"},
		{"signature is fixed", "tekstas\n-- \nVardas\n", false, "tekstas\n-- \nVardas\n"},
		{"space stuffing removed", " From here\n >not quote\n", false, "From here\n>not quote\n"},
		{"quotes join at same depth", "> a \n> b\n>> c \n>> d\n", false, "> a b\n>> c d\n"},
		{"depth change ends paragraph", "> a \nb\n", false, "> a \nb\n"},
		{"delsp deletes the flow space", "https://example.lt/ilgas- \nkelias\n", true, "https://example.lt/ilgas-kelias\n"},
		{"delsp keeps the word space", "du  \nžodžiai\n", true, "du žodžiai\n"},
		{"no final newline", "a \nb", false, "a b"},
		{"trailing flowed line", "a \n", false, "a \n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unflow(tt.in, tt.delsp); got != tt.want {
				t.Errorf("unflow(%q, %v): got %q, want %q", tt.in, tt.delsp, got, tt.want)
			}
		})
	}
}
