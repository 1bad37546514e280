// Lithuanian stemmer: a hand translation into Go of the Snowball Lithuanian
// algorithm as released in Snowball 2.2.0 (the version Debian bookworm ships
// in libstemmer and python3-snowballstemmer).
//
// The algorithm is the Snowball project's, https://snowballstem.org/,
// Copyright (c) 2001 Martin Porter, (c) 2004-2020 Richard Boulton and the
// Snowball contributors, released under the BSD 3-Clause licence; the
// Lithuanian stemmer was contributed by Dainius Jocas. Only the algorithm
// and its ending lists are taken from it; the code below is our own.

package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Stem returns the Snowball Lithuanian stem of word: pasiūlymas,
// pasiūlymai and pasiūlymų all give "pasiūlym". The word is lower-cased
// first (unicode.ToLower), so any case may be passed; it should be in NFC,
// as Tokens returns it. Invalid UTF-8 bytes become U+FFFD.
//
// The result matches Snowball 2.2.0 on its whole reference vocabulary.
// It may share memory with word; clone it to keep a stem that outlives a
// large text it was cut from.
func Stem(word string) string {
	w := stemLower(word)
	// p1 is a byte offset into w. It stays right through the rewrites
	// below: each one changes only letters at or after it (see
	// stemConflicts) or the last letter, so the bytes before it never move.
	p1 := stemRegion1(w)
	w = stemFixConflicts(w)
	w = stemDeleteLongest(w, p1, &stemStep1Endings)
	w = stemFixChDz(w)
	for {
		// Step 2 is repeated: derivational suffixes stack up
		// (mok-yt-oj-ams), and each pass peels one more off in R1.
		shorter := stemDeleteLongest(w, p1, &stemStep2Endings)
		if len(shorter) == len(w) {
			break
		}
		w = shorter
	}
	w = stemFixChDz(w)
	return stemFixGd(w)
}

// stemLower returns w lower-cased, or w itself, without allocating, when
// it already is: the usual case, since Tokens lowers. It answers that
// question faster than strings.ToLower for Lithuanian letters, which would
// look each one up in the Unicode case tables.
func stemLower(w string) string {
	for i := 0; i < len(w); {
		if c := w[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return strings.ToLower(w)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		i += size
		switch r {
		case 'ą', 'č', 'ę', 'ė', 'į', 'š', 'ų', 'ū', 'ž':
			continue
		}
		if r == utf8.RuneError || unicode.ToLower(r) != r {
			// strings.ToLower also turns an invalid byte into U+FFFD.
			return strings.ToLower(w)
		}
	}
	return w
}

// stemRegion1 returns the byte offset where R1 starts: just after the first
// non-vowel that follows a vowel, or len(w) when there is none. Suffixes are
// only removed inside R1, so a stem keeps at least one vowel-consonant
// group (lėš-os keeps "lėš").
//
// A word longer than six letters that starts with "a" is read without it:
// Snowball takes that "a" for the start of a prefix (ap-, api-, apy-:
// apylinkė), so R1 starts one group later than the bare vowel would make
// it, and the prefix alone is never the stem.
func stemRegion1(w string) int {
	i := 0
	if strings.HasPrefix(w, "a") && utf8.RuneCountInString(w) > 6 {
		i = 1
	}
	// Find the first vowel, then step over the vowels that follow it.
	for i < len(w) {
		r, size := utf8.DecodeRuneInString(w[i:])
		i += size
		if stemIsVowel(r) {
			break
		}
		if i == len(w) {
			return len(w)
		}
	}
	for i < len(w) {
		r, size := utf8.DecodeRuneInString(w[i:])
		i += size
		if !stemIsVowel(r) {
			return i
		}
	}
	return len(w)
}

// stemIsVowel reports whether r is one of the twelve Lithuanian vowels of
// the Snowball grouping v.
func stemIsVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'y', 'o', 'u', 'ą', 'ę', 'į', 'ų', 'ė', 'ū':
		return true
	}
	return false
}

// stemConflicts are whole-word endings rewritten before step 1, because
// step 1 would otherwise cut them in the wrong place: "savaite" (with a
// week) ends in the verb ending "-ite" and would lose it, giving "sava";
// rewritten to "savaitė" it loses only "-ė", like every other case of
// savaitė. No ending here is a suffix of another, so at most one applies.
// Every ending holds a vowel followed by a non-vowel before the letters it
// changes, so those letters always lie in R1 (after p1).
//
// The -ėjime, -ojime, -avime and -asius rewrites change no stem in 2.2.0
// (step 1 cuts the original and the rewritten form back to the same
// letters, -ime having left its list); they stay so that the table is the
// script's.
var stemConflicts = [...]struct{ ending, replacement string }{
	{"aite", "aitė"}, {"aitės", "aitė"}, // savaite, savaitės → savaitė
	{"uote", "uotė"}, {"uotės", "uotė"}, // pakuote, pakuotės → pakuotė
	{"okate", "okatė"}, {"okatės", "okatė"}, // advokate → advokatė
	{"ėjime", "ėjimas"}, {"ojime", "ojimas"}, {"avime", "avimas"},
	{"esiu", "esys"}, // dėmesiu → dėmesys; the future -siu would leave dėme
	{"asius", "asys"},
}

