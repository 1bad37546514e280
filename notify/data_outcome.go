package notify

import "time"

// DecisionData is what a decision letter (atsakymas) to a resident says:
// their suggestion, the VVG's decision on it in words, the reasons, and
// where the results table is published.
type DecisionData struct {
	Head
	To Addr

	Ref               string // e.g. "VVG-2026-0042"; shown as [Ref] in the subject
	ConsultationTitle string
	ReceivedAt        time.Time
	Excerpt           string // what the resident wrote (shortened)
	Source            string // "email" | "form" | "staff"

	// Decision is accepted, partly or rejected; the templates say it in
	// words with {{decision .Decision}} (atsižvelgta, iš dalies
	// atsižvelgta, neatsižvelgta).
	Decision string
	Reason   string
	// MeasureCode and MeasureTitle name the strategy measure the
	// suggestion was considered under; empty when it has none.
	MeasureCode, MeasureTitle string

	// ResultsURL is where the results table is (or will be) published;
	// "" when the VVG named no page (the letter then says its website).
	ResultsURL string
	Published  bool // the results table is published already

	// InReplyTo and References are the resident's message ids, without
	// <>; empty for form and staff suggestions.
	InReplyTo  string
	References []string
}

// ResultsItem is one suggestion in the results report.
type ResultsItem struct {
	Ref          string
	MeasureCode  string
	MeasureTitle string
	Decision     string // accepted, partly, rejected
	Reason       string
	Excerpt      string // the published (redacted) text, shortened
}

// ResultsData is the results report (rezultatų ataskaita) sent to staff
// and the board once a consultation's results are published: the
// decisions with their reasons, how the residents are answered, and the
// published table attached.
type ResultsData struct {
	Head
	To []Addr

	Slug, Title                string
	PublishedAt                time.Time
	Total                      int
	Accepted, Partly, Rejected int
	Letters                    int // decision letters to residents (queued or sent)
	Unlettered                 int // suggestions without an address, answered by the table alone
	ResultsURL                 string
	Items                      []ResultsItem

	// PDF and XLSX are the published table, attached as
	// <slug>-rezultatai.pdf and .xlsx when not empty.
	PDF, XLSX []byte

	// MaxItems caps how many Items the mail lists (the attachments hold
	// all of them): 0 means 200, negative means no cap.
	MaxItems int
}
