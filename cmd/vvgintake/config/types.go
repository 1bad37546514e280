package config

import (
	"fmt"
	"time"
)

// Duration is a time.Duration written as "90s", "5m" or "1h30m" in TOML.
type Duration time.Duration

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("want a duration like \"30s\", \"5m\" or \"2h\", got %q", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration back in Go syntax.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Deadline is a consultation boundary: a date ("2026-12-13") or a date
// and time ("2026-12-13T17:00", optionally with an offset). A date alone
// means the whole day in the VVG's zone: an opening date starts at its
// midnight, a closing date ends at the following midnight, so a
// suggestion sent at 23:59 on the deadline day is on time.
type Deadline struct {
	text     string
	dateOnly bool
}

// UnmarshalText keeps the text; it is resolved once the zone is known.
func (d *Deadline) UnmarshalText(b []byte) error {
	s := string(b)
	for _, layout := range deadlineLayouts {
		if _, err := time.Parse(layout, s); err == nil {
			d.text, d.dateOnly = s, layout == "2006-01-02"
			return nil
		}
	}
	return fmt.Errorf("want a date \"2026-12-13\" or a date and time \"2026-12-13T17:00\", got %q", s)
}

// MarshalText writes the original text back.
func (d Deadline) MarshalText() ([]byte, error) { return []byte(d.text), nil }

var deadlineLayouts = []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339,
	"2006-01-02 15:04", "2006-01-02 15:04:05"}

// IsZero reports whether no value was given.
func (d Deadline) IsZero() bool { return d.text == "" }

// Time resolves the deadline in loc; end selects the end of a date-only day.
func (d Deadline) Time(loc *time.Location, end bool) time.Time {
	for _, layout := range deadlineLayouts {
		t, err := time.ParseInLocation(layout, d.text, loc)
		if err != nil {
			continue
		}
		if d.dateOnly && end {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	return time.Time{}
}

// String returns the text as written.
func (d Deadline) String() string { return d.text }
