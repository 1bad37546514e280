package classify

// SearchWords splits text into words for full-text search, each with the
// index terms it is found by: its stem with the diacritics folded away,
// and the stem of the folded word. Both are needed because residents
// type without a Lithuanian keyboard and the stemmer reads endings with
// their marks: "dviračių" stems to "dvirat" but "dviraciu" to "dvirac",
// while "savanoriu" and "savanorių" both give "savanor". A query and a
// text match when some term of each query word is among the text's.
func SearchWords(text string) [][]string {
	var out [][]string
	// A letter repeats its words; each is stemmed once (stemming twice
	// per word was a tenth of what recording a suggestion cost).
	seen := map[string][]string{}
	eachToken(Normalize(text), func(t string) bool {
		terms, ok := seen[t]
		if !ok {
			a := Fold(Stem(t))
			b := Stem(Fold(t))
			terms = []string{a}
			if a != b {
				terms = append(terms, b)
			}
			seen[t] = terms
		}
		out = append(out, terms)
		return true
	})
	return out
}
