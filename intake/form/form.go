package form

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/vvgintake/vvgintake/web"
)

// Consultation is a consultation as the web form shows it. Status is
// draft, open, closed, decided or published; drafts are never shown. ClosesAt is the
// exclusive end of the window (midnight after the last day, as the ledger
// stores it).
type Consultation struct {
	Slug, Title, Description, Status string
	// TitleEN and DescriptionEN are shown on English pages; empty, the
	// Lithuanian ones are.
	TitleEN, DescriptionEN string
	OpensAt, ClosesAt      time.Time
	// Strategy names the measure set its suggestions are filed under
	// (Options.Strategies); "" is Options.Measures.
	Strategy string
}

// title is the consultation's title in lang.
func (c *Consultation) title(lang string) string {
	if lang == langEN && c.TitleEN != "" {
		return c.TitleEN
	}
	return c.Title
}

// description is the consultation's description in lang.
func (c *Consultation) description(lang string) string {
	if lang == langEN && c.DescriptionEN != "" {
		return c.DescriptionEN
	}
	return c.Description
}

// Measure is one strategy measure a resident may pick.
type Measure struct {
	Code, Title, TitleEN string
}

// File is an attachment sent with the form. ContentType is the sniffed
// type, never the one the browser declared. Its content was streamed to
// a temporary file as it arrived (a 30 MB post costs a few kilobytes of
// memory); Open reads it while Store.Submit runs, after which the file is
// removed.
type File struct {
	Filename, ContentType string
	Size                  int64
	SHA256                string // hex, of the content
	path                  string
}

// Open returns the file's content; it is there until Store.Submit
// returns.
func (fl File) Open() (io.ReadCloser, error) { return os.Open(fl.path) }

// Submission is one checked suggestion from the web form, handed to
// Store.Submit.
type Submission struct {
	Consultation string // slug
	Text         string // NFC, LF line ends, at most MaxTextRunes runes
	// Measure is the resident's own choice; "" means "nežinau – tegul
	// priskiria VVG" (let the VVG decide), the default.
	Measure string
	// Name and Email are optional and never hold CR or LF; Email is a bare
	// address checked with net/mail.
	Name, Email string
	Sector      string // "" | resident | ngo | business | public
	Consent     bool   // always true when Name or Email is set
	Files       []File
	ReceivedAt  time.Time
	RemoteAddr  string // the client's IP as the form saw it
	Language    string // "lt" or "en": the page the resident used
}

// Receipt is what the store says about a stored submission.
type Receipt struct {
	Ref                               string
	ReceivedAt, ClosesAt, ResponseDue time.Time
	Late, AckQueued                   bool
}

// Store is where the form reads consultations and records submissions;
// the caller wires it to the ledger, the classifier and the outbox.
type Store interface {
	// Consultations lists every consultation; the form filters them.
	Consultations(ctx context.Context) ([]Consultation, error)
	// Submit records s (and queues its acknowledgement) atomically: on
	// error nothing is stored.
	Submit(ctx context.Context, s *Submission) (*Receipt, error)
	// Buckets keeps the per-client budget across restarts; nil keeps it
	// in memory only.
	Buckets() web.BucketStore
}