// stemConflictEndings indexes the endings of stemConflicts, in order.
var stemConflictEndings = newStemTrie(func() []string {
	endings := make([]string, len(stemConflicts))
	for i, c := range stemConflicts {
		endings[i] = c.ending
	}
	return endings
}()...)

// stemFixConflicts applies the stemConflicts rewrite for the ending w ends
// with, if any. It looks at the whole word, not only R1.
func stemFixConflicts(w string) string {
	n, i := stemConflictEndings.longest(w, 0)
	if n == 0 {
		return w
	}
	return w[:len(w)-n] + stemConflicts[i].replacement
}

// stemFixChDz undoes the palatalisation of t and d before i + vowel: a
// final "č" becomes "t" and a final "dž" becomes "d", so that žūčių meets
// žūtis (žūt) and medžio meets medis (med).
func stemFixChDz(w string) string {
	switch {
	case strings.HasSuffix(w, "č"):
		return w[:len(w)-len("č")] + "t"
	case strings.HasSuffix(w, "dž"):
		return w[:len(w)-len("dž")] + "d"
	}
	return w
}

// stemFixGd reduces a final "gd" to "g", as Snowball does last of all, so
// that mėgdžioti (→ mėgd via stemFixChDz) meets mėgti at "mėg"; ugdyti
// becomes "ug" the same way.
func stemFixGd(w string) string {
	if strings.HasSuffix(w, "gd") {
		return w[:len(w)-1]
	}
	return w
}

// stemDeleteLongest removes from w the longest ending in set that lies
// wholly inside R1 (from byte p1 on), as a Snowball among does; w is
// returned unchanged when none fits.
func stemDeleteLongest(w string, p1 int, set *stemTrie) string {
	if p1 >= len(w) {
		// R1 is empty. After a rewrite that shortened the word p1 may
		// even lie past its end; nothing can be removed either way.
		return w
	}
	n, _ := set.longest(w, p1)
	return w[:len(w)-n]
}

// stemStep1Endings are the inflectional endings step 1 removes: the case
// endings of nouns and adjectives and the personal endings of verbs. Many
// endings serve several forms; each is listed once, under one of them. The
// Snowball script leaves some out on purpose because they collide with
// stems (-ime, -tume, -kis, -tis, -itės).
//
// This table and stemStep2Endings are built once at start-up and only read
// afterwards.
var stemStep1Endings = newStemTrie(
	// Nouns and adjectives, declensions I-V, singular and plural.
	"a", "ia", "eria", "e", "ie", "enie", "erie", "i", "ai", "iai", "eriai",
	"ei", "y", "o", "io", "enio", "uo", "u", "iu", "eniu", "au", "iau",
	"as", "ias", "is", "ys", "enys", "erys", "us", "ius", "aus", "iaus",
	"es", "ies", "ens", "ers", "enis", "os", "ios", "uos", "iuos", "ė",
	"ės", "ūs",
	"ą", "ią", "ę", "į", "enį", "erį", "ų", "ių", "erų",
	"ui", "iui", "eniui", "am", "iam", "iem",
	"ams", "iams", "oms", "ioms", "ėms", "ums", "ims", "enims", "erims", "iems",
	"ais", "iais", "omis", "iomis", "ėmis", "umis", "imis", "enimis",
	"imi", "erimi", "umi", "iumi", "om", "ėm", "im",
	"oje", "ioje", "ėje", "uje", "iuje", "yje", "enyje", "eryje", "oj", "ėj",
	"ose", "iose", "uose", "iuose", "ėse", "yse", "enyse", "eryse",
	"ame", "iame", "asis", "ysis",
	// Illative, short and long (miest-an, rank-osna).
	"an", "on", "ion", "un", "iun", "ėn",
	"osna", "iosna", "uosna", "iuosna", "ysna", "ėsna",
	// Verbs: present, past and future tenses.
	"ate", "iate", "at", "iat", "ite", "it", "ome", "ote", "ot",
	"ėjo", "ėme", "ėte", "ėt",
	"siu", "si", "s", "sime", "sim", "site", "sit",
	// Subjunctive and imperative.
	"čiau", "tum", "tumei", "tumeis", "tumėme", "tumėm", "tute",
	"tumėte", "tumėt", "k", "ki", "kite",
	// Reflexive verbs (-si-, -s).
	"asi", "iasi", "esi", "iesi", "siesi", "isi", "aisi", "eisi", "tumeisi",
	"uisi", "osi", "ėjosi", "uosi", "iuosi", "siuosi", "usi", "ausi",
	"čiausi", "ąsi", "ėsi", "ųsi", "tųsi", "tųs",
	"amės", "iamės", "imės", "kimės", "simės", "omės", "ėmės", "tumėmės",
	"atės", "iatės", "sitės", "otės", "ėtės", "tumėtės",
	// Infinitives.
	"ti", "enti", "inti", "oti", "ioti", "uoti", "iuoti", "auti", "iauti",
	"yti", "ėti", "telėti", "inėti", "terėti",
	// Participles.
	"ąs", "iąs", "įs",
)

