package classify

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// stemVocabularyDir holds the Snowball reference vocabulary for Lithuanian
// (Debian package snowball-data): voc.txt and output.txt, one word a line,
// aligned, made by Snowball itself.
const stemVocabularyDir = "/usr/share/snowball/data/lithuanian"

// TestStemVocabulary checks every word of the Snowball reference
// vocabulary against its reference stem. There are no known differences.
func TestStemVocabulary(t *testing.T) {
	words, stems, err := readStemVocabulary(stemVocabularyDir)
	if errors.Is(err, fs.ErrNotExist) && os.Getenv("VVGINTAKE_TEST_REAL") != "1" {
		t.Skipf("reference vocabulary absent (apt-get install snowball-data): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	checkStems(t, words, stems)
	t.Logf("checked %d words of %s", len(words), stemVocabularyDir)
}

// readStemVocabulary reads the aligned voc.txt and output.txt of dir.
func readStemVocabulary(dir string) (words, stems []string, err error) {
	words, err = readStemLines(filepath.Join(dir, "voc.txt"))
	if err != nil {
		return nil, nil, err
	}
	stems, err = readStemLines(filepath.Join(dir, "output.txt"))
	if err != nil {
		return nil, nil, err
	}
	if len(words) != len(stems) {
		return nil, nil, fmt.Errorf("read %s: voc.txt has %d words, output.txt %d", dir, len(words), len(stems))
	}
	return words, stems, nil
}

// TestStemSample checks the checked-in sample of the reference vocabulary
// (every 25th pair), so that the comparison runs on every machine.
func TestStemSample(t *testing.T) {
	lines, err := readStemLines(filepath.Join("testdata", "stem_sample.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	words := make([]string, len(lines))
	stems := make([]string, len(lines))
	for i, l := range lines {
		w, s, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("stem_sample.tsv line %d: no tab in %q", i+1, l)
		}
		words[i], stems[i] = w, s
	}
	if len(words) < 3000 {
		t.Fatalf("stem_sample.tsv has %d pairs, want every 25th of 86,105", len(words))
	}
	checkStems(t, words, stems)
}

// TestStemEverydayWords covers words residents use in suggestions. Stems
// come from the Snowball 2.2.0 reference: output.txt, or, for the words
// marked, python3-snowballstemmer 2.2.0 (the vocabulary lacks them).
func TestStemEverydayWords(t *testing.T) {
	tests := []struct {
		word, want string
	}{
		{"pasiūlymas", "pasiūlym"},
		{"pasiūlymai", "pasiūlym"},
		{"pasiūlymų", "pasiūlym"},
		{"pasiūlymą", "pasiūlym"},
		{"gatvėje", "gatv"},
		{"gatvių", "gatv"},
		{"šaligatvį", "šaligatv"}, // python3-snowballstemmer
		{"šaligatviai", "šaligatv"},
		{"savanoriams", "savanor"},
		{"savanoriai", "savanor"},
		{"bedarbiams", "bedarb"}, // python3-snowballstemmer
		{"senjorams", "senjor"},  // python3-snowballstemmer
		{"senjorai", "senjor"},
		{"verslumas", "verslum"}, // python3-snowballstemmer
		{"verslumo", "verslum"},
		{"mokymai", "mokym"},
		{"mokymų", "mokym"},
		{"bendruomenės", "bendruomen"},
		{"bendruomenei", "bendruomen"},
		{"jaunimui", "jaunim"},
		{"seniūnijoje", "seniūnij"},
		{"apšvietimo", "apšvietim"},
		{"dviračių", "dvirat"},
		{"vaikams", "vaik"},
		{"aikštelę", "aikštel"},
		{"renginių", "rengin"},
		{"ūkininkams", "ūkinink"},
		{"įmonės", "įmon"},
		{"projektų", "projekt"},
		{"finansavimo", "finansavim"},
		{"paramos", "par"},
		{"priemonės", "priemon"},
		{"gyventojams", "gyvent"},
		{"paslaugų", "paslaug"},
		{"neįgaliesiems", "neįgal"},
		{"infrastruktūros", "infrastruktūr"},
		{"sutvarkyti", "sutvark"},
		{"atnaujinti", "atnauj"},
		{"norėtų", "nor"},
		{"mokytojams", "mok"},
		// Each of the rewrite steps at least once.
		{"savaite", "savait"},      // fix_conflicts -aite
		{"dėmesiu", "dėmes"},       // fix_conflicts -esiu
		{"ugdyti", "ug"},           // fix_gd
		{"mėgdžioti", "mėg"},       // fix_chdz dž, then fix_gd
		{"žūčių", "žūt"},           // fix_chdz č
		{"abies", "ab"},            // R1 keeps one vowel-consonant group
		{"a", "a"},                 // shorter than any R1
		{"PASIŪLYMAS", "pasiūlym"}, // lower-cased first
		{"Gatvėje", "gatv"},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := Stem(tt.word); got != tt.want {
				t.Errorf("Stem(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

// TestStemTrieLongest checks the among semantics the steps rely on: the
// longest ending wins, and it must start at or after the R1 offset.
func TestStemTrieLongest(t *testing.T) {
	endings := []string{"s", "as", "ias", "ė", "ės"}
	set := newStemTrie(endings...)
	tests := []struct {
		name string
		word string
		from int
		want string // the ending found, "" for none
	}{
		{"longest of three", "kelias", 0, "ias"},
		{"limited by R1", "kelias", 4, "as"},
		{"only shortest in R1", "kelias", 5, "s"},
		{"empty R1", "kelias", 6, ""},
		{"two-byte letters", "gatvės", 0, "ės"},
		{"half a letter", "gatvės", 5, "s"},
		{"none", "gatv", 0, ""},
		{"whole word", "as", 0, "as"},
		{"empty word", "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, i := set.longest(tt.word, tt.from)
			got := ""
			if n > 0 {
				got = endings[i]
				if n != len(got) {
					t.Fatalf("longest(%q, %d) = %d bytes, index %d (%q)", tt.word, tt.from, n, i, got)
				}
			}
			if got != tt.want {
				t.Errorf("longest(%q, %d) found %q, want %q", tt.word, tt.from, got, tt.want)
			}
		})
	}
}

// FuzzStem checks that any input, valid UTF-8 or not, stems without
// panicking to valid UTF-8 no longer than the input. Length is counted in
// runes: lower-casing may lengthen a letter's encoding (Ⱥ, 2 bytes, lowers
// to ⱥ, 3 bytes) and an invalid byte becomes the 3-byte U+FFFD.
func FuzzStem(f *testing.F) {
	for _, s := range []string{"", "a", "pasiūlymas", "GATVĖJE", "savaite", "dėmesiu",
		"mėgdžioti", "asius", "ėjime", "č", "dž", "gd", "\xff", "aaaaaaaaa", "Ⱥȿ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, word string) {
		got := Stem(word)
		if !utf8.ValidString(got) {
			t.Fatalf("Stem(%q) = %q, not valid UTF-8", word, got)
		}
		if g, w := utf8.RuneCountInString(got), utf8.RuneCountInString(word); g > w {
			t.Fatalf("Stem(%q) = %q, %d runes, longer than the input's %d", word, got, g, w)
		}
		// Without lower-casing or invalid bytes in play, not even a
		// rewrite (aite → aitė, one byte more) may lengthen the word:
		// step 1 always removes what the rewrite added.
		if utf8.ValidString(word) && strings.ToLower(word) == word && len(got) > len(word) {
			t.Fatalf("Stem(%q) = %q, %d bytes, longer than the input's %d", word, got, len(got), len(word))
		}
	})
}

// BenchmarkStem stems the checked-in vocabulary sample, one word per op.
func BenchmarkStem(b *testing.B) {
	benchStem(b, stemSample(b))
}

// stemSample returns the words of the checked-in vocabulary sample, in
// its order.
func stemSample(b *testing.B) []string {
	lines, err := readStemLines(filepath.Join("testdata", "stem_sample.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	words := make([]string, len(lines))
	for i, l := range lines {
		words[i], _, _ = strings.Cut(l, "\t")
	}
	return words
}

// benchStem stems words, one per op, round and round.
func benchStem(b *testing.B, words []string) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Stem(words[i%len(words)])
	}
}

// checkStems compares Stem(words[i]) with stems[i] for every i, reporting
// at most 20 differences and then their total.
func checkStems(t *testing.T, words, stems []string) {
	t.Helper()
	bad := 0
	for i, w := range words {
		if got := Stem(w); got != stems[i] {
			bad++
			if bad <= 20 {
				t.Errorf("Stem(%q) = %q, want %q", w, got, stems[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d words differ", bad, len(words))
	}
}

// readStemLines returns the non-empty lines of a file.
func readStemLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() != "" {
			lines = append(lines, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return lines, nil
}

// BenchmarkStemCapitalised stems the sample with its first letter in
// upper case, which takes the allocating lower-casing path.
func BenchmarkStemCapitalised(b *testing.B) {
	words := stemSample(b)
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[size:]
	}
	benchStem(b, words)
}
