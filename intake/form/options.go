package form

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
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

// defaultTypes are accepted when Options.AllowedTypes is empty.
func defaultTypes() []string {
	return []string{"application/pdf", "image/jpeg", "image/png"}
}

// withDefaults returns opt with its zero values filled, or every problem
// found, each prefixed with the option's name.
func (opt Options) withDefaults() (Options, error) {
	var errs []error
	if opt.Loc == nil {
		loc, err := time.LoadLocation("Europe/Vilnius")
		if err != nil {
			errs = append(errs, fmt.Errorf("Loc: load Europe/Vilnius: %w", err))
			loc = time.UTC
		}
		opt.Loc = loc
	}
	switch opt.Lang {
	case "":
		opt.Lang = langLT
	case langLT, langEN:
	default:
		errs = append(errs, fmt.Errorf("Lang: want lt or en, got %q", opt.Lang))
	}
	if opt.MaxUploadBytes == 0 {
		opt.MaxUploadBytes = defaultMaxUpload
	}
	if opt.MaxUploadBytes < 0 {
		errs = append(errs, errors.New("MaxUploadBytes: must not be negative"))
	}
	if opt.MaxFiles < 0 {
		errs = append(errs, errors.New("MaxFiles: must not be negative"))
	}
	if len(opt.AllowedTypes) == 0 {
		opt.AllowedTypes = defaultTypes()
	}
	for _, t := range opt.AllowedTypes {
		if len(extensionsOf(t)) == 0 {
			errs = append(errs, fmt.Errorf("AllowedTypes: %q is not a type the form can recognise", t))
		}
	}
	if opt.MaxTextRunes == 0 {
		opt.MaxTextRunes = defaultMaxText
	}
	if opt.MaxTextRunes < 0 {
		errs = append(errs, errors.New("MaxTextRunes: must not be negative"))
	}
	if opt.RatePerHour <= 0 {
		opt.RatePerHour = defaultRate
	}
	if opt.MinFill < 0 {
		errs = append(errs, errors.New("MinFill: must not be negative"))
	}
	seen := map[string]bool{}
	for i, m := range opt.Measures {
		switch {
		case strings.TrimSpace(m.Code) == "" || strings.TrimSpace(m.Title) == "":
			errs = append(errs, fmt.Errorf("Measures[%d]: code and title are required", i))
		case seen[m.Code]:
			errs = append(errs, fmt.Errorf("Measures[%d]: duplicate code %q", i, m.Code))
		}
		seen[m.Code] = true
	}
	if opt.OrgName == "" {
		errs = append(errs, errors.New("OrgName: required"))
	}
	if opt.OrgShortName == "" {
		opt.OrgShortName = opt.OrgName
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
			errs = append(errs, fmt.Errorf("Secret: read random key: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return opt, fmt.Errorf("new form: %w", err)
	}
	return opt, nil
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
