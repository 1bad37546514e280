// Package vilnius is the time zone vvgintake shows times in when it is
// told none: Europe/Vilnius, where the VVGs are. Times are stored in UTC;
// this is only for rendering them and for the calendar days of deadlines.
package vilnius

import (
	"fmt"
	"time"
)

// Name is the zone's name in the IANA time zone database.
const Name = "Europe/Vilnius"

// Location loads Europe/Vilnius.
func Location() (*time.Location, error) {
	loc, err := time.LoadLocation(Name)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", Name, err)
	}
	return loc, nil
}

// Or returns loc, or Europe/Vilnius when loc is nil: the default of every
// package's Loc option.
func Or(loc *time.Location) (*time.Location, error) {
	if loc != nil {
		return loc, nil
	}
	return Location()
}
