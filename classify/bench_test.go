package classify

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/internal/cputime"
)

// typicalTexts returns the examples of typical length (300–800 chars).
func typicalTexts(b testing.TB, ex []Example) []string {
	var out []string
	for _, e := range ex {
		if n := len([]rune(e.Text)); n >= 300 && n <= 800 {
			out = append(out, e.Text)
		}
	}
	if len(out) == 0 {
		b.Fatal("no typical texts")
	}
	return out
}

// BenchmarkClassify measures suggestions classified per second on one
// goroutine: real texts of 300–800 characters, and texts of about 800
// characters made by joining two of them (the long end of typical).
func BenchmarkClassify(b *testing.B) {
	ms, shipped, _ := aleksotas(b)
	unseen := loadExamples(b, filepath.Join("testdata", "sealed.jsonl"))
	m, err := Train(ms, shipped, shippedOptions())
	if err != nil {
		b.Fatal(err)
	}
	// Unseen (a sealed set's) and seen (shipped) texts: a seen text has
	// every feature in the vocabulary, the slower case.
	texts := typicalTexts(b, append(unseen, shipped...))
	var long []string
	for i := 0; i+1 < len(texts); i += 2 {
		t := texts[i] + "\n" + texts[i+1]
		long = append(long, string([]rune(t)[:min(800, len([]rune(t)))]))
	}
	for _, set := range []struct {
		name  string
		texts []string
	}{{"typical", texts}, {"800chars", long}} {
		b.Run(set.name, func(b *testing.B) {
			var chars int
			for _, t := range set.texts {
				chars += len([]rune(t))
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				m.Classify(set.texts[i%len(set.texts)])
			}
			cpu := cputime.Process() - cpu0
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "suggestions/s")
			if cpu > 0 {
				b.ReportMetric(float64(b.N)/cpu.Seconds(), "suggestions/cpu-s")
			}
			b.ReportMetric(float64(chars)/float64(len(set.texts)), "chars/text")
		})
	}
}

// BenchmarkTrain10k measures training from 10,000 examples, built by
// cycling the shipped examples with small perturbations (dropped and
// folded words) so that they are not exact duplicates.
func BenchmarkTrain10k(b *testing.B) {
	ms, shipped, _ := aleksotas(b)
	ex := perturbed(shipped, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		if _, err := Train(ms, ex, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := cputime.Process() - cpu0; cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	}
}

// perturbed cycles base to n examples; copy i drops every (i%7+2)-th word
// and, for odd rounds, strips the diacritics.
func perturbed(base []Example, n int) []Example {
	out := make([]Example, 0, n)
	for i := 0; len(out) < n; i++ {
		e := base[i%len(base)]
		round := i / len(base)
		words := strings.Fields(e.Text)
		keep := words[:0:0]
		for j, w := range words {
			if round > 0 && j%(round%7+2) == 0 {
				continue
			}
			keep = append(keep, w)
		}
		text := strings.Join(keep, " ")
		if round%2 == 1 {
			text = Fold(text)
		}
		out = append(out, Example{ID: fmt.Sprintf("%s-%d", e.ID, round), Text: text, Label: e.Label})
	}
	return out
}

// BenchmarkLearn measures one staff decision taken by Classifier.Learn,
// and classification through a Classifier that has learned 500.
func BenchmarkLearn(b *testing.B) {
	ms, shipped, dev := aleksotas(b)
	c, err := New(ms, shipped, shippedOptions())
	if err != nil {
		b.Fatal(err)
	}
	decisions := perturbed(dev, 500)
	b.Run("decision", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := c.Learn(decisions[i%len(decisions)]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
	})
	for _, e := range decisions {
		if err := c.Learn(e); err != nil {
			b.Fatal(err)
		}
	}
	texts := typicalTexts(b, shipped)
	b.Run("classify-after-500", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			c.Classify(texts[i%len(texts)])
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "suggestions/s")
	})
}
