package ledger

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"
)

// TableColumn is one column of a table written by NewTable: its header
// and its width in a spreadsheet (characters), long text wrapped.
type TableColumn struct {
	Header string
	Width  float64
	Wrap   bool
}

// DateCell is a cell written as a spreadsheet date (dateOnly) or date and
// time, in t's own zone's wall-clock time; in CSV as 2006-01-02 or
// 2006-01-02 15:04. A date alone is the day t falls on.
func DateCell(t time.Time, dateOnly bool) any {
	if dateOnly && !t.IsZero() {
		y, m, d := t.Date()
		t = time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	}
	return xlsxDate{t: t, dateOnly: dateOnly}
}

// Table writes rows of cells as the exports do, for tables other than
// the export of submissions (the consultation's results table): CSV with
// the byte order mark Excel needs and formula-like text neutralised, or
// XLSX with date cells, a bold frozen header with a filter, column widths
// and wrapped text. Cells are strings, float64, int, bool or DateCell.
type Table struct {
	csv          *csv.Writer
	xlsx         *xlsxWriter
	decimalComma bool
}

// NewTable starts a table in format "csv" or "xlsx" with the given
// columns; comma separates CSV fields (0: ','; ';' suits Lithuanian
// Excel, and then numbers are written with a decimal comma). sheet names
// the XLSX sheet.
func NewTable(w io.Writer, format string, comma rune, sheet string, cols []TableColumn) (*Table, error) {
	headers := make([]string, len(cols))
	inner := make([]column, len(cols))
	for i, c := range cols {
		headers[i] = c.Header
		inner[i] = column{en: c.Header, lt: c.Header, width: c.Width, wrap: c.Wrap}
	}
	switch format {
	case "csv":
		if comma == 0 {
			comma = ','
		}
		if comma == '"' || comma == '\r' || comma == '\n' || comma == '\'' {
			return nil, invalidf("csv separator %q: want , ; or a tab", comma)
		}
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
		cw := csv.NewWriter(w)
		cw.Comma = comma
		if err := cw.Write(headers); err != nil {
			return nil, err
		}
		return &Table{csv: cw, decimalComma: comma != ','}, nil
	case "xlsx":
		xw, err := newXLSX(w, sheet, inner, headers)
		if err != nil {
			return nil, err
		}
		return &Table{xlsx: xw}, nil
	}
	return nil, invalidf("table format %q: want csv or xlsx", format)
}

// Row appends one row.
func (t *Table) Row(cells ...any) error {
	if t.xlsx != nil {
		return t.xlsx.Row(cells)
	}
	rec := make([]string, len(cells))
	for i, c := range cells {
		rec[i] = csvCell(c, t.decimalComma)
	}
	return t.csv.Write(rec)
}

// Close finishes the table.
func (t *Table) Close() error {
	if t.xlsx != nil {
		return t.xlsx.Close()
	}
	t.csv.Flush()
	if err := t.csv.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
