package redact

import (
	"strings"
	"unicode"
)

// cueWords come right before a person's name: a self-introduction
// ("mano vardas", "esu", "aš", "my name is"), a title ("p.", "ponia",
// "Dr.") or a kinship word ("sūnus", "dukra"). cuePrefixes are role words
// in any case ("kaimynė", "darbuotoja", "pirmininkas"). After one, a
// capitalised word is a name even if no list has it, and a place name or a
// common noun (Neringa, Rasa) is a name. Both are folded (see fold) and
// looked up by token, not by a pattern over the text, which made the
// whole of Find four times slower.
var (
	cueWords = map[string]bool{
		"vardas": true, "pavarde": true, "esu": true, "as": true, "cia": true, "ponia": true, "poniai": true,
		"ponios": true, "ponas": true, "ponui": true, "pono": true, "p": true, "gerb": true, "dr": true,
		"doc": true, "prof": true, "mr": true, "mrs": true, "ms": true, "i'm": true,
		"vyras": true, "vyro": true, "vyrui": true, "sunus": true, "sunaus": true, "sunui": true,
		"dukra": true, "dukros": true, "dukrai": true, "dukters": true, "zmona": true, "zmonos": true,
		"zmonai": true, "mama": true, "mamos": true, "mamai": true, "brolis": true, "brolio": true,
		"broliui": true, "sesuo": true, "sesers": true, "seseriai": true, "teta": true, "dede": true,
	}
	cuePrefixes = []string{
		"kaimyn", "nare", "narys", "narei", "nario", "darbuotoj", "pirminink", "direktor", "vadov",
		"mokytoj", "gyventoj", "savanor", "koordinator", "koleg", "draug", "senel", "mociut", "anuk",
		"tet", "kirpej", "slaugytoj", "aukl", "kunig",
	}
)

// titles are the cue words written with a dot after them.
var titles = map[string]bool{"p": true, "gerb": true, "dr": true, "doc": true, "prof": true, "mr": true, "mrs": true, "ms": true}

// cueBefore reports whether toks[i] follows a cue word with nothing but
// spaces, a colon, a comma or a dash between them. "is" and "am" count
// only in "my name is", "this is" and "I am".
func cueBefore(text string, toks []token, i int) bool {
	if i == 0 {
		return false
	}
	p := toks[i-1]
	if strings.Trim(text[p.end:toks[i].start], " \t\u00a0:,–-.") != "" {
		return false
	}
	if p.dot && !titles[p.fold] {
		return false // "…mama. Rūta" ends a sentence before the name
	}
	switch {
	case cueWords[p.fold]:
		return true
	case p.fold == "is" && i >= 2 && (toks[i-2].fold == "name" || toks[i-2].fold == "this"):
		return true
	case p.fold == "am" && i >= 2 && toks[i-2].fold == "i":
		return true
	}
	for _, pre := range cuePrefixes {
		if strings.HasPrefix(p.fold, pre) {
			return true
		}
	}
	return false
}

// closings start a signature: the name follows on the same line or the
// next one. Lower case, matched at the start of a line.
var closings = []string{
	"pagarbiai", "su pagarba", "ačiū", "aciu", "dėkoju", "dekoju", "dėkui", "su linkėjimais", "linkėjimai",
	"cheers", "thanks", "thank you", "best regards", "kind regards", "regards", "best wishes", "all the best",
	"best", "yours sincerely", "sincerely", "yours",
}

// closingEnd returns where the closing that starts line ends (past its
// comma and spaces), or -1: the closing must be followed by a comma, "!",
// "." or the end of the line, so "Ačiū už darbą." is no signature.
func closingEnd(line string) int {
	trimmed := strings.TrimLeft(line, " \t")
	at := len(line) - len(trimmed)
	head := strings.ToLower(trimmed[:min(len(trimmed), 24)])
	for _, c := range closings {
		if !strings.HasPrefix(head, c) {
			continue
		}
		rest := trimmed[len(c):]
		switch {
		case rest == "" || strings.TrimSpace(rest) == "":
			return len(line)
		case rest[0] == ',' || rest[0] == '!' || rest[0] == '.':
			end := at + len(c) + 1
			for end < len(line) && (line[end] == ' ' || line[end] == '\t') {
				end++
			}
			return end
		}
	}
	return -1
}

