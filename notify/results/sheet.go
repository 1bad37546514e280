package results

import (
	"bufio"
	"fmt"
	"io"
	"slices"

	"github.com/vvgintake/vvgintake/ledger"
)

// columns are the table's columns with their spreadsheet widths
// (characters); the long texts wrap.
func (t *Table) columns() []ledger.TableColumn {
	cs := []ledger.TableColumn{
		{Header: t.word("Nr."), Width: 16}, {Header: t.word("received"), Width: 12},
		{Header: t.word("submitter"), Width: 24, Wrap: true}, {Header: t.word("text"), Width: 70, Wrap: true},
		{Header: t.word("measure"), Width: 28, Wrap: true}, {Header: t.word("decision"), Width: 20, Wrap: true},
		{Header: t.word("reason"), Width: 50, Wrap: true},
	}
	if t.ByTheme {
		cs = slices.Insert(cs, 5, ledger.TableColumn{Header: t.word("theme"), Width: 28, Wrap: true})
	}
	return cs
}

// Sheet writes the table as XLSX (a date cell for "gauta", a bold frozen
// header with a filter, column widths, wrapped text) or CSV (comma
// separates fields, 0 for ','; ';' suits Lithuanian Excel), with the
// ledger's export writers.
func (t *Table) Sheet(w io.Writer, format string, comma rune) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	tb, err := ledger.NewTable(bw, format, comma, t.word("sheet"), t.columns())
	if err != nil {
		return err
	}
	for _, r := range t.Rows {
		cells := []any{r.Ref, ledger.DateCell(r.ReceivedAt, true), r.Submitter, r.Text, r.MeasureLabel(t.Lang),
			t.word(r.Decision), r.Reason}
		if t.ByTheme {
			cells = slices.Insert(cells, 5, any(r.Theme))
		}
		if err := tb.Row(cells...); err != nil {
			return fmt.Errorf("write results %s: %w", format, err)
		}
	}
	if err := tb.Close(); err != nil {
		return fmt.Errorf("write results %s: %w", format, err)
	}
	return bw.Flush()
}
