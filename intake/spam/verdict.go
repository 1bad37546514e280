package spam

// Band is what the intake does with a message, decided from its Score.
type Band int8

const (
	// Ham is a person's mail: record it and acknowledge it.
	Ham Band = iota
	// Unsure is recorded as a suggestion for staff review but not
	// acknowledged: an acknowledgement to a forged sender is backscatter,
	// and staff can still answer a resident by hand.
	Unsure
	// Spam is recorded as spam and never acknowledged.
	Spam
)

// String returns "ham", "unsure" or "spam", the words used in logs and
// the ledger.
func (b Band) String() string {
	switch b {
	case Ham:
		return "ham"
	case Unsure:
		return "unsure"
	case Spam:
		return "spam"
	}
	return "band?"
}

// Hints are cheap structural facts about a message that the caller
// already knows from its headers and MIME structure and that the text
// alone does not show. The zero value means "nothing known" and is always
// safe to pass. The script mix and the language are not hints: Score
// reads them from the text itself, because the parser's language guess
// knows only Lithuanian and English.
type Hints struct {
	// Links is the number of link targets in the message's HTML (href
	// attributes), which HTML-to-text conversion hides; links written out
	// in the text are counted by Score itself. Pass 0 when unknown.
	Links int
	// Attachments is the number of attached files (inline images
	// included).
	Attachments int
	// Reply is true when the message carries In-Reply-To or References:
	// people answer threads, bulk senders rarely fake them.
	Reply bool
	// NameMismatch is true when the From display name is itself an e-mail
	// address other than the sender's ("service@bank.example"
	// <x@elsewhere.example>), a spoofing trick people never use.
	NameMismatch bool
}

// Evidence is one feature of the message and how far it pushed the
// margin towards spam, for staff to see why a message was held.
type Evidence struct {
	// Feature names the feature: a folded word ("viagra"), a word pair
	// ("click here"), a word's first letters ("pasiu…"), a subject word
	// ("subject:free"), a link's domain ("link:bit.ly") or a structural
	// fact ("exclamations≥4", "cyrillic≥50%").
	Feature string
	// Weight is its contribution to the margin (log-odds); positive
	// pushes towards spam.
	Weight float64
}

// Verdict is Score's judgement of one message.
type Verdict struct {
	// Score is the calibrated probability-like spam score in [0, 1],
	// fitted on held-out predictions of the training mix (see doc.go);
	// Band is what follows from it.
	Score float64
	Band  Band
	// Evidence lists up to MaxEvidence features that pushed most towards
	// spam, strongest first; empty when nothing did.
	Evidence []Evidence
}

// MaxEvidence is the most Evidence a Verdict carries.
const MaxEvidence = 5
