package notify

import (
	"fmt"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/internal/numfmt"
)

// Languages the embedded templates exist for.
const (
	LangLT = "lt"
	LangEN = "en"
)

// normLang maps "", "lt-LT", "EN_gb" and the like to a supported language.
func normLang(lang string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "", LangLT:
		return LangLT, nil
	case LangEN:
		return LangEN, nil
	}
	return "", fmt.Errorf("unsupported language %q (want lt or en)", lang)
}

// ltMonthsGen are the Lithuanian month names in the genitive case, the form a
// date takes in running text: "2026 m. gruodžio 13 d.".
var ltMonthsGen = [12]string{
	"sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio",
	"liepos", "rugpjūčio", "rugsėjo", "spalio", "lapkričio", "gruodžio",
}

// formatDate writes a calendar date the way a letter in lang does. The zero
// time renders as "" so optional dates can be tested with {{if}}.
func formatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == LangLT {
		return fmt.Sprintf("%d m. %s %d d.", t.Year(), ltMonthsGen[t.Month()-1], t.Day())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), t.Month(), t.Year())
}

// formatDateTime adds the 24-hour clock to formatDate. A deadline given
// as a date is stored as the following midnight (exclusive); people read
// "until 13 December 23:59", not "until 14 December 00:00".
func formatDateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		t = t.Add(-time.Minute)
	}
	return formatMoment(lang, t)
}

// formatMoment writes an instant (when a suggestion was received) with the
// 24-hour clock as it is: midnight stays 00:00 of its own day. Read as a
// deadline it would move a suggestion staff entered as received on
// 14 December (00:00) to 13 December 23:59, before a deadline it missed.
func formatMoment(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == LangLT {
		return formatDate(lang, t) + " " + t.Format("15:04")
	}
	return formatDate(lang, t) + ", " + t.Format("15:04")
}

// measureCode writes a measure code as people read it: the measure
// "other" is "Kita" in Lithuanian and "Other" in English, never the code.
func measureCode(lang, code string) string {
	if code != "other" {
		return code
	}
	if lang == LangEN {
		return "Other"
	}
	return "Kita"
}

// pluralForm picks one of three noun forms for n. Lithuanian has three
// (CLDR: one = n%10==1 but not 11; few = n%10 in 2..9 but not 12..19;
// many/other = the rest, i.e. 0, 10–20, 30, …). English uses one and many.
func pluralForm(lang string, n int, one, few, many string) string {
	return numfmt.Plural(lang, n, one, few, many)
}
