package mailparse

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// spamThreshold is the content score from which untagged mail counts as
// spam. It is set high on purpose: losing a resident's suggestion to the
// spam folder is far worse than acknowledging an advert.
const spamThreshold = 8

// spamTextBytes is how much of the subject and text the content score
// reads.
const spamTextBytes = 6000

// spamSignal is one scored feature of advertising: any of its phrases,
// or its pattern, in the lower-cased text.
type spamSignal struct {
	phrases []string
	re      *regexp.Regexp
	guards  []string // the pattern runs only when the text holds one of these
	weight  int
	name    string
}

// spamSignals are the advertising signals (built once, only read); each
// counts once. Plain phrases are looked for all at once (spamPhrases),
// which is far cheaper than a regexp over every message.
var spamSignals = []spamSignal{
	{[]string{"užsisakykite dabar", "užsakykite dabar", "pirkite dabar", "order now", "buy now", "act now"}, nil, nil, 3, "call to buy"},
	{[]string{"tik šiandien", "galioja tik", "ribotą laiką", "ribotas pasiūlymas", "limited time", "today only", "expires today"}, nil, nil, 3, "urgency"},
	{[]string{"spauskite čia", "paspauskite čia", "click here", "spustelėkite čia"}, nil, nil, 3, "click here"},
	{nil, regexp.MustCompile(`(atsakykite|reply|siųskite)\s+stop\b`), []string{"stop"}, 3, "STOP opt-out"},
	{[]string{"garantuojame", "guaranteed", "money back", "pinigų grąžinimo garantij"}, regexp.MustCompile(`100\s?%\s?(garantij|guarantee)`), []string{"100"}, 3, "guarantee"},
	{[]string{"pirmoje vietoje", "pirmame puslapyje", "first page of google", "top of google", "seo paslaug", "seo services"}, regexp.MustCompile(`\bseo\b`), []string{"seo"}, 3, "SEO"},
	{[]string{"greitoji paskola", "paskola be", "be užstato", "palūkanos tik", "payday loan", "kreditą per"}, regexp.MustCompile(`greit(i|ieji|as|asis|ųjų) kredit`), []string{"kredit"}, 3, "loans"},
	{[]string{"laimėjote", "you have won", "you've been selected", "you have been selected", "congratulations,", "congratulations!"}, nil, nil, 3, "prize"},
	{[]string{"uždirbkite", "papildomų pajamų", "pasyvių pajamų", "earn money", "make money", "work from home", "dirbk iš namų"}, nil, nil, 3, "easy money"},
	{[]string{"kriptovaliut", "bitcoin", "crypto", "forex", "kazino", "casino", "lošim", "viagra", "cialis", "svorio metim", "lose weight"}, nil, nil, 3, "typical spam goods"},
	{[]string{"išskirtinis pasiūlymas", "specialus pasiūlymas", "special offer", "exclusive offer", "exclusive deal", "nuolaida iki"}, regexp.MustCompile(`iki -?\d{2}\s?%`), []string{"%"}, 2, "special offer"},
	{[]string{"jūsų svetain", "jūsų įmonės svetain", "your website", "your site"}, nil, nil, 2, "your website"},
	{[]string{"kaina tik", "per mėnesį tik"}, regexp.MustCompile(`tik \d+[.,]?\d*\s?(€|eur)|(€|eur)\s?/\s?mėn|only \$\d+`), []string{"€", "eur", "$"}, 2, "price bait"},
	{[]string{"atsisakyti prenumeratos", "unsubscribe", "nenorite gauti"}, nil, nil, 1, "opt-out text"},
	{[]string{"?utm_", "&utm_"}, nil, nil, 1, "tracking links"},
	{nil, regexp.MustCompile(`\d\s?(€|eur)\b|€\s?\d|\$\s?\d`), []string{"€", "eur", "$"}, 1, "prices"},
}

// civicWords are what residents write about: suggestions, the strategy,
// their community. Each one present lowers the spam score.
var civicWords = []string{
	"siūlau", "siūlyčiau", "siūlome", "pasiūlyti", "strategij", "vvg", "bendruomen", "seniūnij",
	"gyventoj", "kaimo", "kaime", "kaimų", "savanor", "jaunim", "senjor", "neįgal", "bibliotek",
	"mokykl", "vietos plėtr", "suggest", "proposal", "community", "residents",
}

// spamPhrases holds every phrase and guard of spamSignals and then, from
// civicFrom on, the civicWords, for one pass over the text; spamIDs[i]
// are the places of signal i's phrases and guards in it.
var spamPhrases, spamIDs, civicFrom = func() (*phraseSet, []spamIDsOf, int) {
	var all []string
	add := func(ps []string) []int32 {
		var ids []int32
		for _, p := range ps {
			ids = append(ids, int32(len(all)))
			all = append(all, p)
		}
		return ids
	}
	ids := make([]spamIDsOf, len(spamSignals))
	for i, s := range spamSignals {
		ids[i] = spamIDsOf{phrases: add(s.phrases), guards: add(s.guards)}
	}
	civic := len(all)
	add(civicWords)
	return newPhraseSet(all), ids, civic
}()

// spamIDsOf are the places in spamPhrases of one signal's phrases and
// guards.
type spamIDsOf struct{ phrases, guards []int32 }

// matched reports whether signal s, with places ids, occurs in text,
// given which phrases were found there.
func (s spamSignal) matched(ids spamIDsOf, found []bool, text string) bool {
	for _, id := range ids.phrases {
		if found[id] {
			return true
		}
	}
	if s.re == nil {
		return false
	}
	for _, id := range ids.guards {
		if found[id] {
			return s.re.MatchString(text)
		}
	}
	return false
}

// spamScore rates untagged mail for advertising. Civic vocabulary and
// being a reply count against it, so a resident writing about prices,
// businesses or links keeps a low score.
func spamScore(in kindInput) (int, string) {
	// Adverts say what they sell at the top: a resident's long letter is
	// not read to its end for sales talk.
	// The text comes capped and lowered (withLower): it may be a megabyte,
	// and the subject is short.
	text := capText(toLower(in.subject)+"\n"+in.lowerSpam, spamTextBytes)
	score := 0
	var why []string
	found := make([]bool, len(spamPhrases.phrases))
	spamPhrases.find(text, found)
	for i, s := range spamSignals {
		if s.matched(spamIDs[i], found, text) {
			score += s.weight
			why = append(why, s.name)
		}
	}
	if strings.Count(in.subject, "!") >= 2 {
		score += 2
		why = append(why, "shouting subject")
	}
	if shoutingWord(in.subject) {
		score += 2
		why = append(why, "capitals in subject")
	}
	if in.replyTo != nil && in.from.Addr != "" && domainOf(in.replyTo.Addr) != domainOf(in.from.Addr) {
		score++
		why = append(why, "Reply-To elsewhere")
	}
	if strings.Count(text, "http") >= 3 {
		score++
		why = append(why, "many links")
	}
	civic := 0
	for _, f := range found[civicFrom:] {
		if f {
			civic++
		}
	}
	score -= min(2*civic, 10)
	if in.hasRefs {
		score -= 2
	}
	return score, fmt.Sprintf("advertising content (score %d: %s)", score, strings.Join(why, ", "))
}

// shoutingWord reports a word of five or more capital letters.
func shoutingWord(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) >= 5 && strings.ToUpper(w) == w && strings.ToLower(w) != w {
			return true
		}
	}
	return false
}
