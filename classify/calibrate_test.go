package classify

import (
	"math"
	"testing"
)

// TestCalibrationApply: the temperature sharpens without reordering, the
// prior for other moves probability to other alone, and the result sums
// to one.
func TestCalibrationApply(t *testing.T) {
	base := []float64{0.5, 0.3, 0.2} // other is index 2
	for _, c := range []calibration{{temp: 1}, {temp: 1.55}, {temp: 1, other: 0.75}, {temp: 1.55, other: 0.75}} {
		p := append([]float64(nil), base...)
		c.apply(p, 2)
		sum := p[0] + p[1] + p[2]
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("%+v: sums to %v", c, sum)
		}
		if !(p[0] > p[1]) {
			t.Errorf("%+v: %v reorders the measures", c, p)
		}
		// Against the same temperature without the prior, other's odds
		// against each measure grow by e^other.
		q := append([]float64(nil), base...)
		calibration{temp: c.temp}.apply(q, 2)
		for j := 0; j < 2; j++ {
			got, want := (p[2]/p[j])/(q[2]/q[j]), math.Exp(c.other)
			if math.Abs(got-want) > 1e-9 {
				t.Errorf("%+v: other's odds against %d grow %v times, want %v", c, j, got, want)
			}
		}
	}
	p := append([]float64(nil), base...)
	calibration{temp: 1}.apply(p, 2)
	for j := range p {
		if p[j] != base[j] {
			t.Errorf("no calibration changed %v to %v", base, p)
		}
	}
	if !(calibration{temp: 1}).none() || (calibration{temp: 1, other: 0.1}).none() {
		t.Error("none() is wrong")
	}
}

// TestReliabilityBar checks the diagram's bars at the ends of the scale:
// a bin none of whose results is right once printed a NUL byte where its
// bar ran short of the cells it was cut to.
func TestReliabilityBar(t *testing.T) {
	for _, c := range []struct {
		acc, conf float64
		want      string
	}{
		{0, 0.487, "          |"},
		{0, 0, "|"},
		{1, 1, "####################|"},
		{1, 0.5, "##########|#########"},
		{0.5, 1, "##########          |"},
	} {
		got := reliabilityBar(ReliabilityBin{N: 1, Accuracy: c.acc, Confidence: c.conf})
		if got != c.want {
			t.Errorf("reliabilityBar(accuracy %.3f, confidence %.3f) = %q, want %q", c.acc, c.conf, got, c.want)
		}
	}
}
