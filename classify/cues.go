package classify

import "strings"

// A message that is about no measure is told apart less by its topic than
// by what it does: it asks about the writer's own case, thanks, complains,
// corrects the strategy's text, or was meant for someone else, and it
// proposes nothing. Its words, though, are often a measure's words
// ("pašalpa", "kompensacija", "strategija"). Cues are text-level features
// for what a message does; the models weigh them like words, so their
// effect is learned from the examples, not set by hand.

// cue is one text-level feature; a text has a set of them.
type cue uint8

const (
	cueProposal     cue = iota // proposes something: "siūlau", "reikėtų", "būtų gerai", "galėtų"
	cueNoProposal              // no proposal word at all
	cueQuestion                // asks something ('?')
	cueOwnQuestion             // a question about the writer's own case ("ar man priklauso…?")
	cueQuestionOnly            // asks, proposes nothing
	cueThanksOnly              // thanks, proposes nothing
	cueDeclines                // "pasiūlymų neturiu": says there is no proposal
	cueAdvert                  // sells something: a price, discount or "we invite", and a call to order or get in touch
	numCues
)

// cueNames name the cues in hashes and in evidence.
func (c cue) String() string {
	return [...]string{"#proposal", "#no-proposal", "#question", "#own-question",
		"#question-only", "#thanks-only", "#declines", "#advert"}[c]
}

// cueSet is a set of cues, bit c for cue c.
type cueSet uint16

func (s cueSet) has(c cue) bool { return s&(1<<c) != 0 }

// cuesOf finds the cues of a text's words; last is the boundary after
// the last word (a final question mark).
func cuesOf(ws []word, last brk) cueSet {
	var proposal, question, own, thanks, declines, haveOffer, haveNone, nothing, noChange, nothingX, changeX bool
	// A sentence that declines ("pasiūlymų neturiu", "pastabų neturiu")
	// proposes nothing, though its words do; the other sentences still may
	// ("pastabų neturiu, bet siūlau…" is one sentence and declines).
	var sentProposal, sentDeclines bool
	// A sentence that asks without a question mark (indirect) is a
	// question, about the writer's own case (sentenceOwn) or a caller's
	// (third).
	var sentenceOwn, indirect, third bool
	endSentence := func() {
		proposal = proposal || sentProposal && !sentDeclines
		declines = declines || sentDeclines
		if indirect {
			question = true
			own = own || sentenceOwn || third
		}
		sentProposal, sentDeclines, sentenceOwn, indirect, third = false, false, false, false, false
		haveOffer, haveNone, nothing, noChange, nothingX, changeX = false, false, false, false, false, false
	}
	for i, w := range ws {
		if w.before >= brkSentence {
			endSentence()
		}
		t := w.fold
		switch {
		case strings.HasPrefix(t, "pasiul") || strings.HasPrefix(t, "pastab") || strings.HasPrefix(t, "suggestion") ||
			strings.HasPrefix(t, "comment") || strings.HasPrefix(t, "предложен") || strings.HasPrefix(t, "замечан"):
			haveOffer = true
		case t == "neturiu" || t == "neturime" || t == "neturim" || t == "no" || t == "нет":
			haveNone = true
		}
		// "Nieko keisti nesiūlau", "nothing to add", "ничего не
		// изменить": nothing to change, so no proposal either.
		switch {
		case t == "nieko" || t == "keisti":
			nothing = true
		case strings.HasPrefix(t, "nesiul"):
			noChange = true
		case t == "nothing" || t == "ничего":
			nothingX = true
		case t == "add" || t == "change" || strings.HasPrefix(t, "добав") || strings.HasPrefix(t, "измен"):
			changeX = true
		}
		if haveOffer && haveNone || nothing && noChange || nothingX && changeX || knowsNoProposal(ws, i) {
			sentDeclines = true
		}
		switch {
		case w.propose && !w.neg:
			sentProposal = true
		case isFirstPerson(t):
			sentenceOwn = true
		case isThanks(t):
			thanks = true
		}
		// "Norėčiau paklausti, ar man priklauso…", "klausė, ar jai
		// priklauso…": a question without a question mark, often about
		// the writer's (or, in a note of a call, the caller's) own case.
		indirect = indirect || asksWhether(ws, i)
		third = third || t == "jai" || t == "jam"
		// A question mark closes the sentence of the word before it.
		end := last
		if i+1 < len(ws) {
			end = ws[i+1].before
		}
		if end == brkQuestion {
			question = true
			own = own || sentenceOwn
		}
	}
	endSentence()
	var s cueSet
	add := func(c cue, on bool) {
		if on {
			s |= 1 << c
		}
	}
	add(cueProposal, proposal)
	add(cueNoProposal, !proposal)
	add(cueQuestion, question)
	add(cueOwnQuestion, own)
	add(cueQuestionOnly, question && !proposal)
	add(cueThanksOnly, thanks && !proposal)
	add(cueDeclines, declines)
	return s
}

// asksWhether reports whether word i is a verb or noun of asking followed
// closely by "whether": "klausė, ar", "noriu paklausti, ar", "asked
// if", "спрашивала, можно ли".
func asksWhether(ws []word, i int) bool {
	t := ws[i].fold
	if !(strings.HasPrefix(t, "klaus") || strings.HasPrefix(t, "paklaus") || strings.HasPrefix(t, "teirav") ||
		strings.HasPrefix(t, "teiraut") || strings.HasPrefix(t, "pasiteirau") || strings.HasPrefix(t, "ask") ||
		strings.HasPrefix(t, "wonder") || strings.HasPrefix(t, "спраш") || strings.HasPrefix(t, "спроси")) {
		return false
	}
	for j := i + 1; j < len(ws) && j <= i+3; j++ {
		if ws[j].before >= brkSentence {
			return false
		}
		switch ws[j].fold {
		case "ar", "whether", "if", "ли":
			return true
		}
	}
	return false
}

