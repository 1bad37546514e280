package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/results"
)

// MeasureInfo names one strategy measure (priemonė) for the messages:
// its code ("1.1", "other") and its title in Lithuanian and English.
type MeasureInfo struct{ Code, Title, TitleEN string }

// SenderOptions configure the outbox sender.
type SenderOptions struct {
	DB *ledger.DB
	// Mailer submits one message; *Mailer in production, fakes in tests.
	// Without one the Sender only renders (previews, `consultation
	// report`), and Run and SendDue refuse to start (ErrNoMailer).
	Mailer interface {
		Send(context.Context, *gomail.Msg) error
	}
	Templates *Templates
	Org       Org
	Loc       *time.Location // dates in messages; nil = the ledger's zone
	Lang      string         // organisation default, "lt" (default) or "en"
	// AckLang is the language of acknowledgements: "auto" (default) uses
	// the language detected in the resident's submission.
	AckLang string
	// Measures are those of the default strategy (a consultation whose
	// Strategy is ""); Strategies those of each strategy a consultation
	// may name. Every message names a measure as its consultation's
	// strategy does.
	Measures   []MeasureInfo
	Strategies map[string][]MeasureInfo
	To         Recipients // addresses, "Name <addr>" allowed
	// RetryFor is how long temporary failures are retried, counted from
	// when the item was queued, before it is marked failed; 0 = 72 h.
	RetryFor time.Duration
	// RetryBase and RetryMax shape the backoff after temporary failures
	// and server outages: RetryBase·2^(n-1) capped at RetryMax, ±20%.
	// 0 = 30 s and 1 h; tests shorten them.
	RetryBase, RetryMax time.Duration
	Logger              *slog.Logger
	Now                 func() time.Time
	// OnResult, if set, is called after every send attempt with the
	// item's kind and whether the server accepted it (metrics).
	OnResult func(kind string, ok bool)
	// Results is how the results table is made: its URL is where the VVG
	// publishes it, which decision letters and the results report point
	// to ("" names none: the letters say the VVG's website). What is left
	// empty comes from the options above (Org, Measures, Lang, Loc).
	Results results.Options
	// Server names the mail server (host:port) under which the sender
	// records its reachability and login in the ledger, for `status` in
	// another process; "" records nothing.
	Server string
}

// Sender delivers the ledger's outbox: it renders each due item from the
// rows it refers to and submits it, retrying temporary failures with
// backoff and pausing altogether while the server is unreachable.
type Sender struct {
	opt  SenderOptions
	db   *ledger.DB
	log  *slog.Logger
	kick chan struct{}

	mu     sync.Mutex
	health string // the health last recorded: "" none yet, "ok", "unreachable", "auth"
}

// ErrNoMailer is returned by Run and SendDue of a Sender made to render only.
var ErrNoMailer = errors.New("outbox: no mail server configured")

// Acknowledgement language setting that follows the submission.
const ackLangAuto = "auto"

// NewSender checks opt and fills in defaults. All problems are reported at
// once.
func NewSender(opt SenderOptions) (*Sender, error) {
	var errs []error
	if opt.DB == nil {
		errs = append(errs, errors.New("db is nil"))
	}
	if opt.Templates == nil {
		errs = append(errs, errors.New("templates are nil"))
	}
	opt.Check(func(option, problem string) { errs = append(errs, fmt.Errorf("%s: %s", option, problem)) })
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new sender: %w", err)
	}
	opt.Lang, _ = normLang(opt.Lang)
	if opt.AckLang == "" || opt.AckLang == ackLangAuto {
		opt.AckLang = ackLangAuto
	} else {
		opt.AckLang, _ = normLang(opt.AckLang)
	}
	for _, d := range opt.durations() {
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	if opt.Loc == nil {
		opt.Loc = opt.DB.Options().Location
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	r := &opt.Results
	if r.OrgName == "" {
		r.OrgName, r.OrgNameEN = opt.Org.Name, opt.Org.NameEN
	}
	conv := func(ms []MeasureInfo) []results.Measure {
		out := make([]results.Measure, len(ms))
		for i, m := range ms {
			out[i] = results.Measure{Code: m.Code, Title: m.Title, TitleEN: m.TitleEN}
		}
		return out
	}
	if len(r.Measures) == 0 {
		r.Measures = conv(opt.Measures)
	}
	if r.Strategies == nil && opt.Strategies != nil {
		r.Strategies = make(map[string][]results.Measure, len(opt.Strategies))
		for name, ms := range opt.Strategies {
			r.Strategies[name] = conv(ms)
		}
	}
	if r.Lang == "" {
		r.Lang = opt.Lang
	}
	if r.Loc == nil {
		r.Loc = opt.Loc
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Sender{
		opt:  opt,
		db:   opt.DB,
		log:  opt.Logger, // the caller names the component
		kick: make(chan struct{}, 1),
	}, nil
}

// durations are the retry settings with their defaults.
func (opt *SenderOptions) durations() []struct {
	name string
	v    *time.Duration
	def  time.Duration
} {
	return []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{{"retry_for", &opt.RetryFor, defaultRetryFor}, {"retry_base", &opt.RetryBase, defaultRetryBase}, {"retry_max", &opt.RetryMax, defaultRetryMax}}
}

// Check reports every problem with the options that come from the
// configuration, each under the option's name ("org address", "lang",
// "ack lang", "retry_for" …). NewSender and the configuration check both
// run it.
func (opt SenderOptions) Check(report func(option, problem string)) {
	if a, err := mail.ParseAddress(opt.Org.Address); err != nil || a.Address != opt.Org.Address {
		report("org address", fmt.Sprintf("%q is not a plain mailbox", opt.Org.Address))
	}
	if _, err := normLang(opt.Lang); err != nil {
		report("lang", err.Error())
	}
	if opt.AckLang != "" && opt.AckLang != ackLangAuto {
		if _, err := normLang(opt.AckLang); err != nil {
			report("ack lang", err.Error())
		}
	}
	for _, d := range opt.durations() {
		if *d.v < 0 {
			report(d.name, "must not be negative")
		}
	}
	base, max := opt.RetryBase, opt.RetryMax
	if base == 0 {
		base = defaultRetryBase
	}
	if max == 0 {
		max = defaultRetryMax
	}
	if max < base {
		report("retry_max", fmt.Sprintf("%s is below retry_base %s", max, base))
	}
}

// Kick wakes Run because an item was queued. It never blocks; kicks that
// arrive while Run is busy merge into one.
func (s *Sender) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

func (s *Sender) now() time.Time { return s.opt.Now() }

func (s *Sender) result(kind string, ok bool) {
	if s.opt.OnResult != nil {
		s.opt.OnResult(kind, ok)
	}
}
