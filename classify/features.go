package classify

import (
	"unicode"
	"unicode/utf8"
)

// featureKind separates the hash spaces of the three kinds of feature.
type featureKind uint8

const (
	kindStem   featureKind = 1 // Fold(Stem(word)): the word's lemma-ish identity
	kindPrefix featureKind = 2 // first prefixLen letters of the folded word
	kindGram   featureKind = 3 // character n-gram of "<folded word>"
	kindNeg    featureKind = 4 // Fold(Stem(word)) of a word in a rejected stretch (negation.go)
	kindCue    featureKind = 5 // a text-level cue (cues.go)
	numKinds               = 6
)

// featConf says which features extract produces.
type featConf struct {
	// prefixLen: truncating to the first letters is a crude but robust
	// stemmer for Lithuanian, whose inflection is almost all suffixes. It
	// still matches when the Snowball stemmer is thrown off by a typo or a
	// word typed without diacritics (the endings -ų/-u, -ą/-a differ).
	prefixLen int
	// minGram, maxGram: character n-grams capture roots across
	// inflections and survive a typo elsewhere in the word. 4-grams alone
	// measured as well as 3–5 and 4–5 and are the cheapest.
	minGram, maxGram int
	// noStem replaces Stem by the identity (to measure what it adds).
	noStem bool
	// negation gives rejected words ("ne kursų, o darbo") kindNeg
	// features instead of their usual ones.
	negation bool
	// cues adds the text-level cues.
	cues bool
	// advert adds cueAdvert to them.
	advert bool
	// ask counts the stem and prefix features of the sentences that ask
	// for something askWeight times, when other sentences do not: the
	// label follows what the writer asks for, not the story around it.
	ask bool
}

const (
	// bytesPerToken bounds how much raw text is read for MaxTokens words.
	bytesPerToken = 32
	// maxWordRunes: longer "words" (URLs, pasted hashes) are cut.
	maxWordRunes = 40
)

// feature is one occurrence of a hashed feature in a text. tok indexes the
// token it came from, for evidence.
type feature struct {
	h    uint64
	tok  int32
	row  int32 // 1 + its vocabulary row when the word cache gave it, else 0
	kind featureKind
}

// extract turns text into features in sc.tokens and sc.feats, reading at
// most maxTokens content words.
func extract(text string, maxTokens int, fc featConf, wc *wordCache, sc *scratch) {
	sc.tokens, sc.negs, sc.feats = sc.tokens[:0], sc.negs[:0], sc.feats[:0]
	if limit := maxTokens * bytesPerToken; len(text) > limit {
		// Cut at a rune boundary; a word split here is one of hundreds.
		for limit > 0 && !utf8.RuneStart(text[limit]) {
			limit--
		}
		text = text[:limit]
	}
	var last brk
	sc.words, last = splitWords(Normalize(text), sc.words[:0])
	if fc.negation {
		markRejected(sc.words)
	}
	asks := fc.ask && askSentences(sc.words, &sc.asks)
	for wi, w := range sc.words {
		t := w.text
		if !w.content {
			continue
		}
		if len(sc.tokens) >= maxTokens {
			break
		}
		ti := int32(len(sc.tokens))
		sc.tokens = append(sc.tokens, t)
		sc.negs = append(sc.negs, w.neg)
		reps := 1
		if asks && sc.asks[wi] {
			reps = askWeight
		}
		if e := wc.lookup(t); e != nil {
			sc.feats = wc.appendFeats(sc.feats, e, ti, w.neg, reps)
			continue
		}
		sc.feats, sc.buf = wordFeats(sc.feats, sc.buf, t, ti, w.neg, reps, fc)
	}
	sc.cues = 0
	if fc.cues && len(sc.tokens) > 0 {
		cs := cuesOf(sc.words, last)
		if fc.advert && advertises(sc.words) {
			cs |= 1 << cueAdvert
		}
		sc.cues = cs
		for c := cue(0); c < numCues; c++ {
			if cs.has(c) {
				sc.feats = append(sc.feats, feature{h: hashFolded(kindCue, c.String()), tok: -1, kind: kindCue})
			}
		}
	}
}

