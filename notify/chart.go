package notify

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Chart geometry in pixels. basicfont.Face7x13 is 7 px wide per glyph, so a
// slot fits an 8-character measure code under its bar.
const (
	chartLeft   = 48 // room for 5-digit axis labels
	chartRight  = 12
	chartTop    = 24 // room for the value above the tallest bar
	chartBottom = 28 // room for the measure codes
	chartSlot   = 56
	chartBar    = 36
	chartHeight = 220
	glyphW      = 7
)

// Chart colours; a small palette keeps the PNG to a couple of kilobytes.
var chartPalette = color.Palette{
	color.RGBA{0xff, 0xff, 0xff, 0xff}, // background
	color.RGBA{0x33, 0x33, 0x33, 0xff}, // text
	color.RGBA{0x2b, 0x6c, 0xb0, 0xff}, // bars
	color.RGBA{0xdd, 0xdd, 0xdd, 0xff}, // grid
	color.RGBA{0x99, 0x99, 0x99, 0xff}, // axis
}

// chartSize returns the width and height of a chart with n bars, for the
// <img> attributes.
func chartSize(n int) (w, h int) {
	return chartLeft + n*chartSlot + chartRight, chartHeight
}

// Chart draws a PNG bar chart of suggestions per measure: one bar per
// entry of counts, labelled with the measure code, plotting Week when week
// is true and Total otherwise. Labels use basicfont (ASCII only), which is
// why codes, not the Lithuanian titles, go under the bars; the titles are in
// the table beside the chart.
func Chart(counts []MeasureCount, week bool) ([]byte, error) {
	if len(counts) == 0 {
		return nil, errors.New("chart: no measures")
	}
	vals := make([]int, len(counts))
	top := 0
	for i, c := range counts {
		v := c.Total
		if week {
			v = c.Week
		}
		if v < 0 {
			return nil, fmt.Errorf("chart: measure %s has negative count %d", c.Code, v)
		}
		vals[i] = v
		top = max(top, v)
	}
	step := niceStep(top)
	top = ((top + step - 1) / step) * step
	if top == 0 {
		top = step
	}

	w, h := chartSize(len(counts))
	img := image.NewPaletted(image.Rect(0, 0, w, h), chartPalette)
	text, bars, grid, axis := image.NewUniform(chartPalette[1]), image.NewUniform(chartPalette[2]),
		image.NewUniform(chartPalette[3]), image.NewUniform(chartPalette[4])
	plotTop, plotBottom := chartTop, h-chartBottom
	plotH := plotBottom - plotTop
	y := func(v int) int { return plotBottom - v*plotH/top }

	for v := 0; v <= top; v += step {
		yy := y(v)
		fill(img, image.Rect(chartLeft, yy, w-chartRight, yy+1), grid)
		label := strconv.Itoa(v)
		drawText(img, text, chartLeft-6-len(label)*glyphW, yy+4, label)
	}
	for i, v := range vals {
		x0 := chartLeft + i*chartSlot + (chartSlot-chartBar)/2
		if v > 0 {
			fill(img, image.Rect(x0, y(v), x0+chartBar, plotBottom), bars)
		}
		label := strconv.Itoa(v)
		drawText(img, text, x0+(chartBar-len(label)*glyphW)/2, y(v)-4, label)
		code := asciiLabel(counts[i].Code, chartSlot/glyphW)
		drawText(img, text, x0+(chartBar-len(code)*glyphW)/2, plotBottom+16, code)
	}
	fill(img, image.Rect(chartLeft, plotBottom, w-chartRight, plotBottom+1), axis)

	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return b.Bytes(), nil
}

// niceStep picks a grid step of 1, 2 or 5 × 10^k giving at most 5 lines.
func niceStep(top int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if top <= 5*m*p {
				return m * p
			}
		}
	}
}

func fill(img draw.Image, r image.Rectangle, c image.Image) {
	draw.Draw(img, r, c, image.Point{}, draw.Src)
}

// drawText writes s with its baseline at (x, y).
func drawText(img draw.Image, c image.Image, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: c, Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// asciiLabel keeps printable ASCII (what the font has) and cuts to n runes.
func asciiLabel(s string, n int) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if len(b) == n {
			break
		}
		if r < 0x20 || r > 0x7e {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return string(b)
}
