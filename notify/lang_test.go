package notify

import (
	"strconv"
	"testing"
	"time"
)

func TestFormatDate(t *testing.T) {
	loc := time.FixedZone("EET", 2*3600)
	tests := []struct {
		name, lang string
		t          time.Time
		date, dt   string
	}{
		{"lt december", LangLT, time.Date(2026, 12, 13, 9, 5, 0, 0, loc), "2026 m. gruodžio 13 d.", "2026 m. gruodžio 13 d. 09:05"},
		{"lt january", LangLT, time.Date(2027, 1, 1, 0, 0, 0, 0, loc), "2027 m. sausio 1 d.", "2026 m. gruodžio 31 d. 23:59"},
		{"lt may", LangLT, time.Date(2026, 5, 31, 23, 59, 0, 0, loc), "2026 m. gegužės 31 d.", "2026 m. gegužės 31 d. 23:59"},
		{"lt august", LangLT, time.Date(2026, 8, 15, 12, 0, 0, 0, loc), "2026 m. rugpjūčio 15 d.", "2026 m. rugpjūčio 15 d. 12:00"},
		{"en", LangEN, time.Date(2026, 12, 13, 14, 30, 0, 0, loc), "13 December 2026", "13 December 2026, 14:30"},
		{"zero", LangLT, time.Time{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatDate(tt.lang, tt.t); got != tt.date {
				t.Errorf("formatDate = %q, want %q", got, tt.date)
			}
			if got := formatDateTime(tt.lang, tt.t); got != tt.dt {
				t.Errorf("formatDateTime = %q, want %q", got, tt.dt)
			}
		})
	}
}

func TestLithuanianMonthsGenitive(t *testing.T) {
	want := []string{"sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio",
		"liepos", "rugpjūčio", "rugsėjo", "spalio", "lapkričio", "gruodžio"}
	for i, w := range want {
		got := formatDate(LangLT, time.Date(2026, time.Month(i+1), 2, 0, 0, 0, 0, time.UTC))
		if wantS := "2026 m. " + w + " 2 d."; got != wantS {
			t.Errorf("month %d: got %q, want %q", i+1, got, wantS)
		}
	}
}

func TestPluralForm(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{LangLT, 0, "pasiūlymų"}, {LangLT, 1, "pasiūlymas"}, {LangLT, 2, "pasiūlymai"}, {LangLT, 9, "pasiūlymai"},
		{LangLT, 10, "pasiūlymų"}, {LangLT, 11, "pasiūlymų"}, {LangLT, 12, "pasiūlymų"}, {LangLT, 19, "pasiūlymų"},
		{LangLT, 20, "pasiūlymų"}, {LangLT, 21, "pasiūlymas"}, {LangLT, 22, "pasiūlymai"}, {LangLT, 101, "pasiūlymas"},
		{LangLT, 111, "pasiūlymų"}, {LangLT, 112, "pasiūlymų"}, {LangLT, 122, "pasiūlymai"},
		{LangEN, 0, "suggestions"}, {LangEN, 1, "suggestion"}, {LangEN, 2, "suggestions"}, {LangEN, 21, "suggestions"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+strconv.Itoa(tt.n), func(t *testing.T) {
			var got string
			if tt.lang == LangLT {
				got = pluralForm(tt.lang, tt.n, "pasiūlymas", "pasiūlymai", "pasiūlymų")
			} else {
				got = pluralForm(tt.lang, tt.n, "suggestion", "suggestions", "suggestions")
			}
			if got != tt.want {
				t.Errorf("pluralForm(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

func TestNormLang(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"", LangLT, false}, {"lt", LangLT, false}, {"LT-lt", LangLT, false}, {"en", LangEN, false},
		{"en_GB", LangEN, false}, {"de", "", true}, {"lithuanian", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := normLang(tt.in)
			if got != tt.want || (err != nil) != tt.err {
				t.Errorf("normLang(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}
