package spam

import (
	"slices"
	"strings"
	"testing"
)

// recorder is a sink that keeps every feature by name.
type recorder struct {
	lex    []string // "ns:name"
	shapes map[string]string
	e      *extractor
	spans  [][3]int32
}

func (r *recorder) lexical(ns byte, _ uint64, start, end int32) {
	r.spans = append(r.spans, [3]int32{int32(ns), start, end})
}

func (r *recorder) shape(_ uint64, name string, lo, hi int) {
	if r.shapes == nil {
		r.shapes = map[string]string{}
	}
	r.shapes[name] = shapeName(name, lo, hi)
}

// record extracts the features of a message into a recorder.
func record(subject, text string, h Hints) *recorder {
	r := &recorder{}
	r.e = extract(subject, text, h, r)
	for _, s := range r.spans {
		r.lex = append(r.lex, string(rune(s[0]))+":"+string(r.e.buf[s[1]:s[2]]))
	}
	return r
}

func TestLexicalFeatures(t *testing.T) {
	tests := []struct {
		name, subject, text string
		want, notWant       []string
	}{
		{"folds Lithuanian letters and case", "", "Žmonės SIŪLO", []string{"w:zmones", "w:siulo", "b:zmones siulo"}, nil},
		{"typed without diacritics is the same word", "", "zmones siulo", []string{"w:zmones", "w:siulo"}, nil},
		{"Cyrillic lower-cased, ё as е", "", "ЁЛКА Скидки", []string{"w:елка", "w:скидки"}, nil},
		{"subject words have their own namespace", "Nemokami kursai", "", []string{"s:nemokami", "w:nemokami"}, nil},
		{"prefix of a long word", "", "bendruomenės", []string{"p:bendr", "w:bendruomenes"}, nil},
		{"no prefix of a short word", "", "kaimo", nil, []string{"p:kaimo"}},
		{"numbers by shape", "", "Kaina 2027 m.", []string{"w:#4"}, []string{"w:2027"}},
		{"link gives domain and TLD, not path words", "", "žr. https://www.peticijos.lt/viesas/parkas?utm_source=x", []string{"d:peticijos.lt", "d:.lt"}, []string{"w:viesas", "w:parkas"}},
		{"bigram stops at a full stop", "", "labas. rytas", nil, []string{"b:labas rytas"}},
		{"currency sign is a word", "", "tik 5 €", []string{"w:€"}, nil},
		{"emoji is a word", "", "Bonus 🎰 now", []string{"w:🎰"}, nil},
		{"combining accent folded away", "", "žmone\u0301s", []string{"w:zmones"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := record(tt.subject, tt.text, Hints{}).lex
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("features %q lack %q", got, w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(got, w) {
					t.Errorf("features %q have %q", got, w)
				}
			}
		})
	}
}

func TestShapeFeatures(t *testing.T) {
	tests := []struct {
		name, subject, text string
		hints               Hints
		want                []string // rendered shape features
		absent              []string // counts that must feed nothing
	}{
		{"amounts: sign before or after, currency words", "", "Tik 5 € arba €10, $20 ir 300 eur, 1000 руб", Hints{}, []string{"amounts≥4"}, nil},
		{"a year is not an amount", "", "2027 metais", Hints{}, nil, []string{"amounts"}},
		{"percentages", "", "nuolaida 50% ir 30 %", Hints{}, []string{"percentages 1–2"}, nil},
		{"phone numbers as written", "", "Skambinkite +370 612 34567 arba 8 (800) 555-35-35", Hints{}, []string{"phone numbers≥2"}, nil},
		{"short numbers are no phone", "", "2 3 4 kartai", Hints{}, nil, []string{"phone numbers"}},
		{"links and addresses", "", "http://a.example.com/x www.b.example.lt info@c.example.org", Hints{}, []string{"links 2–3", "addresses 1–2"}, nil},
		{"IP link", "", "http://192.168.0.1/login", Hints{}, []string{"IP links≥1"}, nil},
		{"tracked link", "", "https://x.example/?utm_source=mail", Hints{}, []string{"tracked links≥1"}, nil},
		{"exclamations", "WOW!!", "Pirk!!! Dabar!", Hints{}, []string{"exclamations 4–7", "!! runs 1–2", "subject exclamations≥2"}, nil},
		{"shouting", "", "KIEK GALIMA LAUKTI, JAU TREČIUS METUS ŽADAT SUTVARKYTI", Hints{}, []string{"capitals%≥50", "capitalised words 3–9"}, nil},
		{"mixed-script word (homoglyph)", "", "Bаnk", Hints{}, []string{"mixed-script words 1–2"}, nil},
		{"mostly Cyrillic", "", "Скидки на окна только сегодня", Hints{}, []string{"cyrillic%≥90"}, nil},
		{"Lithuanian letters", "", "Ąžuolynė šviečia", Hints{}, []string{"lithuanian letters 5–19"}, nil},
		{"hints", "", "x", Hints{Links: 25, Attachments: 2, Reply: true, NameMismatch: true}, []string{"html links≥20", "attachments 1–2", "reply≥1", "name mismatch≥1"}, nil},
		{"the usual feeds nothing", "Pasiūlymas", "Siūlau kursus senjorams, mokytojai padėtų.", Hints{}, nil,
			[]string{"exclamations", "capitals%", "amounts", "links", "reply", "html links", "cyrillic%", "emoji"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := record(tt.subject, tt.text, tt.hints)
			for _, name := range tt.absent {
				if v, ok := r.shapes[name]; ok {
					t.Errorf("shape feature %q fed, want nothing for %q", v, name)
				}
			}
			var got []string
			for _, v := range r.shapes {
				got = append(got, v)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					slices.Sort(got)
					t.Errorf("shape features lack %q; have %s", w, strings.Join(got, ", "))
				}
			}
		})
	}
}

func TestExtractReadsABoundedPrefix(t *testing.T) {
	long := strings.Repeat("žodis ", 10_000) + "VIAGRA"
	r := record(strings.Repeat("s", 1000), long, Hints{})
	if slices.Contains(r.lex, "w:viagra") {
		t.Errorf("read past MaxTextBytes")
	}
	if r.e.part[0].words == 0 {
		t.Errorf("read no words")
	}
	if got, want := r.e.part[0].words, MaxTextBytes/len("žodis "); got > want+1 {
		t.Errorf("words = %d, want at most %d", got, want+1)
	}
}

func TestTruncateKeepsRunes(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short", "abc", 5, "abc"},
		{"cut inside a two-byte rune", "aą", 2, "a"},
		{"cut after it", "aąb", 3, "aą"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := truncate(tt.in, tt.n); got != tt.want {
				t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}
