package redact

import (
	"embed"
	"strings"
	"sync"
)

//go:embed words/*.txt
var wordFiles embed.FS

// lexicon is the word lists with every case form. Places and stop words
// are keyed by their folded form (see fold). First names are keyed both in
// lower case and folded, and looked up by the word in lower case: a word
// typed without diacritics ("Ruta") finds the folded key, while a word
// with them must match exactly, so that "Gėda" (shame) is not read as
// "Gedą", the accusative of Gedas. The lexicon is built on first use and
// only read after that.
type lexicon struct {
	first     map[string]bool // first names, any case, lower case and folded
	ambiguous map[string]bool // first names that are also common nouns, likewise
	place     map[string]bool // place names, any case
	stop      map[string]bool // words that are never names
}

var theLexicon = sync.OnceValue(buildLexicon)

func buildLexicon() *lexicon {
	lx := &lexicon{first: map[string]bool{}, ambiguous: map[string]bool{}, place: map[string]bool{}, stop: map[string]bool{}}
	for _, w := range words("first_lt.txt") {
		amb := strings.HasSuffix(w, "?")
		w = strings.TrimSuffix(w, "?")
		for _, f := range declensions(w) {
			for _, k := range []string{strings.ToLower(f), fold(f)} {
				lx.first[k] = true
				if amb {
					lx.ambiguous[k] = true
				}
			}
		}
	}
	for _, w := range words("first_en.txt") {
		amb := strings.HasSuffix(w, "?")
		w = strings.TrimSuffix(w, "?")
		lx.first[strings.ToLower(w)] = true
		if amb {
			lx.ambiguous[strings.ToLower(w)] = true
		}
	}
	for _, w := range words("places.txt") {
		for _, f := range declensions(w) {
			lx.place[fold(f)] = true
		}
	}
	for _, w := range words("stop.txt") {
		lx.stop[fold(w)] = true
	}
	// A month or a closing word is never a first name, though Liepa is.
	for k := range lx.first {
		if lx.stop[fold(k)] {
			delete(lx.first, k)
		}
	}
	return lx
}

// words returns the whitespace-separated words of an embedded list,
// skipping comment lines.
func words(name string) []string {
	b, err := wordFiles.ReadFile("words/" + name)
	if err != nil {
		panic("redact: embedded word list " + name + " missing: " + err.Error())
	}
	var out []string
	for line := range strings.Lines(string(b)) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Fields(line)...)
	}
	return out
}

// isPlace reports whether w, in any case, is a place the lists know.
func isPlace(w string) bool { return theLexicon().place[fold(w)] }
