package mailparse

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Out-of-office notices and "we received your mail" receipts often come
// without any automatic header: a colleague's Outlook rule, a webmail
// vacation setting, a municipality's helpdesk. RFC 3834 §2 asks a
// responder not to answer them, so they are recognised by what they say.
// Residents, though, mention holidays, illness and being away in real
// suggestions ("esu atostogose, todėl pagaliau turiu laiko parašyti:
// siūlau…"). The rule therefore weighs three kinds of cue against the one
// thing a resident's message has and a notice has not: a proposal.
//
//   - absence: the writer is away, on leave, ill, gone, or the mailbox is
//     not read;
//   - receipt: the message says it received ours;
//   - the shape of a notice: a promise to answer later, a return date, a
//     colleague or a phone to turn to, "not forwarded", "urgent", or it
//     answers a thread.
//
// A short text with an absence or a receipt cue and at least one more
// cue, and no proposal, is an autoresponder's. Phrases are matched on a
// lower-cased text folded to plain Latin letters (ą→a, ū→u, …), since
// many residents and some mail systems write without diacritics.
// testdata/absence holds the labelled set the rule is measured on.

// absenceMaxRunes is the longest own text taken for a notice: they are a
// few sentences; a resident's letter that happens to be short still needs
// a cue of each kind and no proposal.
const absenceMaxRunes = 700

// absenceWords say the writer is not there to read the mail.
var absenceWords = []string{
	"atostog", "nesu darbo viet", "nebusiu darbo viet", "nesu darbe", "nebusiu darbe", "nesu biure",
	"nebusiu biure", "nedirbu", "nedirba", "nebedirb", "nepasiekiam", "isvyk", "komandiruot",
	"mokymuose", "sergu", "nedarbingum", "manes nebus", "manes nera", "neturesiu prieigos",
	"neturiu prieigos", "neturesiu galimyb", "neturiu galimybes skaityti", "pasta tikrinsiu",
	"pasto netikrin", "laiskus tikrinsiu", "nebeaktyv", "nebenaudojam", "uzsiemes", "uzsiemusi",
	"out of the office", "out of office", "out of the country", " on leave", "parental leave",
	"maternity leave", "paternity leave", "sick leave", "annual leave", "on holiday", "on vacation",
	"away until", "away from", "i'm away", "i am away", "currently away", "out sick", "travelling",
	"traveling", "no access to", "limited access", "intermittent access", "limited connectivity",
	"no longer work", "no longer with", "not monitored", "no longer monitored", "out until",
	"out and about", "off until", "be away",
}

// receiptWords say our mail was received and will be dealt with.
var receiptWords = []string{
	"gavome jusu", "laiskas gautas", "gavome", "gavau jusu", "uzregistruot", "registracijos numer",
	"prasymas gautas", "pranesimas gautas", "kreipimasis gautas", "uzklausa gauta", "sekmingai pristatyt",
	"perduotas atsakingam", "perduota atsakingam", "dekojame uz jusu laisk", "dekojame uz laisk",
	"aciu uz jusu laisk", "aciu uz laisk", "dekojame uz kreipim", "dekojame, kad parasete",
	"dekojame, kad kreip", "we have received", "we received your", "has been received",
	"have been received", "we have your", "thank you for contacting", "thanks for contacting",
	"getting in touch", "thank you for your email", "thank you for your message", "thanks for your email",
	"thanks for your message", "your request", "your enquiry", "your inquiry", "ticket",
}

// noticeWords are the shape of a notice: a later answer, a return, where
// else to turn, what happens to the mail meanwhile.
var noticeWords = []string{
	"atsakysiu", "atsakysime", "atsakinesiu", "atsakinesime", "susisieksime", "susisieksiu",
	"perskaitysiu", "perziuresiu", "bus perskaityt", "atsakyma gausite", "atsakyma pateiksime",
	"atsakome per", "galesite susisiekti", "grisiu", "grizusi", "grizes", "grizus", "sugrizus",
	"pasveik", "kreipkites", "kreiptis", "rasykite", "skambinkite", "rasyti adresu", "nebus persiust",
	"nebus persiunciam", "nebus perziurim", "neperziurim", "su velavimu", "automatinis",
	"atsakyti nereikia", "skub", "artimiausiu metu", "darbo dien", "kaip galima greiciau",
	"kai tik galesiu", "veliau", "graziu svenciu",
	"back on", "back then", "back in the office", "on my return", "upon my return", "when i'm back",
	"when i am back", "when i return", "will be back", "i'll be back", "returning on", "return on",
	"please contact", "please write", "please redirect", "please use", "please call",
	"contact my colleague", "in my absence", "not be forwarded", "not been forwarded", "not be read",
	"not be checking", "won't be checking", "be delayed", "automatic", "automated", "no need to reply",
	"urgent", "working days", "within", "as soon as", "get back to you", "will reply", "will respond",
	"i'll reply", "i'll respond", "expect a reply", "happy holidays",
}

