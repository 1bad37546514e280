package form

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Page languages.
const (
	langLT = "lt"
	langEN = "en"
)

// pickLanguage picks the page language: the resident's own choice (the
// language link, ?lang=, which the pages carry on), else the VVG's
// language. The browser's Accept-Language is not asked: a Lithuanian
// resident on a computer set up in English would get an English page
// about a consultation written in Lithuanian. explicit reports whether
// the resident chose, so links carry the choice on.
func pickLanguage(r *http.Request, def string) (lang string, explicit bool) {
	if l := normLang(r.URL.Query().Get("lang")); l != "" {
		return l, true
	}
	return def, false
}

// normLang maps "lt", "LT-lt", "en_GB" and the like to a supported
// language, or "".
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	if s == langLT || s == langEN {
		return s
	}
	return ""
}

// sentenceEnd ends a sentence that ends with s: a full stop, unless s
// already ends with one, as a Lithuanian date does ("13 d."): an
// abbreviation's point also ends the sentence.
func sentenceEnd(s string) string {
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// monthLT is the Lithuanian month name in the genitive, the form a
// date takes in running text: "2026 m. gruodžio 13 d.".
func monthLT(m time.Month) string {
	switch m {
	case time.January:
		return "sausio"
	case time.February:
		return "vasario"
	case time.March:
		return "kovo"
	case time.April:
		return "balandžio"
	case time.May:
		return "gegužės"
	case time.June:
		return "birželio"
	case time.July:
		return "liepos"
	case time.August:
		return "rugpjūčio"
	case time.September:
		return "rugsėjo"
	case time.October:
		return "spalio"
	case time.November:
		return "lapkričio"
	}
	return "gruodžio"
}

// showDate writes a calendar date as running text in lang.
func showDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == langLT {
		return fmt.Sprintf("%d m. %s %d d.", t.Year(), monthLT(t.Month()), t.Day())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), t.Month(), t.Year())
}

// dateTime adds the 24-hour clock to showDate.
func dateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	sep := " "
	if lang == langEN {
		sep = ", "
	}
	return showDate(lang, t) + sep + t.Format("15:04")
}

// showDeadline writes the last moment of a window that ends (exclusive) at
// end: a window ending at midnight is shown by its last whole day, as the
// consultation was announced ("iki gruodžio 13 d."), otherwise by the time.
func showDeadline(lang string, end time.Time, loc *time.Location) string {
	if end.IsZero() {
		return ""
	}
	end = end.In(loc)
	if isMidnight(end) {
		return showDate(lang, end.Add(-time.Nanosecond))
	}
	return dateTime(lang, end)
}

// showStart writes the first moment of a window: the day alone when it
// starts at midnight.
func showStart(lang string, start time.Time, loc *time.Location) string {
	start = start.In(loc)
	if isMidnight(start) {
		return showDate(lang, start)
	}
	return dateTime(lang, start)
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}