// stemStep2Endings are the derivational suffixes step 2 removes, again and
// again, inside R1: diminutives and other noun suffixes, the stems of
// pronominal adjectives, comparatives, participles and iteratives. It is
// aggressive (mokytojams, teachers → mok, as in mokyti, to teach); for
// filing suggestions under measures, joining related words helps more than
// the odd false friend hurts.
var stemStep2Endings = newStemTrie(
	// Diminutive and other derivational suffixes.
	"ing", "išk", "iuk", "uliuk", "učiuk", "iul", "yl", "ėl", "ok", "iok",
	"ain", "op", "iop", "sv", "šv", "zgan", "ykšt", "ykšč", "utėait",
	// Comparative (-esn-) and adverbs in -iau.
	"esn", "iau",
	// Pronominal adjective and other inflected stems (gerojo, gerųjų).
	"aj", "iaj", "iej", "oj", "ioj", "uoj", "iuoj", "ąj", "iąj", "ėj",
	"ųj", "iųj", "ias", "ies", "ais", "iais", "os", "ios", "uos", "iuos",
	"aus", "iaus",
	// Participles, gerunds and the iterative past (-dav-).
	"ant", "iant", "siant", "int", "ot", "uot", "iuot", "yt", "ėt",
	"ąs", "iąs", "ęs", "ę", "ėję", "am", "dam", "jam", "auj", "dav",
)

// stemTrie is a set of endings stored backwards, byte by byte, so that the
// longest ending of a word is found in one walk from its last byte: a few
// array reads per word instead of a string compare per candidate ending.
// Bytes are mapped to a dense column number first, which keeps the
// transition table small (a few kilobytes).
type stemTrie struct {
	column [256]uint8 // byte → column; 0 for bytes no ending contains
	width  int        // columns per node
	next   []uint16   // next[node*width+column]: child node, 0 for none
	ending []uint16   // ending[node]: 1 + index of the ending spelt so far, or 0
}

// newStemTrie builds the trie of endings. It panics on an empty or
// repeated ending: both are mistakes in the tables above, which any test
// run catches at start-up.
func newStemTrie(endings ...string) stemTrie {
	var t stemTrie
	for _, e := range endings {
		for i := 0; i < len(e); i++ {
			if t.column[e[i]] == 0 {
				t.width++
				t.column[e[i]] = uint8(t.width)
			}
		}
	}
	t.width++ // column 0 stays unused
	t.next = make([]uint16, t.width)
	t.ending = make([]uint16, 1)
	for k, e := range endings {
		if e == "" {
			panic("classify: empty stemmer ending")
		}
		node := 0
		for i := len(e) - 1; i >= 0; i-- {
			slot := node*t.width + int(t.column[e[i]])
			if t.next[slot] == 0 {
				t.next[slot] = uint16(len(t.ending))
				t.next = append(t.next, make([]uint16, t.width)...)
				t.ending = append(t.ending, 0)
			}
			node = int(t.next[slot])
		}
		if t.ending[node] != 0 {
			panic("classify: repeated stemmer ending " + e)
		}
		t.ending[node] = uint16(k + 1)
	}
	return t
}

// longest finds the longest ending in t that w ends with and that starts
// at or after byte from. It returns the ending's length in bytes and its
// index in the list given to newStemTrie; n is 0 when none fits. Every
// ending is valid UTF-8, so a match always starts on a rune boundary.
func (t *stemTrie) longest(w string, from int) (n, index int) {
	node := 0
	for i := len(w) - 1; i >= from; i-- {
		c := t.column[w[i]]
		if c == 0 {
			break
		}
		node = int(t.next[node*t.width+int(c)])
		if node == 0 {
			break
		}
		if k := t.ending[node]; k != 0 {
			n, index = len(w)-i, int(k)-1
		}
	}
	return n, index
}