// Options configures the web form. Zero values take the defaults noted.
type Options struct {
	OrgName, OrgShortName, ContactEmail, ContactPhone string
	// OrgNameEN and OrgShortNameEN name the VVG on English pages; empty,
	// the Lithuanian names are used.
	OrgNameEN, OrgShortNameEN string
	// PrivacyNotice is shown beside the consent box (PrivacyNoticeEN on
	// English pages, falling back to PrivacyNotice).
	PrivacyNotice, PrivacyNoticeEN string
	// Measures are the measures a resident may pick on a consultation of
	// the default strategy; Strategies those of each strategy a
	// consultation may name (Consultation.Strategy). A consultation shows
	// its own strategy's.
	Measures   []Measure
	Strategies map[string][]Measure
	Loc        *time.Location // default Europe/Vilnius
	Lang       string         // default page language: "lt" (default) or "en"
	// MaxUploadBytes limits each attachment (default 10 MiB); MaxFiles
	// their count (0 hides the upload field). AllowedTypes are MIME types
	// matched against the sniffed type (http.DetectContentType plus the
	// file extension), not the declared one; default PDF, JPEG, PNG.
	MaxUploadBytes int64
	MaxFiles       int
	AllowedTypes   []string
	MaxTextRunes   int // default 20000
	// RatePerHour is the per-client submission budget (token bucket;
	// default 20). TrustedProxyHeader, e.g. "X-Forwarded-For", names the
	// header a reverse proxy on a loopback or private address sets; the
	// right-most untrusted hop is the client. "" uses RemoteAddr.
	RatePerHour        int
	TrustedProxyHeader string
	// MinFill is the least time between serving the form and receiving
	// it; faster posts are refused as robots. 0 disables the check.
	MinFill time.Duration
	// UploadDir holds uploads while a post is handled; default the
	// system's temporary folder.
	UploadDir string
	// Secret is the HMAC key for CSRF tokens; random per process when nil.
	Secret []byte
	Now    func() time.Time // default time.Now
	Logger *slog.Logger     // default discards
}

// Server is the public web form ("Pateikite pasiūlymą"). It is safe for
// concurrent use; its used tokens live in memory, its rate buckets also
// in the Store's BucketStore.
type Server struct {
	opt      Options
	store    Store
	log      *slog.Logger
	pages    map[string]*template.Template
	static   *web.Static
	cssPath  string // versioned stylesheet URL, relative to the root
	jsPath   string // versioned URL of the character count
	csrf     csrfGuard
	seen     *seenTokens
	limiter  *web.Limiter
	measures map[string]map[string]Measure // by strategy, then code
	allowed  map[string]bool
	textLT   *texts
	textEN   *texts
}

// New checks opt, fills its defaults and parses the embedded templates.
func New(opt Options, store Store) (*Server, error) {
	if store == nil {
		return nil, errFormNoStore
	}
	if err := opt.validate(); err != nil {
		return nil, err
	}
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("new form: %w", err)
	}
	f := &Server{
		opt:      opt,
		store:    store,
		log:      opt.Logger, // the caller names the component
		csrf:     csrfGuard{key: opt.Secret},
		seen:     newFormSeen(tokenTTL, seenMax),
		limiter:  web.NewLimiter(opt.RatePerHour, opt.Now).WithStore(store.Buckets()),
		measures: make(map[string]map[string]Measure, len(opt.Strategies)+1),
		allowed:  make(map[string]bool, len(opt.AllowedTypes)),
		textLT:   textLT(),
		textEN:   textEN(),
	}
	for name, ms := range opt.Strategies {
		f.measures[name] = codes(ms)
	}
	f.measures[""] = codes(opt.Measures)
	for _, t := range opt.AllowedTypes {
		f.allowed[t] = true
	}
	if err := f.loadAssets(); err != nil {
		return nil, err
	}
	return f, nil
}

// codes indexes measures by code.
func codes(ms []Measure) map[string]Measure {
	out := make(map[string]Measure, len(ms))
	for _, m := range ms {
		out[m.Code] = m
	}
	return out
}

// measuresOf are the measures a resident may pick on consultation c: its
// strategy's.
func (f *Server) measuresOf(c *Consultation) []Measure {
	if c.Strategy == "" {
		return f.opt.Measures
	}
	return f.opt.Strategies[c.Strategy]
}

// Handler serves GET / (open consultations), GET /k/{slug} (the form),
// POST /k/{slug} (a submission) and GET /static/{file}. Every response
// carries the strict security headers. Paths are relative inside the pages,
// so the handler may be mounted under a prefix with http.StripPrefix.
func (f *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", f.serveList)
	mux.HandleFunc("GET /k/{slug}", f.serveForm)
	mux.HandleFunc("POST /k/{slug}", f.serveSubmit)
	mux.HandleFunc("GET /static/{file}", f.serveStatic)
	mux.HandleFunc("/", f.serveNotFound)
	return web.SecurityHeaders(csp, mux)
}
