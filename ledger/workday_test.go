package ledger

import (
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/vilnius"
)

func vilniusLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := vilnius.Location()
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The expected dates were counted by hand on a 2024–2027 wall calendar
// against the Labour Code art. 123 holiday list.
func TestAddWorkdays(t *testing.T) {
	loc := vilniusLoc(t)
	d := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"friday plus one is monday", "2026-11-20", 1, "2026-11-23"},
		{"all souls day skipped", "2026-10-30", 1, "2026-11-03"},
		{"all saints sunday, all souls monday 2025", "2025-10-31", 1, "2025-11-03"},
		{"christmas eve and both christmas days", "2026-12-23", 1, "2026-12-28"},
		{"new year 2027 friday", "2026-12-31", 1, "2027-01-04"},
		{"ten days over christmas 2026", "2026-12-21", 10, "2027-01-07"},
		{"twenty days from consultation close 2026-12-13", "2026-12-13", 20, "2027-01-13"},
		{"easter monday 2024", "2024-03-29", 1, "2024-04-02"},
		{"easter monday 2025", "2025-04-18", 1, "2025-04-22"},
		{"easter monday 2026", "2026-04-03", 1, "2026-04-07"},
		{"easter monday 2027", "2027-03-26", 1, "2027-03-30"},
		{"16 february 2024 friday", "2024-02-15", 1, "2024-02-19"},
		{"11 march 2025 tuesday", "2025-03-10", 1, "2025-03-12"},
		{"1 may 2025 thursday", "2025-04-30", 2, "2025-05-05"},
		{"joninės 2026 wednesday", "2026-06-23", 1, "2026-06-25"},
		{"statehood day 2027 tuesday", "2027-07-05", 1, "2027-07-07"},
		{"assumption 2024 thursday", "2024-08-14", 1, "2024-08-16"},
		{"weekend start", "2026-11-21", 1, "2026-11-23"},
		{"zero days is the same date", "2026-11-25", 0, "2026-11-25"},
		{"five days mid-week", "2026-11-25", 5, "2026-12-02"},
		{"christmas 2027 fri-sat-sun", "2027-12-23", 1, "2027-12-27"},
	}
	c := NewCalendar(loc)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkdays(d(tt.from), tt.n).Format("2006-01-02")
			if got != tt.want {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestIsWorkday(t *testing.T) {
	loc := vilniusLoc(t)
	c := NewCalendar(loc)
	tests := []struct {
		date string
		want bool
	}{
		{"2026-11-02", false}, // All Souls' Day
		{"2026-12-24", false}, // Christmas Eve
		{"2026-04-06", false}, // Easter Monday
		{"2027-03-29", false}, // Easter Monday
		{"2026-11-23", true},
		{"2026-11-22", false}, // Sunday
		{"2026-02-16", false},
		{"2026-03-11", false},
		{"2026-07-06", false},
		{"2026-08-15", false}, // Saturday anyway
		{"2024-12-31", true},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			v, _ := time.ParseInLocation("2006-01-02", tt.date, loc)
			if got := c.IsWorkday(v); got != tt.want {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
}