// absenceDateRE finds "until/from a date" ("iki gruodžio 7 d.", "nuo
// pirmadienio", "until the 5th"), folded.
var absenceDateRE = regexp.MustCompile(`\b(iki|nuo|until|till|from)\s+(\d|the \d|sausio|vasario|kovo|balandzio|geguzes|birzelio|liepos|rugpjucio|rugsejo|spalio|lapkricio|gruodzio|pirmadien|antradien|treciadien|ketvirtadien|penktadien|sestadien|sekmadien|kito|rytoj|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|next)`)

// proposalWords are what a resident's suggestion says and a notice does
// not; each must start a word.
var proposalWords = []string{
	"siul", "pasiul", "reiket", "reikia", "butu gerai", "butu puiku", "butu labai", "noreciau", "norime",
	"prasau itraukti", "prasome itraukti", "truksta", "trukumas", "irengti", "remti", "paremti", "parama",
	"idej", "strategij", "manau", "suggest", "propos", "would love", "would like", "would be great",
	"would be good", "please consider", "should", "fund", "support for", "i think", "we need",
}

// absencePhrases holds absenceWords, receiptWords and noticeWords in that
// order, for one pass over the text.
var absencePhrases = newPhraseSet(append(append(append([]string(nil), absenceWords...), receiptWords...), noticeWords...))

// absenceReason explains why a message without automatic headers is an
// out-of-office notice or a receipt, or returns "".
func absenceReason(in kindInput) string {
	if utf8.RuneCountInString(in.text) > absenceMaxRunes {
		return ""
	}
	text := foldLatin(in.lowerText)
	subject := foldLatin(toLower(in.subject))
	if hasProposal(text) {
		return ""
	}
	found := make([]bool, len(absencePhrases.phrases))
	absencePhrases.find(subject+"\n"+text, found)
	na, nr := len(absenceWords), len(receiptWords)
	var cues []string
	away, received, notice := false, 0, 0
	for i, f := range found {
		if !f {
			continue
		}
		switch {
		case i < na:
			away = true
		case i < na+nr:
			received++
		default:
			notice++
		}
		if len(cues) < 4 {
			cues = append(cues, strings.TrimSpace(absencePhrases.phrases[i]))
		}
	}
	if absenceDateRE.MatchString(text) {
		notice++
		cues = append(cues, "a date")
	}
	// Being away, or having received our mail, is said in passing too
	// ("pictures I took on vacation"); a notice also says what happens
	// next, or says both, or says the receipt twice over ("your request
	// has been received"). Answering a thread is no such cue: people
	// answer threads.
	if !away && received == 0 || notice == 0 && !(away && received > 0) && received < 2 {
		return ""
	}
	kind := "out-of-office text"
	if !away {
		kind = "acknowledgement-of-receipt text"
	}
	return kind + " (" + strings.Join(cues, ", ") + ")"
}

// hasProposal reports whether text, folded, says what a resident's
// suggestion says: one of proposalWords at the start of a word, "reikia"
// not as "jei reikia" ("if needed", which notices say).
func hasProposal(text string) bool {
	for _, w := range proposalWords {
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(w)
			if at > 0 {
				r, _ := utf8.DecodeLastRuneInString(text[:at])
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					continue
				}
			}
			if w == "reikia" && (strings.HasSuffix(text[:at], "jei ") || strings.HasSuffix(text[:at], "jeigu ")) {
				continue
			}
			return true
		}
	}
	return false
}

// latinFold maps the Lithuanian letters (and a few neighbours') to plain
// Latin ones.
var latinFold = strings.NewReplacer("ą", "a", "č", "c", "ę", "e", "ė", "e", "į", "i", "š", "s", "ų", "u",
	"ū", "u", "ž", "z", "’", "'", "„", "\"", "“", "\"", "–", "-", "—", "-")

// foldLatin folds lower-cased s for the phrase lists.
func foldLatin(s string) string { return latinFold.Replace(s) }
