package redact

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The parts of a Lithuanian address. A street word is a capitalised word
// in the genitive or a definite adjective ("Vytauto", "Laisvės",
// "Savanorių", "Naujoji"), an initial ("K. Donelaičio"), "Šv." or an
// ordinal ("Kovo 11-osios"); up to three of them name the street. The type
// follows in full or abbreviated (gatvė g., prospektas pr., alėja al.,
// plentas pl., skersgatvis skg., takas tak., aikštė a., kelias kel.,
// kaimas k.), then the house number with an optional letter and flat
// ("12", "12A", "12-5", "12 butas 5", "namas 3").
const (
	streetWord = `(?:\p{Lu}\p{Ll}*(?:o|ės|es|ų|os|io|ių|aus|ies|oji|osios|ojo|ųjų)|\p{Lu}\.|Šv\.|\d{1,2}-(?:osios|ojo|iosios|ųjų|ios))`
	streetType = `(?:g\.|gatv(?:ė|e|ės|es|ėje|eje)|pr\.|prospekt(?:as|o|e|u)|al\.|alėj(?:a|os|oje)|alej(?:a|os|oje)|pl\.|plent(?:as|o|e|u)|skg\.|skersgatv(?:is|io|yje)|tak\.|tak(?:as|o|e)|a\.|aikšt(?:ė|ės|ėje)|kel\.|keli(?:as|o)|kelyje|k\.|kaim(?:as|o|e))`
	houseNo    = `(?:(?:namas|nam\.|n\.)\s*)?\d{1,4}(?:[A-Za-z]|\s[A-Z])?\b(?:\s?[-–/]\s?\d{1,4}|,?\s*(?:butas|but\.|bt\.?)\s*\d{1,4})?`
)

var (
	// streetAddress is a street with its type and a house number.
	streetAddress = regexp.MustCompile(`(?:` + streetWord + `[ \x{00a0}]){0,2}` + streetWord + `[ \x{00a0}]` + streetType + `,?[ \x{00a0}]+` + houseNo)
	// bareAddress is "Vytauto 12": a street word and a house number
	// without a type, which findAddresses takes only with more evidence.
	bareAddress = regexp.MustCompile(`(?:` + streetWord + `[ \x{00a0}]){0,2}` + streetWord + `[ \x{00a0}]` + houseNo)
	// englishAddress is "12 Baker Street".
	englishAddress = regexp.MustCompile(`\b\d{1,4}[A-Za-z]?,? (?:[A-Z][a-z]+ ){1,3}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Drive|Close|Way|Square|Place|Crescent|Court|Terrace)\b`)
	// addressCue precedes a bare address: "gyvenu", "adresas:",
	// "adresu", "siųskite". Lower-cased text is searched.
	addressCue = regexp.MustCompile(`(?:^|[^\p{L}])(?:gyven\p{L}*|adres\p{L}*|adr\.|siųskite|siuskite|atvykite|užsukite|namai)[\s:,]*$`)
	// afterHouse says the number was a quantity or a date, or that the
	// address belongs to an institution, not a home: "Vytauto g. 2026 m.",
	// "Savanorių pr. 5 000 Eur", "Vilniaus g. 8 esančioje bibliotekoje".
	afterHouse = regexp.MustCompile(`^(?:-\d|\s?(?:\d{3}\b|€|%|eur|proc|m\.|d\.|val|mln|tūkst|metų|kart|-osios|-ojo|-ios)|[ ,]+(?:esanči\p{L}*\s+|esant\p{L}*\s+)?(?:bibliotek|mokykl|gimnazij|progimnazij|darželi|poliklinik|ligonin|parduotuv|prekybos|kavin|bažnyči|seniūnij|centr|salė|muziej|kultūros|biur|klub|stadion|parapij|vaistin|pašt|bank|turg|įstaig|universitet|kolegij|teatr|kino|viešbut|restoran|sporto|sal))`)
	// streetTypeWord is a whole word that streetType matches.
	streetTypeWord = regexp.MustCompile(`^` + streetType + `$`)
	// longHouseNumber is a four-digit number, which without a street type
	// is a year or a sum far more often than a house ("Nuo 2025-09").
	longHouseNumber = regexp.MustCompile(`\s\d{4}`)
	// houseDigits is the house number in a known address.
	houseDigits = regexp.MustCompile(`\d{1,4}`)
	// monthWord is a month's genitive, which before a number is a date
	// ("Birželio 12"), not a street.
	monthWord = regexp.MustCompile(`^(?i:sausio|vasario|kovo|balandžio|gegužės|birželio|liepos|rugpjūčio|rugsėjo|spalio|lapkričio|gruodžio)\b`)
)

