package notify

import "time"

// DecisionData is what a decision letter (atsakymas) to a resident says:
// their suggestion, the VVG's decision on it in words, the reasons, and
// where the results table is published. Its measure is the one the
// suggestion was considered under.
type DecisionData struct {
	Reply

	// Decision is accepted, partly or rejected; the templates say it in
	// words with {{decision .Decision}} (atsižvelgta, iš dalies
	// atsižvelgta, neatsižvelgta).
	Decision string
	Reason   string

	// ResultsURL is where the results table is (or will be) published;
	// "" when the VVG named no page (the letter then says its website).
	ResultsURL string
	Published  bool // the results table is published already
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
