package results

import (
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// DejaVu Sans has every Lithuanian letter (ą č ę ė į š ų ū ž) and the
// typographic quotes residents paste; the PDF's 14 standard fonts have
// none of them in their encoding.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// The A4 landscape page, in millimetres.
const (
	pdfMargin   = 10.0
	pdfTop      = 12.0
	pdfBottom   = 14.0 // above the footer
	pdfFontSize = 8.0  // points
	pdfLine     = 3.6  // line height for pdfFontSize
	pdfPad      = 1.2  // inside each cell
)

// pdfWidths are the columns' widths (277 mm: the page less its margins),
// in the table's column order; pdfThemeWidths with the theme column
// (Options.ByTheme) after the measure.
var (
	pdfWidths      = []float64{25, 19, 30, 96, 35, 24, 48}
	pdfThemeWidths = []float64{23, 17, 26, 80, 30, 30, 22, 49}
)

// widths are the table's column widths.
func (t *Table) widths() []float64 {
	if t.ByTheme {
		return pdfThemeWidths
	}
	return pdfWidths
}

// withTheme inserts the theme column's cell after the measure's when the
// table has one.
func (t *Table) withTheme(cells []string, theme string) []string {
	if t.ByTheme {
		return slices.Insert(cells, 5, theme)
	}
	return cells
}

// PDF writes the table as an A4 landscape PDF: the title block on the
// first page, the header row repeated on every page, a row too tall for
// what is left of a page moved to the next one (or, if it is taller than
// a page, continued over several), and "Puslapis N iš M" at the foot. The
// text is real text in an embedded subset of DejaVu Sans, so it can be
// searched, copied and extracted with every Lithuanian letter intact.
func (t *Table) PDF(w io.Writer) error {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("DejaVu", "", fontRegular)
	pdf.AddUTF8FontFromBytes("DejaVu", "B", fontBold)
	pdf.SetMargins(pdfMargin, pdfTop, pdfMargin)
	// Rows are placed by hand below; fpdf's own break would cut a row's
	// cells apart.
	pdf.SetAutoPageBreak(false, pdfBottom)
	pdf.SetCellMargin(0)
	pdf.SetCompression(true)
	pdf.SetTitle(t.word("title")+" – "+t.Title, true)
	pdf.SetAuthor(t.OrgName, true)
	pdf.SetCreator("vvgintake", true)
	pdf.SetLang(t.Lang)
	if !t.PublishedAt.IsZero() {
		// The same table makes the same file, whenever it is made.
		pdf.SetCreationDate(t.PublishedAt)
		pdf.SetModificationDate(t.PublishedAt)
	}
	// The page count is known only at the end: the alias stands in.
	pdf.AliasNbPages("{nb}")
	pageW, pageH := pdf.GetPageSize()
	pdf.SetFooterFunc(func() {
		pdf.SetY(pageH - 10)
		pdf.SetFont("DejaVu", "", 7)
		pdf.SetTextColor(90, 90, 90)
		left := t.OrgName + " – " + t.word("title") + ": " + t.Title
		pdf.CellFormat(pageW-2*pdfMargin-40, 4, clip(pdf, left, pageW-2*pdfMargin-42), "", 0, "L", false, 0, "")
		pdf.CellFormat(40, 4, fmt.Sprintf(t.word("page"), pdf.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	t.pdfTitle(pdf, pageW)

	p := &pdfTable{pdf: pdf, t: t, bottom: pageH - pdfBottom}
	if len(t.Rows) > 0 {
		p.header()
		for i := range t.Rows {
			p.row(&t.Rows[i])
		}
	}
	if t.URL != "" {
		pdf.Ln(3)
		pdf.SetFont("DejaVu", "", 8)
		pdf.MultiCell(0, 4, t.word("url")+": "+t.URL, "", "L", false)
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("render results pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write results pdf: %w", err)
	}
	return nil
}

// pdfTitle writes the block above the table on the first page.
func (t *Table) pdfTitle(pdf *fpdf.Fpdf, pageW float64) {
	width := pageW - 2*pdfMargin
	v := htmlView{t}
	pdf.SetFont("DejaVu", "B", 10)
	pdf.MultiCell(width, 5, t.OrgName, "", "L", false)
	pdf.SetFont("DejaVu", "B", 14)
	pdf.MultiCell(width, 7, t.word("title"), "", "L", false)
	pdf.SetFont("DejaVu", "", 11)
	pdf.MultiCell(width, 5.5, t.word("consultation")+": "+t.Title, "", "L", false)
	pdf.SetFont("DejaVu", "", 9)
	line := t.word("period") + ": " + v.Date(t.OpensAt) + " – " + v.LastDay()
	if t.PublishedAt.IsZero() {
		line += " · " + t.word("draft")
	} else {
		line += " · " + t.word("published") + ": " + v.Date(t.PublishedAt)
	}
	pdf.MultiCell(width, 4.5, line, "", "L", false)
	summary := fmt.Sprintf("%s: %d", t.word("total"), len(t.Rows))
	if len(t.Rows) > 0 {
		summary += fmt.Sprintf(" · %s: %d · %s: %d · %s: %d", t.word("accepted"), t.Accepted, t.word("partly"), t.Partly,
			t.word("rejected"), t.Rejected)
		if t.Undecided > 0 {
			summary += fmt.Sprintf(" · %s: %d", t.word(""), t.Undecided)
		}
	}
	pdf.MultiCell(width, 4.5, summary, "", "L", false)
	pdf.SetFont("DejaVu", "", 8)
	pdf.SetTextColor(70, 70, 70)
	pdf.MultiCell(width, 4, t.word("privacy"), "", "L", false)
	pdf.SetTextColor(0, 0, 0)
	if len(t.Rows) == 0 {
		pdf.Ln(2)
		pdf.SetFont("DejaVu", "", 10)
		pdf.MultiCell(width, 5, t.word("none"), "", "L", false)
	}
	pdf.Ln(3)
}

// pdfTable lays the rows out page by page.
type pdfTable struct {
	pdf    *fpdf.Fpdf
	t      *Table
	bottom float64 // the lowest y a row may reach
}

// header draws the header row, bold on grey.
func (p *pdfTable) header() {
	p.pdf.SetFont("DejaVu", "B", pdfFontSize)
	heads := p.t.withTheme([]string{p.t.word("Nr."), p.t.word("received"), p.t.word("submitter"), p.t.word("text"),
		p.t.word("measure"), p.t.word("decision"), p.t.word("reason")}, p.t.word("theme"))
	widths := p.t.widths()
	cells := make([][]string, len(heads))
	for i, h := range heads {
		cells[i] = wrap(p.pdf, h, widths[i]-2*pdfPad)
	}
	p.draw(cells, make([]int, len(cells)), tallest(cells), true)
	p.pdf.SetFont("DejaVu", "", pdfFontSize)
}

// row draws one suggestion: on this page if it fits, else on the next;
// a row taller than a whole page fills this page from at least three
// lines on and continues on the next ones.
func (p *pdfTable) row(r *Row) {
	pdf := p.pdf
	pdf.SetFont("DejaVu", "", pdfFontSize)
	texts := p.t.withTheme([]string{r.Ref, dateText(r.ReceivedAt), r.Submitter, r.Text, r.MeasureLabel(p.t.Lang),
		p.t.word(r.Decision), r.Reason}, r.Theme)
	widths := p.t.widths()
	cells := make([][]string, len(texts))
	for i, s := range texts {
		cells[i] = wrap(pdf, s, widths[i]-2*pdfPad)
	}
	done := make([]int, len(cells))
	full := func(lines int) float64 { return float64(lines)*pdfLine + 2*pdfPad }
	pageRoom := p.bottom - pdfTop - full(1) // a fresh page, below the header row
	for {
		left := 0
		for i := range cells {
			left = max(left, len(cells[i])-done[i])
		}
		room := p.bottom - pdf.GetY()
		if full(left) <= room {
			p.draw(cells, done, left, false)
			return
		}
		fits := int((room - 2*pdfPad) / pdfLine)
		if full(left) <= pageRoom || fits < 3 {
			p.newPage()
			continue
		}
		p.draw(cells, done, fits, false)
		p.newPage()
	}
}

// newPage starts a page with the header row.
func (p *pdfTable) newPage() {
	p.pdf.AddPage()
	p.header()
}

// draw writes n lines of every column from where done says, in bordered
// cells of one height, and moves done and the cursor on.
func (p *pdfTable) draw(cells [][]string, done []int, n int, head bool) {
	pdf := p.pdf
	y := pdf.GetY()
	h := float64(n)*pdfLine + 2*pdfPad
	x := pdfMargin
	style := "D"
	if head {
		pdf.SetFillColor(232, 232, 232)
		style = "FD"
	}
	pdf.SetDrawColor(150, 150, 150)
	widths := p.t.widths()
	for i, lines := range cells {
		pdf.Rect(x, y, widths[i], h, style)
		end := min(done[i]+n, len(lines))
		for k, line := range lines[done[i]:end] {
			pdf.SetXY(x+pdfPad, y+pdfPad+float64(k)*pdfLine)
			pdf.CellFormat(widths[i]-2*pdfPad, pdfLine, line, "", 0, "L", false, 0, "")
		}
		done[i] = end
		x += widths[i]
	}
	pdf.SetXY(pdfMargin, y+h)
}

// wrap splits s into the lines a column of width w mm holds in the
// current font, keeping the writer's line breaks; a word longer than the
// column is cut.
func wrap(pdf *fpdf.Fpdf, s string, w float64) []string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\t", " ")
	var out []string
	for _, para := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		para = strings.TrimRight(para, " ")
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, pdf.SplitText(para, w)...)
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// tallest is the most lines any cell has.
func tallest(cells [][]string) int {
	n := 0
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

// clip shortens s with "…" to fit w mm in the current font.
func clip(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