// After a name, these words say it is part of an institution's, a
// street's or a church's name ("Vytauto Didžiojo universitetas", "Jono
// Jablonskio progimnazija", "Kęstučio g.", "Dariaus ir Girėno stadionas"),
// which is published as it is. Compared as folded prefixes.
var institutionWords = []string{
	"universitet", "gimnazij", "progimnazij", "mokykl", "pagrindin", "kolegij", "akademij", "baznyc",
	"parapij", "stadion", "aikst", "parkas", "parke", "parko", "tilt", "paminkl", "premij", "muziej",
	"bibliotek", "ligonin", "klinik", "fond", "draugij", "sajung", "gatv", "prospekt", "alej", "plent",
	"skersgatv", "vardo", "teatr", "kolegij", "vidurin", "salej", "sale", "mikrorajon", "kalnas", "kalno",
	"ezer", "upe", "upes", "kapin", "koplyc", "vienuolyn", "katedr", "institut", "centr", "tarnyb",
	"savivaldyb", "seniunij", "bendruomen", "organizacij", "imon", "agentur", "ministerij", "departament",
	"inspekcij", "policij", "komitet", "grup", "kryz", "biur", "klub", "darzel", "poliklinik",
	// and in English mail
	"street", "avenue", "road", "square", "school", "church", "university", "park", "bridge", "hospital",
}

// epithets follow a historical ruler's name.
var epithets = map[string]bool{"didysis": true, "didziojo": true, "didziajam": true, "didziuoju": true, "karalius": true, "karaliaus": true}

// streetAbbrevs follow a street name: "Vytauto g.", "Gedimino pr.".
var streetAbbrevs = map[string]bool{"g": true, "pr": true, "al": true, "pl": true, "skg": true, "tak": true, "a": true, "kel": true, "k": true}

// orgMarkers start an organisation's name: "VšĮ Vilties žiedas", "UAB
// Petraičio statyba". An organisation's name is published.
var orgMarkers = map[string]bool{"uab": true, "vsi": true, "mb": true, "ab": true, "ii": true, "zub": true, "kub": true, "asociacija": true, "bendrija": true}

