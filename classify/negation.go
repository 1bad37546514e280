package classify

import "strings"

// Residents often name what they do not want next to what they do:
// "reikia ne įdarbinimo, o pagalbos pradėti savo verslą", "man nereikia
// daugiau kursų – man reikia darbo", "I don't need more courses". The
// rejected words name another measure, and as plain features they vote for
// it. markRejected finds them so that extract gives them features of
// their own (kindNeg), which say "not X" instead of "X".

const (
	// negReach is how many content words after a trigger a rejection
	// covers at most, within its clause.
	negReach = 4
	// negBack is how many content words before a verb trigger it covers
	// when nothing follows it in the clause ("kursų man nebereikia").
	negBack = 3
)

// markRejected sets neg on the words a rejection covers.
func markRejected(ws []word) {
	for i := range ws {
		switch triggerKind(ws, i) {
		case trigNone:
			continue
		case trigParticle:
			negForward(ws, i)
		case trigVerb:
			if negForward(ws, i) == 0 {
				negBackward(ws, i)
			}
		case trigExists:
			negBackward(ws, i)
			negForward(ws, i+1)
		case trigClause:
			negClause(ws, i)
		}
	}
}

type trigger uint8

const (
	trigNone     trigger = iota
	trigParticle         // "ne X", "o ne X", "not X", "užuot X": only what follows
	trigVerb             // "nereikia X" or "X nereikia"
	trigExists           // "X jau yra", "ir taip turime X", "already have X": both sides of a pair of words
	trigClause           // "nesutinku, kad X": the reported clause after "kad", need words and all
)

// triggerKind says whether word i starts a rejection. "ne tik X, bet ir
// Y" (not only) rejects nothing, nor does a negated verb of knowing or
// having ("nežino", "nėra kur eiti"): those describe a need.
func triggerKind(ws []word, i int) trigger {
	w := ws[i].fold
	next := ""
	if i+1 < len(ws) && ws[i+1].before == brkNone {
		next = ws[i+1].fold
	}
	switch {
	case isNegParticle(w):
		switch {
		case next == "tik" || next == "vien" || next == "only" || next == "только":
			return trigNone
		case enoughAhead(ws, i):
			// "not enough", "ne visada užtenka", "не хватает": a need.
			return trigNone
		case next == "man" || next == "mums":
			// "Savarankiška veikla ne man": what stands before is turned
			// down.
			return trigVerb
		}
		return trigParticle
	case w == "uzuot" || isNegImperative(w):
		return trigParticle
	case w == "vietoj" || w == "вместо":
		// "Vietoj to, siūlau…", "вместо этого": instead of what was
		// said, so what follows is the ask.
		if next == "to" || next == "sito" || next == "этого" || next == "того" {
			return trigNone
		}
		return trigParticle
	case w == "instead":
		// "Instead of X"; a bare "instead" points back.
		if next == "of" {
			return trigParticle
		}
		return trigNone
	case w == "than" && i > 0 && ws[i].before == brkNone && ws[i-1].fold == "rather":
		return trigParticle
	case isThan(w) && prefersBefore(ws, i, w == "over"):
		// "Labiau reikia X nei Y", "лучше X, чем Y", "prefer X over
		// Y": what the writer prefers less is turned down.
		return trigParticle
	case isNotContraction(w, next):
		if enoughAhead(ws, i) {
			return trigNone // "don't have enough": a need
		}
		return trigParticle
	}
	if isNegVerb(w) {
		return trigVerb
	}
	// "Nesutinku, kad bedarbiams reikia tik darbo paieškos": what the
	// writer disagrees with follows "kad".
	if isThat(w) && i > 0 && isDisagree(ws, i-1) && ws[i].before <= brkClause {
		return trigClause
	}
	if next != "" && isAlready(ws, i) && isHave(next) {
		return trigExists
	}
	if isEnough(w) && !lackBefore(ws, i) {
		return trigVerb
	}
	return trigNone
}

