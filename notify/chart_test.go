package notify

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

func TestChart(t *testing.T) {
	counts := []MeasureCount{
		{Code: "1.1", Week: 0, Total: 10}, {Code: "1.2", Week: 5, Total: 5}, {Code: "2.1", Week: 10, Total: 10},
		{Code: "2.2"}, {Code: "3"}, {Code: "4"}, {Code: "5"}, {Code: "other", Week: 1, Total: 1},
	}
	tests := []struct {
		name string
		week bool
		// bar i is drawn (has the bar colour at its base) iff want[i]
		want []bool
	}{
		{"week", true, []bool{false, true, true, false, false, false, false, true}},
		{"total", false, []bool{true, true, true, false, false, false, false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Chart(counts, tt.week)
			if err != nil {
				t.Fatalf("Chart: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("decode png: %v", err)
			}
			w, h := chartSize(len(counts))
			if got := img.Bounds(); got != image.Rect(0, 0, w, h) {
				t.Errorf("bounds = %v, want %dx%d", got, w, h)
			}
			barR, barG, barB, _ := chartPalette[2].RGBA()
			for i, want := range tt.want {
				x := chartLeft + i*chartSlot + chartSlot/2
				y := h - chartBottom - 2
				r, g, bb, _ := img.At(x, y).RGBA()
				if got := r == barR && g == barG && bb == barB; got != want {
					t.Errorf("bar %d (%s) drawn = %v, want %v", i, counts[i].Code, got, want)
				}
			}
		})
	}
}

func TestChartTallerBarIsTaller(t *testing.T) {
	b, err := Chart([]MeasureCount{{Code: "a", Week: 3}, {Code: "b", Week: 9}}, true)
	if err != nil {
		t.Fatalf("Chart: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode png: %v", err)
	}
	height := func(i int) int {
		x := chartLeft + i*chartSlot + chartSlot/2
		barR, _, _, _ := chartPalette[2].RGBA()
		n := 0
		for y := 0; y < img.Bounds().Dy(); y++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r == barR {
				n++
			}
		}
		return n
	}
	ha, hb := height(0), height(1)
	if ha == 0 || hb < 2*ha || hb > 4*ha {
		t.Errorf("bar heights %d and %d, want the second about 3× the first", ha, hb)
	}
}

func TestChartErrors(t *testing.T) {
	tests := []struct {
		name   string
		counts []MeasureCount
	}{
		{"no measures", nil},
		{"negative", []MeasureCount{{Code: "1.1", Week: -1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Chart(tt.counts, true); err == nil {
				t.Errorf("Chart: want error")
			}
		})
	}
}

func TestNiceStep(t *testing.T) {
	tests := []struct{ top, want int }{{0, 1}, {4, 1}, {5, 1}, {6, 2}, {10, 2}, {11, 5}, {25, 5}, {26, 10}, {100000, 20000}}
	for _, tt := range tests {
		if got := niceStep(tt.top); got != tt.want {
			t.Errorf("niceStep(%d) = %d, want %d", tt.top, got, tt.want)
		}
	}
}

func TestAsciiLabel(t *testing.T) {
	if got, want := asciiLabel("kita-priemonė-ilga", 8), "kita-pri"; got != want {
		t.Errorf("asciiLabel = %q, want %q", got, want)
	}
	if got, want := asciiLabel("ė1", 8), "?1"; got != want {
		t.Errorf("asciiLabel = %q, want %q", got, want)
	}
}