// findNames returns private persons' names. A word is taken as a name
// when
//   - it is a first name from the lists, in any case ("Jono"), written
//     with a capital, and is not a place (Neringa) or, at the start of a
//     sentence, a common noun (Saulė "sun");
//   - it is an initial before a surname ("J. Petraitis");
//   - it ends like a married or unmarried woman's surname (-ienė, -aitė,
//     -ytė, -utė, -ūtė) or a typical man's one (-aitis, -auskas,
//     -evičius);
//   - a cue precedes it (cueBefore) or it signs the text: after a
//     closing ("Pagarbiai,") or alone on the last line;
//   - it is one of the caller's known people's words, in any case.
//
// A name is extended by the capitalised words and initials that follow it
// on the same line ("Jonas Petraitis", "Ona K."), and dropped when it is
// part of a street's or institution's name, follows "Šv.", or stands
// inside an organisation's name or quotes.
func findNames(text string, known Known) []Span {
	lx := theLexicon()
	toks := tokenize(text)
	if len(toks) == 0 {
		return nil
	}
	people := map[string]bool{}
	for _, p := range known.People {
		for _, w := range strings.Fields(p) {
			w = strings.Trim(w, ".,")
			if len([]rune(w)) < 2 {
				continue
			}
			for _, f := range declensions(w) {
				people[strings.ToLower(f)] = true
				people[fold(f)] = true
			}
		}
	}
	sig := signatureTokens(text, toks)

	capWord := func(t token) bool {
		return t.upper && !t.initial && !t.allCaps && !lx.stop[t.fold] && !lx.place[t.fold] && !definiteAdjective(t.fold)
	}
	first := func(t token) bool {
		return t.upper && !t.initial && !t.allCaps && lx.first[t.key] && !lx.stop[t.fold]
	}
	// joined reports whether tokens i and i+1 are on one line with only
	// spaces between them.
	joined := func(i int) bool {
		if i+1 >= len(toks) {
			return false
		}
		return strings.Trim(text[toks[i].end:toks[i+1].start], " \t\u00a0") == ""
	}

	var out []Span
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		cue := t.upper && cueBefore(text, toks, i)
		nextSurname := joined(i) && capWord(toks[i+1]) && !streetOrInstitution(toks, i+1, text)
		isName, bySurname := false, false
		switch {
		case !t.upper || t.allCaps || lx.stop[t.fold]:
		case people[t.key]:
			isName = true
		case t.initial:
			// "P. S." (post scriptum) is no initial.
			ps := (t.fold == "p" && i+1 < len(toks) && toks[i+1].initial && toks[i+1].fold == "s") ||
				(t.fold == "s" && i > 0 && toks[i-1].initial && toks[i-1].fold == "p")
			isName = !ps && joined(i) && !toks[i+1].initial && capWord(toks[i+1]) && len([]rune(toks[i+1].fold)) >= 3
		case cue || sig[i]:
			isName = !t.allCaps && (!lx.place[t.fold] || cue) || first(t)
		case first(t):
			switch {
			case lx.place[t.fold]:
				isName = nextSurname
			case lx.ambiguous[t.key] && t.sentStart:
				isName = nextSurname
			default:
				isName = true
			}
		case strongSurname(text[t.start:t.end], t.fold):
			isName = !lx.place[t.fold]
			bySurname = true
		}
		if !isName {
			continue
		}
		j := i
		for k := 0; k < 3 && joined(j); k++ {
			n := toks[j+1]
			if !(n.initial || capWord(n) || people[n.key]) || streetOrInstitution(toks, j+1, text) {
				break
			}
			j++
		}
		if vetoName(text, toks, i, j) {
			i = j
			continue
		}
		// A surname found by its ending takes the first name before it
		// that the lists lack ("gydytoja Jurgita Mockutė").
		s := i
		if bySurname && s > 0 && joined(s-1) && capWord(toks[s-1]) && !toks[s-1].sentStart &&
			(len(out) == 0 || out[len(out)-1].End <= toks[s-1].start) {
			s--
		}
		out = append(out, Span{Start: toks[s].start, End: toks[j].end, Kind: KindName})
		i = j
	}
	return out
}

// strongSurname reports whether a capitalised word ends like a Lithuanian
// surname and hardly anything else: women's -ienė, -aitė, -ytė, -utė,
// -ūtė and men's -aitis, -auskas, -evičius, -avičius in any case. The
// diacritic-free forms are taken only where no verb or common word ends
// the same way ("Rašykite" ends in -ite, so -ytė needs its ė).
func strongSurname(word, key string) bool {
	w := strings.ToLower(word)
	for _, suf := range []string{"ienė", "ienės", "ienei", "ienę", "ienėje",
		"aitė", "aitės", "aitei", "aitę", "ytė", "ytės", "ytei", "ytę", "utė", "utės", "utei", "utę", "ūtė", "ūtės", "ūtei", "ūtę"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			return true
		}
	}
	for _, suf := range []string{"iene", "ienes", "ienei", "aite", "aites", "aitei",
		"aitis", "aicio", "aiciui", "aiti", "aiciu", "auskas", "ausko", "auskui", "auska", "ausku",
		"evicius", "eviciaus", "eviciui", "eviciu", "evicium", "avicius", "aviciaus", "aviciui", "aviciu"} {
		if strings.HasSuffix(key, suf) && len(key) > len(suf)+1 {
			return true
		}
	}
	return false
}

// streetOrInstitution reports whether the words from toks[i] on, up to
// three capitalised words or "ir" joining two names, lead to a street
// abbreviation or an institution's word ("Kęstučio g.", "Vytauto
// Didžiojo universitetas", "Dariaus ir Girėno stadionas").
func streetOrInstitution(toks []token, i int, text string) bool {
	for k := i; k < len(toks) && k < i+4; k++ {
		t := toks[k]
		// A comma or a line break ends the name's phrase: in "Antanas
		// Urbonas, Palemono g. 3A" the street is the next item.
		if k > 0 && strings.ContainsAny(text[toks[k-1].end:t.start], ",;:!?()\n") {
			return false
		}
		if !t.upper || k > i {
			if streetAbbrevs[t.fold] && t.dot && !t.upper {
				return true
			}
			for _, p := range institutionWords {
				if strings.HasPrefix(t.fold, p) {
					return true
				}
			}
		}
		if !t.upper && t.fold != "ir" {
			return false
		}
	}
	return false
}