// isAlready reports whether word i says "already": "jau", "already",
// "уже", or the last word of "ir taip", "и так".
func isAlready(ws []word, i int) bool {
	switch ws[i].fold {
	case "jau", "already", "уже":
		return true
	case "taip", "так":
		return i > 0 && ws[i].before == brkNone && (ws[i-1].fold == "ir" || ws[i-1].fold == "и")
	}
	return false
}

// isHave reports whether w says something exists or is had: after
// "already" it names what the writer does not ask for ("kursų jau turiu",
// "ir taip yra daug informacijos", "уже есть курсы").
func isHave(w string) bool {
	switch w {
	case "yra", "turim", "turime", "turiu", "turi", "veikia", "pilna", "have", "has", "exist", "exists", "есть", "имеются", "хватает":
		return true
	}
	return false
}

// enoughReach is how many words apart a negation and "enough" may stand
// and still make a lack: "not enough", "ne visada užtenka", "don't have
// enough".
const enoughReach = 3

// enoughAhead reports whether "enough" follows word i closely, within its
// clause.
func enoughAhead(ws []word, i int) bool {
	for j := i + 1; j < len(ws) && j <= i+enoughReach; j++ {
		if ws[j].before != brkNone {
			return false
		}
		if isEnough(ws[j].fold) {
			return true
		}
	}
	return false
}

// lackBefore reports whether a negation stands closely before "enough" at
// i, within its clause: "not enough", "aren't enough", "ne visada
// užtenka".
func lackBefore(ws []word, i int) bool {
	for j := i - 1; j >= 0 && j >= i-enoughReach; j-- {
		if negatesNext(ws[j].fold) {
			return true
		}
		if ws[j].before != brkNone {
			return false
		}
	}
	return false
}

// isNegVerb reports whether w is a negated verb of needing, wanting,
// suiting or proposing.
func isNegVerb(w string) bool {
	if !strings.HasPrefix(w, "ne") {
		return false
	}
	switch w {
	case "nereikia", "nebereikia", "nereiketu", "nereik", "nereikes",
		"nenoriu", "nenorime", "nenorim", "nenori", "nenoreciau", "nenoretume",
		"nenoretu", "nebenoriu", "nebenori", "nebenorime",
		"netinka", "netiktu", "nesiulau", "nesiulome", "nepadeda", "nepades", "nepadetu",
		"neduoda", "neduos", "neduotu",
		"nereikalinga", "nereikalingi", "nereikalingas", "nereikalingos", "nebereikalinga", "nebereikalingi":
		return true
	}
	return false
}

// isDisagree reports whether word i says the writer disagrees:
// "nesutinku", "nepritariu", "disagree", "не согласен".
func isDisagree(ws []word, i int) bool {
	switch ws[i].fold {
	case "nesutinku", "nesutinkame", "nesutinkam", "nepritariu", "nepritariame", "disagree":
		return true
	case "согласен", "согласна", "согласны":
		return i > 0 && ws[i-1].fold == "не"
	}
	return false
}

// isThat reports whether w opens a reported clause: "kad", "jog",
// "that", "что".
func isThat(w string) bool { return w == "kad" || w == "jog" || w == "that" || w == "что" }

// isNegImperative reports whether w is a negated plural imperative
// ("nesiūlykite kursų", "nekurkit naujo centro"): what follows is turned
// down. "Nepamirškite" (do not forget) and "nebijokite" (do not fear) ask
// for what follows and are not.
func isNegImperative(w string) bool {
	if !strings.HasPrefix(w, "ne") || len(w) < 7 || !(strings.HasSuffix(w, "kite") || strings.HasSuffix(w, "kit")) {
		return false
	}
	return !strings.HasPrefix(w, "nepamirs") && !strings.HasPrefix(w, "nebijo")
}

// isNotContraction reports whether w (with the word after it, next) is an
// English verb with "n't": "don't", "doesn't", "didn't", typed with or
// without the apostrophe ("dont"), which splits it into "don" and "t".
func isNotContraction(w, next string) bool {
	switch w {
	case "dont", "doesnt", "didnt", "wont", "cant", "shouldnt":
		return true
	case "don", "doesn", "didn", "won", "can", "shouldn":
		return next == "t"
	}
	return false
}

