package classify

import (
	"math"
	"slices"
	"strings"
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

// TestLabelBias: Options.LabelBias multiplies a label's probability
// against the others' by e^bias, the shipped set's names only its
// measures, and a code that is not a label is refused.
func TestLabelBias(t *testing.T) {
	ms, shipped, dev := aleksotas(t)
	// The bias is exact arithmetic on any model: a fifth of the examples
	// train one in a fifth of the time.
	shipped = shipped[:len(shipped)/5]
	plain, err := Train(ms, shipped, Options{})
	if err != nil {
		t.Fatal(err)
	}
	biased, err := Train(ms, shipped, Options{LabelBias: map[string]float64{"1.2": 1, "3": -0.5}})
	if err != nil {
		t.Fatal(err)
	}
	i12, i3, i4 := slices.Index(plain.labels, "1.2"), slices.Index(plain.labels, "3"), slices.Index(plain.labels, "4")
	for _, e := range dev[:20] {
		_, p := plain.classify(e.Text, true)
		_, q := biased.classify(e.Text, true)
		if p == nil || q == nil {
			continue
		}
		for _, c := range []struct {
			j    int
			want float64
		}{{i12, 1}, {i3, -0.5}} {
			got := math.Log(q[c.j]/q[i4]) - math.Log(p[c.j]/p[i4])
			if math.Abs(got-c.want) > 1e-9 {
				t.Fatalf("%s: log-odds of %s against 4 moved by %.6f, want %.1f", e.ID, plain.labels[c.j], got, c.want)
			}
		}
	}
	bias := ShippedLabelBias("aleksotas")
	for _, m := range ms {
		if _, ok := bias[m.Code]; ok == (m.Code == "other") {
			t.Errorf("shipped label bias: %q named %v; want every measure but other, whose prior the calibration has", m.Code, ok)
		}
	}
	bias["1.1"] = 9
	if ShippedLabelBias("aleksotas")["1.1"] == 9 {
		t.Error("ShippedLabelBias hands out its own map")
	}
	if ShippedLabelBias("nowhere") != nil {
		t.Error("a label bias for a set that is not shipped")
	}
	if _, err := Train(ms, shipped[:50], Options{LabelBias: map[string]float64{"9.9": 1}}); err == nil || !strings.Contains(err.Error(), `"9.9"`) {
		t.Errorf("bias for an unknown code: %v", err)
	}
}
