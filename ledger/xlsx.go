package ledger

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// xlsxWriter streams a one-sheet Office Open XML workbook (ECMA-376) with
// inline strings: enough for staff to open an export in Excel or
// LibreOffice, without a spreadsheet library.
type xlsxWriter struct {
	zw  *zip.Writer
	w   *bufio.Writer
	row int
}

func newXLSX(out io.Writer, sheet string, header []string) (*xlsxWriter, error) {
	zw := zip.NewWriter(out)
	static := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` + xmlEscape(sheet) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
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
	x := &xlsxWriter{zw: zw, w: bufio.NewWriter(fw)}
	x.w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	return x, x.Row(cells)
}

// Row appends one row; strings become inline strings, numbers numbers,
// booleans TRUE/FALSE.
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
		default:
			s := fmt.Sprint(v)
			if len(s) > 32767 { // Excel's cell limit
				s = s[:32767]
			}
			fmt.Fprintf(x.w, `<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, ref, xmlEscape(s))
		}
	}
	_, err := x.w.WriteString(`</row>`)
	return err
}

// Close finishes the sheet and the archive.
func (x *xlsxWriter) Close() error {
	x.w.WriteString(`</sheetData></worksheet>`)
	if err := x.w.Flush(); err != nil {
		return err
	}
	return x.zw.Close()
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
