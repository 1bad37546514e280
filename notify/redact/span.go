package redact

// Kind says what sort of personal data a span holds. Its values are stable
// words, stored with staff edits and written in the labelled set.
type Kind string

// The kinds Find reports. Staff may add spans of any kind in the console.
const (
	KindName         Kind = "name"          // a private person's name, whole or in part
	KindEmail        Kind = "email"         // an e-mail address
	KindPhone        Kind = "phone"         // a telephone number
	KindPersonalCode Kind = "personal-code" // asmens kodas
	KindIBAN         Kind = "iban"          // a bank account number
	KindAddress      Kind = "address"       // a street or village with a house number
	KindURL          Kind = "url"           // a link to one person's profile
)

// Span is one piece of personal data in a text: the bytes [Start, End) of
// the text, what kind it is, and the bytes themselves, so that a span kept
// with a text can be checked against it later (see Validate).
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Kind  Kind   `json:"kind"`
	Text  string `json:"text"`
}

// Known carries what the caller already knows about a suggestion's sender.
// Every field may be empty.
type Known struct {
	// People are full names of private persons the caller knows, usually
	// the sender's own from the form or the From header. Every word of
	// each name is looked for in all its grammatical cases, even a name
	// the built-in lists do not have.
	People []string
	// Addresses are postal addresses the sender gave ("Vytauto g. 12-5,
	// Kaunas"); their street and house number are looked for in the text.
	Addresses []string
	// Public are names that stay published: the organisation the sender
	// wrote for (an organisation's name is published when it gave one, and
	// is not personal data) and public office holders named in their role.
	// A name found inside one of them is not redacted.
	Public []string
}
