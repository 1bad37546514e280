package ledger

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/lt"
)

// Calendar counts Lithuanian working days: Monday to Friday except the
// public holidays of Labour Code art. 123 (New Year, 16 February, 11 March,
// Easter Monday, 1 May, 24 June, 6 July, 15 August, 1 and 2 November,
// 24, 25 and 26 December). Easter Sunday, Mother's and Father's Day are
// holidays too but always fall on a Sunday, so they never move a deadline.
type Calendar struct {
	loc *time.Location
	bc  *cal.BusinessCalendar
}

// NewCalendar returns the Lithuanian working-day calendar in loc.
func NewCalendar(loc *time.Location) *Calendar {
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(lt.Holidays...)
	// Cacheable stays off: its cache is an unsynchronised map and the
	// calendar is shared by goroutines.
	return &Calendar{loc: loc, bc: bc}
}

// IsWorkday reports whether the calendar date of t (in the calendar's zone)
// is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	y, m, d := t.In(c.loc).Date()
	return c.bc.IsWorkday(time.Date(y, m, d, 12, 0, 0, 0, c.loc))
}

// AddWorkdays returns the date n working days after the date of t: the day
// itself does not count, so a consultation closing on Friday with n = 1 is
// answered by Monday. The result is midnight of that date in the zone.
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	y, m, d := t.In(c.loc).Date()
	day := time.Date(y, m, d, 12, 0, 0, 0, c.loc)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.bc.IsWorkday(day) {
			n--
		}
	}
	y, m, d = day.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc)
}
