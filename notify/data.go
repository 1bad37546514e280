package notify

import "time"

// Org describes the Local Action Group (VVG) that sends the mail: who it is,
// the mailbox residents write to, and how else they can reach it.
type Org struct {
	Name          string // full legal name, e.g. "Pavyzdžio rajono vietos veiklos grupė"
	ShortName     string // e.g. "Pavyzdžio VVG"
	Address       string // the intake mailbox; From of every message and envelope sender
	FromName      string // display name in From; Name when empty
	Phone         string
	Website       string
	PostalAddress string
	PrivacyNotice string // personal-data notice printed at the end of acknowledgements
	// PrivacyNoticeEN is the notice for English acknowledgements;
	// PrivacyNotice when empty.
	PrivacyNoticeEN string
	// NameEN and ShortNameEN name the VVG in English mail; Name and
	// ShortName when empty.
	NameEN, ShortNameEN string
}

// In returns the organisation as mail in lang names it: the English
// names in English when there are any.
func (o Org) In(lang string) Org {
	if lang != LangEN {
		return o
	}
	if o.NameEN != "" {
		o.Name = o.NameEN
	}
	switch {
	case o.ShortNameEN != "":
		o.ShortName = o.ShortNameEN
	case o.NameEN != "":
		o.ShortName = o.NameEN
	}
	return o
}

// Addr is one mailbox: a display name (may be empty) and an address.
type Addr struct {
	Name, Addr string
}

// Head is what every message's data starts with: its language, the zone
// its dates are shown in, the sender, and its Message-ID and Date headers.
type Head struct {
	Lang      string         // "lt" (default when empty) or "en"
	Loc       *time.Location // zone the dates are shown in, normally Europe/Vilnius
	Org       Org
	MessageID string    // stable, without <>, e.g. "vvg-ack-42@vvg.example.lt"
	Date      time.Time // Date header; zero means time.Now()
}

// address readies h for a message to the recipients given: the sender's
// words in h's language, then the envelope checked, whose language and
// Message-ID (normalised) h takes back. The error lists every problem.
func (h *Head) address(to ...Addr) (envelope, error) {
	h.Org = h.Org.In(h.Lang)
	env := envelope{org: h.Org, to: to, messageID: h.MessageID, date: h.Date, loc: h.Loc, lang: h.Lang}
	err := env.check()
	h.Lang, h.MessageID = env.lang, env.messageID
	return env, err
}

// Reply is what every message answering a resident about their
// suggestion starts with, the acknowledgement and the decision letter:
// to whom, which suggestion and what it said, the measure it is under,
// and the resident's message it threads under.
type Reply struct {
	Head
	To Addr

	Ref               string // e.g. "VVG-2026-0042"; shown as [Ref] in the subject
	ConsultationTitle string
	ReceivedAt        time.Time
	Excerpt           string // what the resident wrote (shortened)
	Source            string // "email" | "form" | "staff"; the wording differs slightly

	// MeasureCode and MeasureTitle name the strategy measure (priemonė)
	// the suggestion is under; both empty when it has none (see each
	// message for what it then says).
	MeasureCode, MeasureTitle string

	// InReplyTo and References are the resident's message ids, without
	// <>; empty for form and staff suggestions.
	InReplyTo  string
	References []string
}

// AckData is what an acknowledgement (patvirtinimas) to a resident says.
// Its measure is empty while the suggestion still needs review, and then
// the message says staff will file it.
type AckData struct {
	Reply

	Attachments []string  // file names of what they attached
	ClosesAt    time.Time // end of the consultation; zero = not shown
	ResponseDue time.Time // date the VVG promises to answer by; zero = not shown
	Late        bool      // received after ClosesAt
}

// MeasureCount is one row of the per-measure table: a measure and how many
// suggestions it received this period (Week) and since the consultation
// opened (Total).
type MeasureCount struct {
	Code, Title string
	Week, Total int
}

