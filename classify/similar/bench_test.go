package similar

import (
	"fmt"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/classify/similar/similartest"
	"github.com/vvgintake/vvgintake/internal/cputime"
)

// synthetic returns n suggestions drawn from the labelled set's words
// (similartest.Synthetic), all under measure 1.1 when oneMeasure.
func synthetic(t testing.TB, n int, oneMeasure bool) []Doc {
	t.Helper()
	set := append(loadSet(t, "tune"), loadSet(t, "sealed")...)
	docs := make([]Doc, n)
	for i, s := range similartest.Synthetic(set, n) {
		docs[i] = Doc{ID: int64(i + 1), Measure: s.Measure, Text: s.Text}
		if oneMeasure {
			docs[i].Measure = "1.1"
		}
	}
	return docs
}

// group groups docs from scratch: their near duplicates one by one, as
// the intake finds them, then their themes at once (AddAll); it returns
// the time of each step.
func group(docs []Doc) (th *Themes, dups, themes time.Duration) {
	t0 := time.Now()
	markCopies(docs)
	t1 := time.Now()
	th = NewThemes(Options{})
	th.AddAll(docs)
	return th, t1.Sub(t0), time.Since(t1)
}

// markCopies files docs one by one in a new near-duplicate index, as the
// intake finds copies, and sets each one's Root from what it found.
func markCopies(docs []Doc) *Duplicates {
	x := NewDuplicates(Options{})
	for i := range docs {
		m, _ := x.Add(docs[i].ID, docs[i].Text)
		docs[i].Root = m.Root
	}
	return x
}

// spreads runs bench on suggestions spread over the measures as the
// labelled set is ("measures"), and on all under one measure
// ("oneMeasure", the worst case).
func spreads(b *testing.B, bench func(b *testing.B, oneMeasure bool)) {
	for _, c := range []struct {
		name string
		one  bool
	}{{"measures", false}, {"oneMeasure", true}} {
		b.Run(c.name, func(b *testing.B) { bench(b, c.one) })
	}
}

// BenchmarkGroup groups 10,000 suggestions from scratch: near duplicates
// and themes, spread over the measures as the labelled set is, and all
// under one measure (the worst case).
func BenchmarkGroup(b *testing.B) {
	spreads(b, func(b *testing.B, oneMeasure bool) {
		docs := synthetic(b, 10000, oneMeasure)
		var dups, rec time.Duration
		var themes int
		b.ResetTimer()
		cpu0 := cputime.Process()
		for i := 0; i < b.N; i++ {
			th, d, r := group(docs)
			dups, rec = dups+d, rec+r
			themes = len(th.List(""))
		}
		cpu := cputime.Process() - cpu0
		n := float64(b.N)
		b.ReportMetric(b.Elapsed().Seconds()/n, "s/10k")
		b.ReportMetric(cpu.Seconds()/n, "cpu-s/10k")
		b.ReportMetric(dups.Seconds()/n, "dup-s")
		b.ReportMetric(rec.Seconds()/n, "themes-s")
		b.ReportMetric(float64(themes), "themes")
	})
}

// BenchmarkAddOne adds one new suggestion to a consultation of 10,000
// already grouped: signing it and finding its copies, then its theme.
func BenchmarkAddOne(b *testing.B) {
	spreads(b, func(b *testing.B, oneMeasure bool) {
		docs := synthetic(b, 11000, oneMeasure)
		base, extra := docs[:10000], docs[10000:]
		x := markCopies(base)
		th := NewThemes(Options{})
		th.AddAll(base)
		b.ResetTimer()
		cpu0 := cputime.Process()
		for i := 0; i < b.N; i++ {
			d := extra[i%len(extra)]
			d.ID = int64(100000 + i)
			m, _ := x.Add(d.ID, d.Text)
			d.Root = m.Root
			th.Add(d)
		}
		cpu := cputime.Process() - cpu0
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/add")
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/1000, "cpu-ms/add")
	})
}

// BenchmarkRecluster regroups a consultation already grouped, as the
// pipeline does after a batch of mail, and rebuilds one from its stored
// state and texts, as the daemon does on start.
func BenchmarkRecluster(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		docs := synthetic(b, n, false)
		markCopies(docs)
		th := NewThemes(Options{})
		th.AddAll(docs)
		b.Run(fmt.Sprintf("regroup/%d", n), func(b *testing.B) {
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				th.Recluster()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
			b.ReportMetric(float64((cputime.Process()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
		st := th.State()
		b.Run(fmt.Sprintf("load/%d", n), func(b *testing.B) {
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				if _, err := Load(st, docs, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
			b.ReportMetric(float64((cputime.Process()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkCampaign files 10,000 letters that are all copies of sixteen
// campaign texts, each with its own greeting and signature (the mailbox
// bench/ingest.sh measures): every letter is a candidate of every earlier
// copy of its text, the worst case of the LSH search.
func BenchmarkCampaign(b *testing.B) {
	texts := []string{
		"Siūlau Aleksote įkurti dienos centrą senjorams, kur jie galėtų susitikti, pavalgyti šiltus pietus ir pabendrauti.",
		"Vienišiems senoliams reikėtų pagalbos į namus: kas nors galėtų atnešti maisto, nupirkti vaistų ir tiesiog pasikalbėti.",
		"Bedarbiams labai trūksta kompiuterinio raštingumo kursų, po kurių būtų išduodamas pažymėjimas.",
		"Jaunimui reikia pagalbos ieškant pirmojo darbo: CV rašymo užsiėmimų, pokalbių su darbdaviais, praktikos vietų.",
	}
	sigs := make([]Signature, 10000)
	for i := range sigs {
		sigs[i] = Sign(fmt.Sprintf("Laba diena,\n%s\nPagarbiai, Gyventojas%d Pavardenis%d", texts[i%len(texts)], i, i*7))
	}
	b.ResetTimer()
	for range b.N {
		x := NewDuplicates(Options{})
		for i, s := range sigs {
			x.AddSigned(int64(i+1), s)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/10k")
}
