package form

import (
	"cmp"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/internal/vilnius"
)

// Form defaults, chosen for a small VVG: a resident may attach a few scans
// or photos, and one library computer may serve several residents an hour.
const (
	defaultMaxUpload  = 10 << 20
	defaultMaxText    = 20000
	defaultRate       = 20
	defaultSecretSize = 32
)

var errFormNoStore = errors.New("new form: store is nil")

// DefaultAllowedTypes are the upload types accepted when
// Options.AllowedTypes is empty: the documents and pictures residents
// attach (scans, photos, letters written in Word, LibreOffice or a text
// editor).
func DefaultAllowedTypes() []string {
	return []string{"application/pdf", "image/jpeg", "image/png",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/msword", "application/vnd.oasis.opendocument.text", "text/plain"}
}

// withDefaults returns opt with its zero values filled.
func (opt Options) withDefaults() (Options, error) {
	var err error
	if opt.Loc, err = vilnius.Or(opt.Loc); err != nil {
		return opt, err
	}
	opt.Lang = cmp.Or(opt.Lang, langLT)
	opt.MaxUploadBytes = cmp.Or(opt.MaxUploadBytes, defaultMaxUpload)
	if len(opt.AllowedTypes) == 0 {
		opt.AllowedTypes = DefaultAllowedTypes()
	}
	opt.MaxTextRunes = cmp.Or(opt.MaxTextRunes, defaultMaxText)
	if opt.RatePerHour <= 0 {
		opt.RatePerHour = defaultRate
	}
	opt.OrgShortName = cmp.Or(opt.OrgShortName, opt.OrgName)
	opt.OrgNameEN = cmp.Or(opt.OrgNameEN, opt.OrgName)
	if opt.OrgShortNameEN == "" {
		opt.OrgShortNameEN = opt.OrgShortName
		if opt.OrgNameEN != opt.OrgName {
			opt.OrgShortNameEN = opt.OrgNameEN
		}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if len(opt.Secret) == 0 {
		// A per-process key means tokens die with a restart: a resident
		// then sees the form again with the text kept, which is harmless.
		opt.Secret = make([]byte, defaultSecretSize)
		if _, err := io.ReadFull(rand.Reader, opt.Secret); err != nil {
			return opt, fmt.Errorf("read random key: %w", err)
		}
	}
	return opt, nil
}

// Check reports every problem with the options, each under the option's
// field name. New and the configuration check both run it, so they
// cannot disagree.
func (opt Options) Check(report func(option, problem string)) {
	switch opt.Lang {
	case "", langLT, langEN:
	default:
		report("Lang", fmt.Sprintf("want lt or en, got %q", opt.Lang))
	}
	if opt.MaxUploadBytes < 0 {
		report("MaxUploadBytes", "must not be negative")
	}
	if opt.MaxFiles < 0 {
		report("MaxFiles", "must not be negative")
	}
	for _, t := range opt.AllowedTypes {
		if len(extensionsOf(t)) == 0 {
			report("AllowedTypes", fmt.Sprintf("%q is not a type the form can recognise", t))
		}
	}
	if opt.MaxTextRunes < 0 {
		report("MaxTextRunes", "must not be negative")
	}
	if opt.MinFill < 0 {
		report("MinFill", "must not be negative")
	}
	checkMeasures := func(name string, ms []Measure) {
		seen := map[string]bool{}
		for i, m := range ms {
			switch {
			case strings.TrimSpace(m.Code) == "" || strings.TrimSpace(m.Title) == "":
				report(fmt.Sprintf("%s[%d]", name, i), "code and title are required")
			case seen[m.Code]:
				report(fmt.Sprintf("%s[%d]", name, i), fmt.Sprintf("duplicate code %q", m.Code))
			}
			seen[m.Code] = true
		}
	}
	checkMeasures("Measures", opt.Measures)
	for _, name := range slices.Sorted(maps.Keys(opt.Strategies)) {
		if name == "" {
			report("Strategies", "a strategy needs a name; the default one's measures are Measures")
		}
		checkMeasures(fmt.Sprintf("Strategies[%q]", name), opt.Strategies[name])
	}
	if opt.OrgName == "" {
		report("OrgName", "required")
	}
}

// validate is Check as one error.
func (opt Options) validate() error {
	var errs []error
	opt.Check(func(option, problem string) { errs = append(errs, fmt.Errorf("%s: %s", option, problem)) })
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("new form: %w", err)
	}
	return nil
}

// bodyLimit is the most a POST may carry: every file at its limit plus room
// for the fields. The room is 64 KiB, or more when MaxTextRunes needs it
// (four bytes a rune at worst).
func (opt *Options) bodyLimit() int64 {
	room := int64(64 << 10)
	if need := int64(opt.MaxTextRunes)*4 + 16<<10; need > room {
		room = need
	}
	return opt.MaxUploadBytes*int64(opt.MaxFiles) + room
}