// wordFeats appends the features of the content word t (token ti) to
// feats: its stem, reps times, or only its negated stem when neg; then
// its prefix, reps times, and its character n-grams. buf is scratch.
func wordFeats(feats []feature, buf []byte, t string, ti int32, neg bool, reps int, fc featConf) ([]feature, []byte) {
	st := t
	if !fc.noStem {
		st = Stem(t)
	}
	if neg {
		return append(feats, feature{h: hashFolded(kindNeg, st), tok: ti, kind: kindNeg}), buf
	}
	f := feature{h: hashFolded(kindStem, st), tok: ti, kind: kindStem}
	for range reps {
		feats = append(feats, f)
	}
	b := append(buf[:0], '<')
	n := 0
	for _, r := range t {
		if n == maxWordRunes {
			break
		}
		b = utf8.AppendRune(b, foldRune(r))
		n++
	}
	if fc.prefixLen > 0 && n > fc.prefixLen {
		f := feature{h: hashBytes(kindPrefix, b[1:1+runeOffset(b[1:], fc.prefixLen)]), tok: ti, kind: kindPrefix}
		for range reps {
			feats = append(feats, f)
		}
	}
	b = append(b, '>')
	return appendGrams(feats, b, fc.minGram, fc.maxGram, ti), b
}

// askWeight is how many times a word of an asking sentence counts. By
// author (TestTuneByAuthor), 3 made fewer errors than 2 or 4, and
// repeating the n-grams too made the confidence worse.
const askWeight = 3

// askSentences sets (*marks)[i] for the words of the sentences with a
// proposal word that is not turned down, and reports whether some words
// are marked and others not; otherwise no word stands out. In an asking
// sentence that concedes before it asks ("X – gerai, bet mums reikia Y"),
// only the words after the contrast are marked.
func askSentences(ws []word, marks *[]bool) bool {
	m := (*marks)[:0]
	start, from, ask := 0, 0, false
	var some, unmarked bool
	flush := func(end int) {
		for j := start; j < end; j++ {
			on := ask && j >= from
			m = append(m, on)
			if ws[j].content {
				some = some || on
				unmarked = unmarked || !on
			}
		}
	}
	for i, w := range ws {
		if i > 0 && w.before >= brkSentence {
			flush(i)
			start, from, ask = i, i, false
		}
		if !ask && isContrast(w.fold) {
			from = i
		}
		if w.propose && !w.neg {
			ask = true
		}
	}
	flush(len(ws))
	*marks = m
	return some && unmarked
}

// appendGrams adds the character n-grams of w (which includes the < >
// word boundary marks and at most maxWordRunes+2 runes) to feats.
func appendGrams(feats []feature, w []byte, minGram, maxGram int, ti int32) []feature {
	var starts [maxWordRunes + 3]int
	ns := 0
	for i := 0; i < len(w); {
		starts[ns] = i
		ns++
		_, size := utf8.DecodeRune(w[i:])
		i += size
	}
	starts[ns] = len(w)
	for n := minGram; n <= maxGram; n++ {
		for i := 0; i+n <= ns; i++ {
			feats = append(feats, feature{h: hashBytes(kindGram, w[starts[i]:starts[i+n]]), tok: ti, kind: kindGram})
		}
	}
	return feats
}

// eachToken calls fn with each word of the normalised text s (see Tokens)
// until fn returns false.
func eachToken(s string, fn func(string) bool) {
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if !fn(s[start:i]) {
				return
			}
			start = -1
		}
	}
	if start >= 0 {
		fn(s[start:])
	}
}

// isContent reports whether the normalised token t can carry meaning (at
// least two letters, not a stop word, not a number), given its folded form ("" for
// a token too long to be a stop word).
func isContent(t, fold string) bool {
	letters := 0
	for _, r := range t {
		if 'a' <= r && r <= 'z' || r >= utf8.RuneSelf && unicode.IsLetter(r) {
			letters++
			if letters == 2 {
				break
			}
		}
	}
	return letters >= 2 && !isStopFolded(fold)
}

// runeOffset returns the byte offset of the n-th rune of b (or len(b)).
func runeOffset(b []byte, n int) int {
	i := 0
	for ; n > 0 && i < len(b); n-- {
		_, size := utf8.DecodeRune(b[i:])
		i += size
	}
	return i
}

// FNV-1a, 64 bit, with the feature kind mixed in first.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashBytes(k featureKind, b []byte) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(k)
	h *= fnvPrime
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// hashFolded hashes Fold(s) without building it.
func hashFolded(k featureKind, s string) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(k)
	h *= fnvPrime
	var enc [utf8.UTFMax]byte
	for _, r := range s {
		n := utf8.EncodeRune(enc[:], foldRune(r))
		for _, c := range enc[:n] {
			h ^= uint64(c)
			h *= fnvPrime
		}
	}
	return h
}