// vetoName reports whether the name candidate toks[i..j] is part of
// something published: a saint's name ("Šv. Jono"), a street or an
// institution, or an organisation's name after UAB, VšĮ and the like, or
// a quoted name („Vilties žiedas“).
func vetoName(text string, toks []token, i, j int) bool {
	if i > 0 {
		p := toks[i-1]
		if (p.fold == "sv" && p.dot) || strings.HasPrefix(p.fold, "sventoj") || strings.HasPrefix(p.fold, "sventosios") {
			return true
		}
	}
	if streetOrInstitution(toks, j+1, text) {
		return true
	}
	if j+1 < len(toks) && epithets[toks[j+1].fold] {
		return true // a ruler, not a resident: "Vytautas Didysis"
	}
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		p := toks[k]
		if orgMarkers[p.fold] {
			return true
		}
		if !p.upper || strings.ContainsAny(text[p.end:toks[k+1].start], ",;:.!?\n") {
			break
		}
	}
	line := text[strings.LastIndexByte(text[:toks[i].start], '\n')+1 : toks[i].start]
	if strings.LastIndex(line, "„") > strings.LastIndex(line, "“") || strings.Count(line, "\"")%2 == 1 ||
		strings.LastIndex(line, "«") > strings.LastIndex(line, "»") {
		return true
	}
	return false
}

// signatureTokens marks the tokens that sign the text: the capitalised
// words of the line after a closing ("Pagarbiai, Laima", "Su
// pagarba,\nJūratė") and of a short last line made only of capitalised
// words and initials ("Marius", "Olena K."). A capitalised word followed by
// lower-case words on that line is a role or an organisation, not a name
// ("Kėdainių jaunimo atstovai", "Jaunimo centro vadovas").
func signatureTokens(text string, toks []token) map[int]bool {
	sig := map[int]bool{}
	mark := func(lineStart, lineEnd int) {
		var idx []int
		for k, t := range toks {
			if t.start >= lineStart && t.end <= lineEnd {
				idx = append(idx, k)
			}
		}
		for _, k := range idx {
			if toks[k].fold == "the" {
				return // "The Green Team" signs for an organisation
			}
		}
		for n, k := range idx {
			t := toks[k]
			if !t.upper || t.allCaps {
				continue
			}
			if n+1 < len(idx) && !toks[idx[n+1]].upper {
				continue
			}
			sig[k] = true
		}
	}
	for ls := 0; ls < len(text); {
		le := strings.IndexByte(text[ls:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += ls
		}
		if ce := closingEnd(text[ls:le]); ce >= 0 {
			start, end := ls+ce, le
			if strings.TrimSpace(text[start:end]) == "" && end < len(text) {
				start = end + 1
				if e := strings.IndexByte(text[start:], '\n'); e >= 0 {
					end = start + e
				} else {
					end = len(text)
				}
			}
			mark(start, end)
		}
		ls = le + 1
	}
	body := strings.TrimRight(text, " \t\n\r")
	last := body[strings.LastIndexByte(body, '\n')+1:]
	if ls := len(body) - len(last); ls > 0 && len(strings.Fields(last)) <= 3 && strings.Trim(last, " ,.-\t\r") != "" {
		ok := true
		for _, r := range last {
			if !(r == ' ' || r == ',' || r == '.' || r == '-' || r == '\t' || r == '\r' || unicode.IsLetter(r)) {
				ok = false
				break
			}
		}
		for _, f := range strings.Fields(last) {
			if !isUpperStart(f) {
				ok = false
			}
		}
		if ok {
			mark(ls, len(body))
		}
	}
	return sig
}

// definiteAdjective reports whether a folded word ends like a definite
// adjective ("Didžiojo", "Raudonojo", "Naujosios"), which starts the names
// of institutions and streets and never a person's.
func definiteAdjective(key string) bool {
	for _, suf := range []string{"ojo", "osios", "ieji", "iosios", "ojoje", "uju"} {
		if strings.HasSuffix(key, suf) && len(key) > len(suf)+2 {
			return true
		}
	}
	return false
}
