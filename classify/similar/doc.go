// Package similar finds suggestions that say the same: near duplicates
// (a campaign's copies, a letter sent twice) and themes (the same idea
// from many residents in their own words).
package similar