// isNegParticle reports whether w is the particle "ne" (not).
func isNegParticle(w string) bool { return w == "ne" || w == "not" || w == "не" }

// negatesNext reports whether w, shortly before "enough", makes it a
// lack: "not", or the end of an English contraction ("aren't", "don't"
// split into "aren" "t", or typed "arent").
func negatesNext(w string) bool {
	switch w {
	case "t", "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt":
		return true
	}
	return isNegParticle(w)
}

// isEnough reports whether w says there is enough of something already
// ("informacijos mums užtenka", "dienos centrų pakanka"): what it names
// is not what the writer asks for. Its negation ("neužtenka", "trūksta")
// is a need and is not listed.
func isEnough(w string) bool {
	switch w {
	case "uztenka", "pakanka", "netruksta", "uzteks", "pakaks", "enough", "достаточно", "хватает", "хватит":
		return true
	}
	return false
}

// negForward marks up to negReach content words after trigger i, up to
// the end of its clause or a contrastive conjunction, and returns how
// many it marked.
func negForward(ws []word, i int) int {
	n := 0
	for j := i + 1; j < len(ws) && n < negReach; j++ {
		if ws[j].before != brkNone || isClauseConj(ws[j].fold) {
			break
		}
		// "Вместо курсов нужна работа": the need after what is turned
		// down starts what is asked for.
		if n > 0 && ws[j].propose {
			break
		}
		if ws[j].content {
			ws[j].neg = true
			// "Не надо нам X", "don't need X": the need word itself
			// does not use up the reach.
			if j > i+1 || !ws[j].propose {
				n++
			}
		}
	}
	return n
}

// negClause marks up to negReach content words of the clause after
// trigger i, need words included, up to a contrast ("bet", "o").
func negClause(ws []word, i int) {
	n := 0
	for j := i + 1; j < len(ws) && n < negReach; j++ {
		if ws[j].before != brkNone || isContrast(ws[j].fold) {
			break
		}
		if ws[j].content {
			ws[j].neg = true
			n++
		}
	}
}

// negBackward marks up to negBack content words before trigger i, back to
// the start of its clause.
func negBackward(ws []word, i int) {
	n := 0
	for j := i - 1; j >= 0 && n < negBack; j-- {
		if isClauseConj(ws[j].fold) {
			break
		}
		if ws[j].content {
			ws[j].neg = true
			n++
		}
		if ws[j].before != brkNone {
			break
		}
	}
}

// isClauseConj reports whether w opens a new clause: a contrast, or a
// reason or purpose ("nes", "kad").
func isClauseConj(w string) bool {
	switch w {
	case "nes", "kad", "tik", "rather":
		return true
	}
	return isContrast(w)
}

// isContrast reports whether w turns from what was said to what is
// asked: "bet", "tačiau", "o", "but", "но", "однако", "а".
func isContrast(w string) bool {
	switch w {
	case "bet", "taciau", "o", "but", "но", "однако", "а":
		return true
	}
	return false
}

// isThan reports the word that brings in what is compared against:
// "nei", "negu", "than", "чем", "over" (as in "prefer X over Y").
func isThan(w string) bool {
	switch w {
	case "nei", "negu", "than", "чем", "over":
		return true
	}
	return false
}

// prefersBefore reports whether a word of preference ("labiau",
// "geriau", "svarbiau", "verčiau", "better", "prefer", "prioritise",
// "лучше", "важнее", "скорее") stands up to twelve words before word i in its
// sentence; with verbOnly, only "prefer" and "prioritise" count.
func prefersBefore(ws []word, i int, verbOnly bool) bool {
	for j := i - 1; j >= 0 && j >= i-12; j-- {
		if ws[j+1].before >= brkSentence {
			return false
		}
		w := ws[j].fold
		if strings.HasPrefix(w, "prefer") || strings.HasPrefix(w, "priorit") {
			return true
		}
		if verbOnly {
			continue
		}
		switch w {
		case "labiau", "geriau", "svarbiau", "verciau", "better", "лучше", "важнее", "скорее":
			return true
		}
	}
	return false
}
