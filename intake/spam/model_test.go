package spam

import (
	"bytes"
	"fmt"
	"testing"
)

// toyExamples are a few made-up messages, enough to train a model whose
// behaviour the tests can predict.
func toyExamples() []Example {
	var ex []Example
	for i := range 30 {
		ex = append(ex,
			Example{Subject: fmt.Sprintf("Pasiūlymas %d", i), Text: "Siūlau bendruomenės namuose kursus senjorams, savanoriai padėtų."},
			Example{Subject: "WIN $1000 NOW!!!", Text: fmt.Sprintf("Click http://win%d.example.com to claim your prize $%d!!!", i, 1000+i), Spam: true},
		)
	}
	return ex
}

func trainToy(t *testing.T) *Model {
	t.Helper()
	m, err := Train(toyExamples(), TrainOptions{Bits: 12, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return m.WithCalibration(Calibration{A: 1, B: 0, Unsure: 0.5, Spam: 0.9})
}

func TestBandRule(t *testing.T) {
	c := Calibration{A: 1, B: 0, Unsure: 0.5, Spam: 0.9}
	tests := []struct {
		name   string
		margin float64
		want   Band
	}{
		{"clearly ham", -3, Ham},
		{"just below Unsure", -0.01, Ham},
		{"Unsure threshold itself", 0, Unsure},
		{"between", 1, Unsure},
		{"Spam threshold and above", 3, Spam},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := c.Apply(tt.margin); got != tt.want {
				t.Errorf("Apply(%v) band = %v, want %v", tt.margin, got, tt.want)
			}
		})
	}
}

func TestScoreBands(t *testing.T) {
	m := trainToy(t)
	tests := []struct {
		name, subject, text string
		hints               Hints
		want                Band
		orWorse             bool // any band from want on passes
	}{
		{"resident", "Dėl senjorų", "Siūlau kursus senjorams bendruomenės namuose.", Hints{}, Ham, false},
		{"advert", "WIN $5000 NOW!!!", "Click http://prize.example.com to claim your prize $5000!!!", Hints{}, Spam, false},
		// Nothing to judge: an empty body that links nowhere is a
		// person who forgot the text, whatever the subject says.
		{"empty text, spammy subject", "WIN $1000 NOW!!!", "", Hints{}, Ham, false},
		{"empty text that links out", "WIN $1000 NOW!!!", "", Hints{Links: 3}, Unsure, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := m.Score(tt.subject, tt.text, tt.hints)
			if v.Band != tt.want && !(tt.orWorse && v.Band > tt.want) {
				t.Errorf("band = %v (score %.3f), want %v", v.Band, v.Score, tt.want)
			}
			if v.Score < 0 || v.Score > 1 {
				t.Errorf("score %v outside [0, 1]", v.Score)
			}
		})
	}
}

func TestEvidence(t *testing.T) {
	m := trainToy(t)
	v := m.Score("WIN $5000 NOW!!!", "Claim your prize!!! Claim it now: http://prize.example.com", Hints{})
	if len(v.Evidence) == 0 || len(v.Evidence) > MaxEvidence {
		t.Fatalf("evidence %v: want 1 to %d items", v.Evidence, MaxEvidence)
	}
	seen := map[string]bool{}
	for i, e := range v.Evidence {
		if e.Weight <= 0 {
			t.Errorf("evidence %q has weight %v, want > 0", e.Feature, e.Weight)
		}
		if i > 0 && e.Weight > v.Evidence[i-1].Weight {
			t.Errorf("evidence not strongest first: %v", v.Evidence)
		}
		if seen[e.Feature] {
			t.Errorf("evidence %q twice", e.Feature)
		}
		seen[e.Feature] = true
	}
	if v := m.Score("Dėl senjorų", "Siūlau kursus senjorams.", Hints{}); len(v.Evidence) > MaxEvidence {
		t.Errorf("ham evidence %v: too long", v.Evidence)
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	a, err := Train(toyExamples(), TrainOptions{Bits: 12, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Train(toyExamples(), TrainOptions{Bits: 12, Seed: 7})
	da, _ := a.MarshalBinary()
	db, _ := b.MarshalBinary()
	if !bytes.Equal(da, db) {
		t.Errorf("two trainings with one seed differ")
	}
}

func TestTrainRefuses(t *testing.T) {
	tests := []struct {
		name string
		ex   []Example
		opt  TrainOptions
	}{
		{"no spam", []Example{{Text: "a"}}, TrainOptions{}},
		{"no ham", []Example{{Text: "a", Spam: true}}, TrainOptions{}},
		{"bits out of range", toyExamples(), TrainOptions{Bits: 30}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Train(tt.ex, tt.opt); err == nil {
				t.Errorf("Train succeeded, want an error")
			}
		})
	}
}

func TestLoadRoundTrip(t *testing.T) {
	m := trainToy(t)
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	n, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if n.Calibration() != m.Calibration() {
		t.Errorf("calibration %+v, want %+v", n.Calibration(), m.Calibration())
	}
	const subject, text = "WIN $5000 NOW!!!", "Click http://prize.example.com"
	if got, want := n.Margin(subject, text, Hints{}), m.Margin(subject, text, Hints{}); got != want {
		t.Errorf("margin after a round trip %v, want %v (Train returns the quantised model)", got, want)
	}
}

func TestLoadRefuses(t *testing.T) {
	good, _ := trainToy(t).MarshalBinary()
	mutate := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"wrong magic", mutate(func(b []byte) []byte { b[0] = 'X'; return b })},
		{"other feature version", mutate(func(b []byte) []byte { b[9]++; return b })},
		{"truncated", good[:len(good)-1]},
		{"thresholds reversed", func() []byte {
			d, _ := trainToy(t).WithCalibration(Calibration{A: 1, Unsure: 0.9, Spam: 0.5}).MarshalBinary()
			return d
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Load(tt.data); err == nil {
				t.Errorf("Load succeeded, want an error")
			}
		})
	}
}