// knowsNoProposal reports whether word i starts "nežinau, ką siūlyti" or
// "не знаю, что предложить": the writer has no proposal to make.
func knowsNoProposal(ws []word, i int) bool {
	switch t := ws[i].fold; {
	case t == "nezinau" || t == "nezinome" || t == "nezinom":
	case t == "не" && i+1 < len(ws) && ws[i+1].fold == "знаю":
		i++
	default:
		return false
	}
	for j := i + 1; j < len(ws) && j <= i+2; j++ {
		if t := ws[j].fold; strings.HasPrefix(t, "siul") || strings.HasPrefix(t, "pasiul") || strings.HasPrefix(t, "предлож") {
			return true
		}
	}
	return false
}

// advertises reports whether the words read like an advertisement: they
// name a price or a discount, or invite ("kviečiame", "приглашаем"), and
// ask the reader to order, sign up or get in touch. A course or a
// consultancy on offer names a measure's topic ("verslo konsultacijos",
// "kursai") while proposing nothing for the strategy; either marker alone
// is common in real proposals ("kainos", "susisiekite su manimi").
func advertises(ws []word) bool {
	var price, call, invite bool
	for i, w := range ws {
		t := w.fold
		switch {
		case strings.HasPrefix(t, "kvieciam"), strings.HasPrefix(t, "приглаша"), t == "invite", t == "invites",
			t == "organizuojame", t == "padesime", t == "offer", t == "offers", t == "предлагаем", t == "uab",
			t == "organizuoja", t == "предлагает", t == "организует":
			invite = true
		case strings.HasPrefix(t, "nuolaid"), strings.HasPrefix(t, "kain"), t == "eur", t == "euru",
			strings.HasPrefix(t, "skidk"), t == "discount", t == "price",
			strings.HasPrefix(t, "nemokam"), strings.HasPrefix(t, "бесплатн"):
			price = true
		case strings.HasPrefix(t, "susisiek"), strings.HasPrefix(t, "skambink"), strings.HasPrefix(t, "kreipkit"),
			strings.HasPrefix(t, "registruok"), strings.HasPrefix(t, "registracij"), strings.HasPrefix(t, "uzsakym"),
			strings.HasPrefix(t, "uzsakyk"), strings.HasPrefix(t, "uzsisakyk"),
			t == "galioja", t == "www", t == "http", t == "https", t == "tel", t == "order", t == "contact",
			strings.HasPrefix(t, "звони"), strings.HasPrefix(t, "записыва"), t == "пишите", t == "atsakykite",
			t == "informacijos" && i > 0 && ws[i-1].fold == "daugiau" && (i == 1 || ws[i-1].before >= brkSentence):
			call = true
		}
	}
	return (price || invite) && call
}

// isProposalWord reports whether the folded word w proposes or asks for something to be
// done: the verbs and modal forms residents write proposals with.
func isProposalWord(w string) bool {
	if strings.HasPrefix(w, "siul") || strings.HasPrefix(w, "pasiul") || strings.HasPrefix(w, "propos") ||
		strings.HasPrefix(w, "suggest") || strings.HasPrefix(w, "recommend") || strings.HasPrefix(w, "предлага") ||
		strings.HasPrefix(w, "предлож") || strings.HasPrefix(w, "рекоменд") {
		return true
	}
	switch w {
	case "reiketu", "reikia", "reikalinga", "reikalingas", "reikalingi", "trukst", "truksta",
		"galetu", "galetume", "galetumete", "butu",
		"numatyti", "ikurti", "isteigti", "sukurti", "organizuoti", "rengti", "skirti",
		"should", "need", "needs", "please", "could", "нужно", "надо", "нужен", "нужна", "нужны",
		"прошу", "просим", "необходимо", "следует", "хотелось", "было",
		"would", "wish", "maybe", "perhaps", "бы", "лучше", "пусть", "давайте", "хочу", "хотим":
		return true
	}
	return isRussianImperative(w)
}

// isRussianImperative reports a Russian plural imperative, the polite
// form a request takes ("сделайте", "организуйте", "поставьте",
// "помогите"), but not the calls of an advert ("звоните", "пишите").
func isRussianImperative(w string) bool {
	if w == "здравствуйте" { // the greeting, "hello"
		return false
	}
	if strings.HasSuffix(w, "йте") || strings.HasSuffix(w, "ьте") {
		// Six letters or more (two bytes each): not "дайте" alone.
		return len(w) >= 2*6
	}
	// "-ите" is also the present tense ("говорите"): only these.
	switch w {
	case "помогите", "научите", "поддержите", "проведите", "пригласите":
		return true
	}
	return false
}

// isFirstPerson reports whether the folded word w refers to the writer alone ("man",
// "mano", "galiu"), or names an entitlement that only a person's own case
// has ("priklauso").
func isFirstPerson(w string) bool {
	switch w {
	case "man", "mano", "mane", "manes", "as", "galiu", "priklauso", "mums", "musu",
		"i", "my", "me", "мне", "я", "мой", "моя", "моей", "моему":
		return true
	}
	return false
}

// isThanks reports whether the folded word w thanks or praises.
func isThanks(w string) bool {
	return w == "aciu" || strings.HasPrefix(w, "dekoj") || strings.HasPrefix(w, "padekot") ||
		strings.HasPrefix(w, "thank") || strings.HasPrefix(w, "спасиб") || strings.HasPrefix(w, "благодар")
}