// findAddresses returns house addresses: street, type and house number,
// or a village and house number. A street without a number stays (many
// households share it, and the VVG has to say where a proposed bench or
// lamp goes). A bare "Vytauto 12" is taken only after an address cue
// ("gyvenu", "adresas"), with a flat number, or before ", Kaunas" or a
// postal code. The caller's known addresses are found in any case of the
// street name.
func findAddresses(text string, known []string) []Span {
	var out []Span
	add := func(s, e int) {
		if afterHouse.MatchString(strings.ToLower(text[e:min(len(text), e+40)])) {
			return
		}
		out = append(out, Span{Start: s, End: e, Kind: KindAddress})
	}
	for _, m := range matchesNearNumbers(text, streetAddress) {
		s := trimStreetStart(text, m[0], m[1])
		add(s, m[1])
	}
	for _, m := range matchesNearNumbers(text, bareAddress) {
		s := trimStreetStart(text, m[0], m[1])
		if monthWord.MatchString(text[s:m[1]]) || overlapsAny(out, s, m[1]) || longHouseNumber.MatchString(text[s:m[1]]) {
			continue
		}
		if bareAddressEvidence(text, s, m[1]) {
			add(s, m[1])
		}
	}
	if hasEnglishStreet(text) {
		for _, m := range englishAddress.FindAllStringIndex(text, -1) {
			out = append(out, Span{Start: m[0], End: m[1], Kind: KindAddress})
		}
	}
	for _, k := range known {
		out = append(out, findKnownAddress(text, k)...)
	}
	return out
}

// trimStreetStart drops leading words the street-word pattern took but
// that start a sentence or a clause ("Mano Vytauto g. 5" is rare; "Gyvenu
// Vytauto g. 5" is not, yet "Gyvenu" does not end like a street name, so
// only words in notStreet need dropping).
func trimStreetStart(text string, start, end int) int {
	for {
		sp := strings.IndexAny(text[start:end], " \u00a0")
		if sp < 0 {
			return start
		}
		w := strings.ToLower(text[start : start+sp])
		if !notStreet[w] {
			return start
		}
		start += sp + 1
		for start < end && (text[start] == ' ') {
			start++
		}
	}
}

// notStreet are capitalised words that end like a street name but start
// sentences instead.
var notStreet = map[string]bool{
	"mano": true, "mūsų": true, "musu": true, "jo": true, "jos": true, "jų": true, "tos": true, "to": true,
	"prie": true, "iki": true, "nuo": true, "ties": true, "adresas": true, "ir": true, "kaip": true, "jeigu": true,
	"kadangi": true, "todėl": true, "tačiau": true, "taip": true, "labai": true, "gal": true, "pvz.": true,
	"po": true, "apie": true, "per": true, "pagal": true, "prieš": true, "tarp": true, "šalia": true,
	"dėl": true, "už": true, "pas": true, "kas": true, "tas": true, "šio": true, "kiekvienos": true,
}