// DigestItem is one suggestion received in the digest period.
type DigestItem struct {
	Ref               string
	ReceivedAt        time.Time
	MeasureCode       string
	MeasureTitle      string
	Excerpt           string
	Late, NeedsReview bool
}

// DueItem is a suggestion whose answer falls due (or is overdue).
type DueItem struct {
	Ref     string
	Due     time.Time
	Excerpt string
}

// DigestConsultation is one consultation's section of the weekly digest.
type DigestConsultation struct {
	Slug, Title string
	Status      string // "open", "closed", … (templates translate the known ones)
	ClosesAt    time.Time
	Measures    []MeasureCount // every configured measure, zero rows included
	New         []DigestItem   // this period's submissions, in the order given
	NeedsReview int            // suggestions still waiting to be filed under a measure
	Late        int            // suggestions received after ClosesAt
	DueSoon     []DueItem
	Overdue     []DueItem
	// Themes are what residents asked for most: per measure with
	// suggestions, in measure order, its largest themes of two
	// suggestions or more (see TopThemes).
	Themes []MeasureThemes
}

// MeasureThemes is a measure's largest themes in the digest.
type MeasureThemes struct {
	Code, Title string
	Themes      []ThemeCount
}

// ThemeCount is one theme (tema): suggestions asking for the same thing,
// named by staff or by its most telling words, and how many ask for it
// (a campaign's copies included).
type ThemeCount struct {
	Label string
	Count int
}

// DigestData is the weekly digest (savaitės suvestinė) for the board (valdyba).
type DigestData struct {
	Head
	To []Addr

	// PeriodStart and PeriodEnd bound the period half-open, [start, end),
	// the way the ledger queries it: a week is Monday 00:00 to the next
	// Monday 00:00, and the last day shown is the Sunday.
	PeriodStart, PeriodEnd time.Time

	Consultations []DigestConsultation

	// Erasures is what happened to personal data in the period.
	Erasures DigestErasures

	// MaxItems caps how many New items per consultation are listed in the
	// mail (the counts always cover all of them): 0 means 200, negative
	// means no cap.
	MaxItems int
}

// DigestErasures is what happened to personal data in the digest's
// period: the board answers for the VVG as its controller (GDPR), so the
// digest names each retention rule applied and how many people had their
// data erased on request, never who.
type DigestErasures struct {
	Purged    []DigestPurge
	OnRequest int
}

// DigestPurge is one retention rule applied to one consultation, or to
// the mail that joined none (Consultation "").
type DigestPurge struct {
	Consultation string
	Rule         string // ledger.RuleRawMail, RulePersonal or RuleCases
	Cases        int    // suggestions anonymised or deleted
	Messages     int    // e-mails whose raw bytes or personal data went
}

// ReportItem is one row of the closing report.
type ReportItem struct {
	Ref          string
	ReceivedAt   time.Time
	Source       string // "email" | "form" | "staff"
	SenderName   string
	MeasureCode  string
	MeasureTitle string
	Excerpt      string
	Decision     string // the board's decision, if already recorded
	Late         bool
}

// ReportData is the closing report (ataskaita) sent to staff when a
// consultation closes.
type ReportData struct {
	Head
	To []Addr

	Slug, Title                    string
	OpensAt, ClosesAt, ResponseDue time.Time
	Total, OnTime, Late            int
	NeedsReview                    int
	Measures                       []MeasureCount
	Items                          []ReportItem

	// CSV and XLSX are the exports, attached as <slug>.csv and <slug>.xlsx
	// when not empty.
	CSV, XLSX []byte

	// MaxItems caps how many Items are listed in the mail body (the
	// attachments hold all of them): 0 means 200, negative means no cap.
	MaxItems int
}

// ReminderData reminds staff that answers to suggestions fall due.
type ReminderData struct {
	Head
	To []Addr

	Slug, Title string
	Due         time.Time
	Open        []DueItem // suggestions still without an answer
}
