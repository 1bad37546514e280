package ledger

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// xlsxWriter streams a one-sheet Office Open XML workbook (ECMA-376) with
// inline strings: enough for staff to open an export in Excel or
// LibreOffice, without a spreadsheet library. The header row is bold and
// frozen with a filter on it, columns have widths, long text wraps, and
// times are real date cells, so Excel sorts and filters them as dates.
type xlsxWriter struct {
	zw   *zip.Writer
	w    *bufio.Writer
	row  int
	cols []column
}

// xlsxDate is a time written as a spreadsheet date (dateOnly) or date
// and time, in its own zone's wall-clock time: spreadsheets have no zones.
type xlsxDate struct {
	t        time.Time
	dateOnly bool
}

// Cell styles, the indexes of cellXfs in styles.xml below.
const (
	styleNormal   = 0
	styleHeader   = 1 // bold, wrapped
	styleDateTime = 2 // yyyy-mm-dd hh:mm
	styleDate     = 3 // yyyy-mm-dd
	styleWrap     = 4 // wrapped text, top-aligned
)

// xlsxStyles defines the fonts and cell formats the styles above name
// (ECMA-376 Part 1 §18.8); 164 and 165 are custom number formats.
const xlsxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

func newXLSX(out io.Writer, sheet string, cols []column, header []string) (*xlsxWriter, error) {
	zw := zip.NewWriter(out)
	static := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` + xmlEscape(sheet) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"xl/styles.xml", xlsxStyles},
	}
	for _, f := range static {
		fw, err := zw.Create(f.name)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return nil, err
		}
	}
	fw, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return nil, err
	}
	x := &xlsxWriter{zw: zw, w: bufio.NewWriter(fw), cols: cols}
	// The frozen pane keeps the header in view while scrolling (§18.3.1.66).
	x.w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><cols>`)
	for i, c := range cols {
		fmt.Fprintf(x.w, `<col min="%d" max="%d" width="%g" customWidth="1"/>`, i+1, i+1, c.width)
	}
	x.w.WriteString(`</cols><sheetData>`)
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	return x, x.row1(cells)
}

// row1 writes the header row, bold.
func (x *xlsxWriter) row1(cells []any) error {
	x.row++
	fmt.Fprintf(x.w, `<row r="%d">`, x.row)
	for i, c := range cells {
		fmt.Fprintf(x.w, `<c r="%s%d" s="%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`,
			colName(i), x.row, styleHeader, xmlEscape(fmt.Sprint(c)))
	}
	_, err := x.w.WriteString(`</row>`)
	return err
}

// Row appends one row; strings become inline strings (never formulas,
// whatever they start with), numbers numbers, booleans TRUE/FALSE and
// xlsxDate date cells.
func (x *xlsxWriter) Row(cells []any) error {
	x.row++
	fmt.Fprintf(x.w, `<row r="%d">`, x.row)
	for i, c := range cells {
		ref := colName(i) + strconv.Itoa(x.row)
		switch v := c.(type) {
		case float64:
			fmt.Fprintf(x.w, `<c r="%s"><v>%s</v></c>`, ref, strconv.FormatFloat(v, 'f', -1, 64))
		case int:
			fmt.Fprintf(x.w, `<c r="%s"><v>%d</v></c>`, ref, v)
		case bool:
			b := 0
			if v {
				b = 1
			}
			fmt.Fprintf(x.w, `<c r="%s" t="b"><v>%d</v></c>`, ref, b)
		case xlsxDate:
			if v.t.IsZero() {
				fmt.Fprintf(x.w, `<c r="%s"/>`, ref)
				continue
			}
			style := styleDateTime
			if v.dateOnly {
				style = styleDate
			}
			fmt.Fprintf(x.w, `<c r="%s" s="%d"><v>%s</v></c>`, ref, style, strconv.FormatFloat(excelSerial(v.t), 'f', -1, 64))
		default:
			s := fmt.Sprint(v)
			if len(s) > 32767 { // Excel's cell limit
				s = s[:32767]
			}
			style := styleNormal
			if i < len(x.cols) && x.cols[i].wrap {
				style = styleWrap
			}
			fmt.Fprintf(x.w, `<c r="%s" s="%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, ref, style, xmlEscape(s))
		}
	}
	_, err := x.w.WriteString(`</row>`)
	return err
}

// Close finishes the sheet, with a filter on the header row, and the
// archive.
func (x *xlsxWriter) Close() error {
	x.w.WriteString(`</sheetData>`)
	if len(x.cols) > 0 {
		fmt.Fprintf(x.w, `<autoFilter ref="A1:%s%d"/>`, colName(len(x.cols)-1), x.row)
	}
	x.w.WriteString(`</worksheet>`)
	if err := x.w.Flush(); err != nil {
		return err
	}
	return x.zw.Close()
}

// excelSerial is t's wall-clock time as a spreadsheet serial date: days
// since 1899-12-30 (the 1900 date system, ECMA-376 Part 1 §18.17.4.1),
// the time of day as the fraction.
func excelSerial(t time.Time) float64 {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	d := wall.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC))
	return float64(d/time.Second) / 86400
}

func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// xmlEscape escapes text and drops characters XML 1.0 cannot carry.
func xmlEscape(s string) string {
	var b strings.Builder
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