func bareAddressEvidence(text string, start, end int) bool {
	num := text[start:end]
	if strings.ContainsAny(num, "-–/") || strings.Contains(num, "bt") || strings.Contains(num, "but") {
		return true
	}
	if addressCue.MatchString(strings.ToLower(text[max(0, start-24):start])) {
		return true
	}
	rest := text[end:]
	if c, ok := strings.CutPrefix(rest, ", "); ok {
		if strings.HasPrefix(c, "LT-") {
			return true
		}
		w := c
		if i := strings.IndexAny(w, " ,.;\n"); i >= 0 {
			w = w[:i]
		}
		return isPlace(w)
	}
	return false
}

// hasEnglishStreet is a quick test for englishAddress's street words.
func hasEnglishStreet(text string) bool {
	for _, w := range []string{"Street", "St", "Road", "Rd", "Avenue", "Ave", "Lane", "Drive", "Close", "Way", "Square", "Place", "Crescent", "Court", "Terrace"} {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// matchesNearNumbers returns the matches of an address pattern, which
// always ends in a house number, looking only at the line around each
// number that follows a space: the patterns' capital-letter classes made
// a scan of the whole text the slowest part of Find.
func matchesNearNumbers(text string, re *regexp.Regexp) [][]int {
	var out [][]int
	for i := 1; i < len(text); i++ {
		if !isDigit(text[i]) || (text[i-1] != ' ' && text[i-1] != ',') || !streetBefore(text[max(0, i-40):i]) {
			continue
		}
		// An address starts at most six words (three street words, an
		// initial, the type, "namas") before its number.
		start, words := i-1, 0
		for start > 0 && text[start-1] != '\n' && i-start < 90 {
			if text[start-1] == ' ' && text[start] != ' ' {
				if words++; words == 6 {
					break
				}
			}
			start--
		}
		end := min(len(text), i+40)
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
		for _, m := range re.FindAllStringIndex(text[start:end], -1) {
			m[0] += start
			m[1] += start
			if m[1] > i && (len(out) == 0 || m[0] >= out[len(out)-1][1]) {
				out = append(out, m)
			}
		}
	}
	return out
}

// streetBefore is the cheap test matchesNearNumbers makes before running
// a pattern: the word before the number (past "namas" and a comma) is a
// street or village word or starts with a capital letter.
func streetBefore(before string) bool {
	w := strings.TrimRight(before, " ,\u00a0")
	for _, n := range []string{"namas", "nam.", "n."} {
		if t, ok := strings.CutSuffix(w, n); ok {
			w = strings.TrimRight(t, " ,\u00a0")
		}
	}
	if i := strings.LastIndexAny(w, " \n\u00a0"); i >= 0 {
		w = w[i+1:]
	}
	if w == "" {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
		return true
	}
	return streetTypeWord.MatchString(w)
}

func overlapsAny(spans []Span, start, end int) bool {
	for _, s := range spans {
		if start < s.End && s.Start < end {
			return true
		}
	}
	return false
}

// findKnownAddress finds the street and house number of an address the
// caller knows, with the street in any case: the first four letters of
// its first word, the rest of that word, up to 30 more bytes on the same
// line, and the same house number.
func findKnownAddress(text, address string) []Span {
	m := streetAddress.FindStringIndex(address)
	if m == nil {
		m = bareAddress.FindStringIndex(address)
	}
	if m == nil {
		return nil
	}
	found := address[m[0]:m[1]]
	word, _, _ := strings.Cut(found, " ")
	num := houseDigits.FindString(found[len(word):])
	r := []rune(word)
	if len(r) < 4 || num == "" {
		return nil
	}
	re, err := regexp.Compile(`(?i)\b` + regexp.QuoteMeta(string(r[:4])) + `\p{L}*[^\n\d]{0,30}?\b` + num + `(?:[A-Za-z]|\s[A-Z])?\b(?:\s?[-–/]\s?\d{1,4}|,?\s*(?:butas|but\.|bt\.?)\s*\d{1,4})?\b`)
	if err != nil {
		return nil
	}
	var out []Span
	for _, m := range re.FindAllStringIndex(text, -1) {
		out = append(out, Span{Start: m[0], End: m[1], Kind: KindAddress})
	}
	return out
}
