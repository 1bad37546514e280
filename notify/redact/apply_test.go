package redact

import (
	"strings"
	"testing"
)

func TestApply(t *testing.T) {
	const text = "Jonas Petraitis, tel. 8 612 34567, Šilainiai."
	tests := []struct {
		name  string
		spans []Span
		want  string
	}{
		{"none", nil, text},
		{"two", []Span{{Start: 0, End: 15, Kind: KindName}, {Start: 22, End: 33, Kind: KindPhone}},
			"[…], tel. […], Šilainiai."},
		{"unsorted", []Span{{Start: 22, End: 33}, {Start: 0, End: 15}},
			"[…], tel. […], Šilainiai."},
		{"overlapping are merged", []Span{{Start: 0, End: 10}, {Start: 6, End: 15}},
			"[…], tel. 8 612 34567, Šilainiai."},
		{"nested are merged", []Span{{Start: 0, End: 15}, {Start: 6, End: 10}},
			"[…], tel. 8 612 34567, Šilainiai."},
		{"touching are merged", []Span{{Start: 0, End: 5}, {Start: 5, End: 15}},
			"[…], tel. 8 612 34567, Šilainiai."},
		{"out of range is clipped", []Span{{Start: 35, End: 900}},
			"Jonas Petraitis, tel. 8 612 34567, […]"},
		{"negative start is clipped", []Span{{Start: -4, End: 5}},
			"[…] Petraitis, tel. 8 612 34567, Šilainiai."},
		{"backwards is dropped", []Span{{Start: 15, End: 0}}, text},
		{"empty is dropped", []Span{{Start: 3, End: 3}}, text},
		// "Š" is two bytes at 35-36; a range that starts or ends inside it
		// takes the whole letter rather than leave half of it.
		{"cut character is widened", []Span{{Start: 36, End: 37}},
			"Jonas Petraitis, tel. 8 612 34567, […]ilainiai."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Apply(text, tt.spans); got != tt.want {
				t.Errorf("Apply = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNormalizeText(t *testing.T) {
	got := Normalize("Rūta Kazlauskienė", []Span{{Start: 2, End: 3, Kind: KindName, Text: "stale"}})
	if len(got) != 1 || got[0].Text != "ū" || got[0].Start != 1 || got[0].End != 3 || got[0].Kind != KindName {
		t.Errorf("Normalize = %+v, want one name span 1-3 %q", got, "ū")
	}
}

func TestValidate(t *testing.T) {
	const text = "Rūta Kazlauskienė, Kaunas"
	tests := []struct {
		name  string
		spans []Span
		want  []string // substrings of the error, in order; none means nil
	}{
		{"good", []Span{{Start: 0, End: 5, Text: "Rūta"}, {Start: 6, End: 19}}, nil},
		{"out of range", []Span{{Start: 20, End: 99}}, []string{"span 0: range 20-99 is not inside"}},
		{"backwards", []Span{{Start: 5, End: 0}}, []string{"span 0: range 5-0"}},
		{"cuts a character", []Span{{Start: 0, End: 2}}, []string{"span 0: range 0-2 cuts a character"}},
		{"stale text", []Span{{Start: 0, End: 5, Text: "Rasa"}}, []string{`span 0: text at 0-5 is "Rūta", not "Rasa"`}},
		{"overlap", []Span{{Start: 6, End: 19}, {Start: 0, End: 8}}, []string{"span 0: overlaps span 1"}},
		{"overlap past a nested span", []Span{{Start: 0, End: 19}, {Start: 1, End: 3}, {Start: 6, End: 8}},
			[]string{"span 1: overlaps span 0", "span 2: overlaps span 0"}},
		{"all at once", []Span{{Start: 0, End: 2}, {Start: 5, End: 0}}, []string{"span 0:", "span 1:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(text, tt.spans)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate = nil, want %q", tt.want)
			}
			msg := err.Error()
			at := 0
			for _, w := range tt.want {
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Fatalf("Validate = %q, want %q after byte %d", msg, w, at)
				}
				at += i + len(w)
			}
		})
	}
}
