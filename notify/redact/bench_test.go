package redact

import (
	"strings"
	"testing"
)

// BenchmarkRedact redacts the labelled sentences one by one, as the
// results table does suggestion by suggestion, and reports sentences per
// second; -benchmem and the MB/s column come with it.
func BenchmarkRedact(b *testing.B) {
	set := loadLabelled(b)
	size := 0
	for _, l := range set {
		size += len(l.Text)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, l := range set {
			Apply(l.Text, Find(l.Text, Known{}))
		}
	}
	b.ReportMetric(float64(b.N*len(set))/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkResultsTable redacts a results table of 10,000 suggestions of
// about 500 bytes each (the labelled sentences joined four or five to a
// suggestion, a little longer than the shared corpus' median), with the
// sender's name as Known, and reports seconds per table. The issue asks
// for well under 5 s.
func BenchmarkResultsTable(b *testing.B) {
	set := loadLabelled(b)
	table := make([]string, 10000)
	size := 0
	for i := range table {
		var sb strings.Builder
		for k := 0; sb.Len() < 500; k++ {
			sb.WriteString(set[(i*7+k)%len(set)].Text)
			sb.WriteString("\n")
		}
		table[i] = sb.String()
		size += len(table[i])
	}
	known := Known{People: []string{"Jonas Petraitis"}, Public: []string{"Vilties žiedas"}}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, s := range table {
			Apply(s, Find(s, known))
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/table")
	b.ReportMetric(float64(b.N*len(table))/b.Elapsed().Seconds(), "suggestions/s")
}
