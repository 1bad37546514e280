package spam

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
)

// Calibration turns a model's margin into Score, and Score into a Band.
// The training program fits it on held-out predictions; see doc.go.
type Calibration struct {
	// A and B map the margin m to Score = 1/(1+exp(-(A·m+B))) (Platt
	// scaling), so that Score behaves like a probability.
	A, B float64
	// Unsure and Spam are the Score thresholds of the bands: a message
	// scoring at least Spam is Spam, at least Unsure is Unsure, anything
	// lower is Ham. 0 < Unsure ≤ Spam ≤ 1.
	Unsure, Spam float64
}

// Model is a trained spam model: one weight per hashed feature and a
// calibration. It is immutable once built, so one Model serves any
// number of goroutines.
type Model struct {
	bits uint      // log2 of len(w)
	w    []float32 // weight of each feature bucket
	bias float64
	cal  Calibration
}

// featureVersion changes whenever the features change: a model's weights
// mean nothing to another version's features, so Load refuses it.
const featureVersion = 1

// modelMagic starts every model file.
const modelMagic = "VVGSPAM1"

// headerSize is the fixed part of a model file; the weights follow it.
const headerSize = 56

//go:embed model.bin
var embeddedModel string

// defaultModel decodes the embedded model once, on first use; Load's
// checks run in the tests, so a bad embedded file fails CI, not the
// daemon.
var defaultModel = sync.OnceValue(func() *Model {
	m, err := Load([]byte(embeddedModel))
	if err != nil {
		panic("spam: embedded model: " + err.Error())
	}
	return m
})

// Default returns the model shipped with this package (model.bin, built
// by train/train.sh). It is decoded on first use and shared read-only.
func Default() *Model { return defaultModel() }

// Score judges a message with the Default model; see Model.Score.
func Score(subject, text string, h Hints) Verdict {
	return Default().Score(subject, text, h)
}

// Calibration returns m's calibration and band thresholds.
func (m *Model) Calibration() Calibration { return m.cal }

// WithCalibration returns a model with m's weights and calibration c.
// The weights are shared, not copied: neither model ever changes them.
func (m *Model) WithCalibration(c Calibration) *Model {
	n := *m
	n.cal = c
	return &n
}

// index is the weight bucket of feature hash h. The multiply spreads
// FNV's weak high bits before the top bits are taken.
func (m *Model) index(h uint64) uint32 {
	return uint32((h * 0x9E3779B97F4A7C15) >> (64 - m.bits))
}

// Score judges a message from its decoded subject and the sender's own
// text (quotes and signatures removed, as the parser extracts it) and
// the caller's hints. It reads at most MaxSubjectBytes of the subject and
// MaxTextBytes of the text.
func (m *Model) Score(subject, text string, h Hints) Verdict {
	sc := scorer{m: m}
	e := extract(subject, text, h, &sc)
	score, band := m.cal.Apply(sc.margin())
	if nothingToJudge(e, h) {
		band = Ham
	}
	return Verdict{Score: score, Band: band, Evidence: sc.evidence(e.buf)}
}

// nothingToJudge reports a message whose text has no words and that
// links nowhere. It is Ham whatever its subject: an advert has to say or
// link to what it sells, while a resident who forgot to type the text
// (or attached it as a file) must get the acknowledgement that lets them
// notice.
func nothingToJudge(e *extractor, h Hints) bool {
	return e.part[0].words == 0 && e.urls == 0 && h.Links == 0
}

// Margin is the model's raw log-odds for a message, before calibration.
// The training program calibrates on it.
func (m *Model) Margin(subject, text string, h Hints) float64 {
	sc := scorer{m: m}
	extract(subject, text, h, &sc)
	return sc.margin()
}

// Apply turns a margin into Score and its Band. It is the one place
// that decides the band, so Score, the training program and the tests
// cannot disagree on the rule.
func (c Calibration) Apply(margin float64) (score float64, band Band) {
	score = 1 / (1 + math.Exp(-(c.A*margin + c.B)))
	switch {
	case score >= c.Spam:
		return score, Spam
	case score >= c.Unsure:
		return score, Unsure
	}
	return score, Ham
}

// Load decodes a model written by MarshalBinary. It refuses a model of
// another feature version, a truncated file and nonsensical thresholds.
func Load(data []byte) (*Model, error) {
	if len(data) < headerSize || string(data[:8]) != modelMagic {
		return nil, errors.New("load spam model: not a model file")
	}
	if v := data[9]; v != featureVersion {
		return nil, fmt.Errorf("load spam model: feature version %d, this code has %d", v, featureVersion)
	}
	bits := uint(data[8])
	if bits < 8 || bits > 24 {
		return nil, fmt.Errorf("load spam model: %d bits out of range 8-24", bits)
	}
	n := 1 << bits
	if len(data) != headerSize+2*n {
		return nil, fmt.Errorf("load spam model: %d bytes, want %d", len(data), headerSize+2*n)
	}
	le := binary.LittleEndian
	f64 := func(off int) float64 { return math.Float64frombits(le.Uint64(data[off:])) }
	scale := math.Float32frombits(le.Uint32(data[12:]))
	m := &Model{
		bits: bits,
		w:    make([]float32, n),
		bias: f64(16),
		cal:  Calibration{A: f64(24), B: f64(32), Unsure: f64(40), Spam: f64(48)},
	}
	if c := m.cal; !(c.A > 0) || math.IsInf(c.A, 0) || math.IsNaN(c.B) || math.IsInf(c.B, 0) ||
		!(c.Unsure > 0 && c.Unsure <= c.Spam && c.Spam <= 1) || math.IsNaN(m.bias) || !(scale >= 0) {
		return nil, fmt.Errorf("load spam model: bad calibration %+v, bias %v, scale %v", c, m.bias, scale)
	}
	for i := range m.w {
		m.w[i] = float32(int16(le.Uint16(data[headerSize+2*i:]))) * scale
	}
	return m, nil
}

// MarshalBinary encodes m: a fixed header, then one little-endian int16
// per weight, scaled so the largest weight is ±32767. Quantising halves
// the file against float32 and moves no margin by more than a few
// thousandths; Train returns models already quantised, so what is
// measured is what is shipped.
func (m *Model) MarshalBinary() ([]byte, error) {
	var maxAbs float32
	for _, w := range m.w {
		maxAbs = max(maxAbs, abs32(w))
	}
	scale := maxAbs / 32767
	out := make([]byte, headerSize+2*len(m.w))
	copy(out, modelMagic)
	out[8] = byte(m.bits)
	out[9] = featureVersion
	le := binary.LittleEndian
	le.PutUint32(out[12:], math.Float32bits(scale))
	for i, v := range []float64{m.bias, m.cal.A, m.cal.B, m.cal.Unsure, m.cal.Spam} {
		le.PutUint64(out[16+8*i:], math.Float64bits(v))
	}
	for i, w := range m.w {
		var q int16
		if scale > 0 {
			q = int16(math.Round(float64(w / scale)))
		}
		le.PutUint16(out[headerSize+2*i:], uint16(q))
	}
	return out, nil
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
