package console

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/internal/vilnius"
)

// Measure is one strategy measure as the console shows it.
type Measure struct {
	Code, Title, TitleEN string
}

// Strategy is a measure set a consultation may name
// (ledger.Consultation.Strategy): staff file its suggestions under its
// measures.
type Strategy struct {
	Name, Title, TitleEN string
	Measures             []Measure
}

// Options configure the console. Zero values take the defaults noted.
type Options struct {
	// BaseURL is where staff reach the console ("https://pultas.vvg.lt"),
	// for links in mail and printed by `users add`; an https URL makes
	// the session cookie Secure.
	BaseURL string
	// Prefix is the path the console is served under when one host
	// serves several VVGs' consoles by path ("/aleksotas"); "" serves it
	// at the root. Every link, redirect and cookie carries it.
	Prefix string
	// TrustedProxies are the reverse proxies in front of the console;
	// only from them is ProxyHeader (default X-Forwarded-For) believed.
	TrustedProxies []string
	ProxyHeader    string
	// IdleTimeout ends a session unused this long (default 2 h);
	// MaxAge ends any session this long after login (default 12 h).
	IdleTimeout, MaxAge time.Duration
	OrgName             string
	Lang                string // default page language: "lt" (default) or "en"
	// Measures are those of the default strategy, the one of a
	// consultation whose Strategy is ""; Strategies the others. Every
	// page shows a suggestion's measures as its consultation's strategy
	// names them.
	Measures   []Measure
	Strategies []Strategy
	// DefaultStrategy is what a consultation created in the console is on
	// unless staff choose another: "" for Measures, or the name of the one
	// strategy there is.
	DefaultStrategy string
	Loc             *time.Location   // default Europe/Vilnius
	Now             func() time.Time // default time.Now
	Logger          *slog.Logger     // default discards
}

// Check reports every problem with the options, under the option's name;
// New and the configuration check both run it.
func (o Options) Check(report func(option, problem string)) {
	if o.BaseURL != "" {
		u, err := url.Parse(o.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			report("BaseURL", fmt.Sprintf("want an http or https URL, got %q", o.BaseURL))
		}
	}
	if o.Prefix != "" && (!strings.HasPrefix(o.Prefix, "/") || strings.HasSuffix(o.Prefix, "/") || strings.ContainsAny(o.Prefix, "?#%")) {
		report("Prefix", fmt.Sprintf("want a path like /aleksotas (no trailing slash), got %q", o.Prefix))
	}
	for _, p := range o.TrustedProxies {
		if _, err := parsePrefix(p); err != nil {
			report("TrustedProxies", fmt.Sprintf("%q is not an address or network (10.0.0.1, 10.0.0.0/8)", p))
		}
	}
	if o.IdleTimeout < 0 {
		report("IdleTimeout", "must not be negative")
	}
	if o.MaxAge < 0 {
		report("MaxAge", "must not be negative")
	}
	if o.IdleTimeout > 0 && o.MaxAge > 0 && o.IdleTimeout > o.MaxAge {
		report("IdleTimeout", "must not be longer than the session lifetime")
	}
	switch o.Lang {
	case "", "lt", "en":
	default:
		report("Lang", fmt.Sprintf("want lt or en, got %q", o.Lang))
	}
	if len(o.Measures) == 0 && len(o.Strategies) == 0 {
		report("Measures", "at least one measure is needed")
	}
	seen := map[string]bool{}
	for i, st := range o.Strategies {
		switch {
		case st.Name == "" || seen[st.Name]:
			report("Strategies", fmt.Sprintf("strategy %d: a name of its own is needed, got %q", i+1, st.Name))
		case len(st.Measures) == 0:
			report("Strategies", fmt.Sprintf("strategy %s: at least one measure is needed", st.Name))
		}
		seen[st.Name] = true
	}
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

func (o Options) withDefaults() (Options, error) {
	o.ProxyHeader = cmp.Or(o.ProxyHeader, "X-Forwarded-For")
	o.IdleTimeout = cmp.Or(o.IdleTimeout, 2*time.Hour)
	o.MaxAge = cmp.Or(o.MaxAge, 12*time.Hour)
	o.Lang = cmp.Or(o.Lang, "lt")
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	var err error
	o.Loc, err = vilnius.Or(o.Loc)
	return o, err
}
