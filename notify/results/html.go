package results

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"time"
)

//go:embed templates/table.html
var templateFS embed.FS

// page is parsed once; a Table renders through htmlView.
var page = template.Must(template.ParseFS(templateFS, "templates/table.html"))

// htmlView is what the template sees.
type htmlView struct {
	*Table
}

// T is a fixed text in the table's language.
func (v htmlView) T(key string) string { return v.word(key) }

// Date writes a date as 2026-12-01.
func (v htmlView) Date(t time.Time) string { return dateText(t) }

// LastDay is the deadline as people read it: a window ending at midnight
// ends with the day before.
func (v htmlView) LastDay() string {
	end := v.ClosesAt
	if end.Hour() == 0 && end.Minute() == 0 && end.Second() == 0 {
		end = end.Add(-time.Nanosecond)
	}
	return dateText(end)
}

// HTML writes the table as one standalone page (its style inline, nothing
// fetched from elsewhere) for the VVG's website: a table on a screen, one
// block per suggestion on a phone, and an A4 landscape table with the
// header row on every page when printed. Every text is escaped: what a
// resident wrote cannot add markup.
func (t *Table) HTML(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := page.Execute(bw, htmlView{t}); err != nil {
		return fmt.Errorf("render results html: %w", err)
	}
	return bw.Flush()
}
