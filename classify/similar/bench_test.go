package similar

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// synthetic returns n suggestions drawn from the labelled set's words:
// each picks a theme and writes 15 to 80 words, seven in ten from that
// theme's letters, two from any letter and one a name or place that
// occurs once (a real consultation's long tail), under the theme's
// measure. One in ten is instead a copy of an earlier one with another
// signature line, as campaigns are.
func synthetic(t testing.TB, n int, oneMeasure bool) []Doc {
	t.Helper()
	set := append(loadSet(t, "tune"), loadSet(t, "sealed")...)
	type pool struct {
		measure string
		words   []string
	}
	byTheme := map[string]*pool{}
	var themes []string
	var all []string
	for _, l := range set {
		p, ok := byTheme[l.Theme]
		if !ok {
			p = &pool{measure: l.Measure}
			byTheme[l.Theme] = p
			themes = append(themes, l.Theme)
		}
		ws := strings.Fields(l.Text)
		p.words = append(p.words, ws...)
		all = append(all, ws...)
	}
	rng := rand.New(rand.NewPCG(19, 2026))
	docs := make([]Doc, 0, n)
	for i := 0; i < n; i++ {
		id := int64(i + 1)
		if i > 10 && rng.IntN(10) == 0 {
			src := docs[rng.IntN(len(docs))]
			docs = append(docs, Doc{ID: id, Measure: src.Measure, Text: src.Text + fmt.Sprintf("\nGyventojas Nr. %d", i)})
			continue
		}
		p := byTheme[themes[rng.IntN(len(themes))]]
		words := make([]string, 15+rng.IntN(66))
		for k := range words {
			switch r := rng.IntN(10); {
			case r < 7:
				words[k] = p.words[rng.IntN(len(p.words))]
			case r < 9:
				words[k] = all[rng.IntN(len(all))]
			default:
				words[k] = fmt.Sprintf("vieta%dx%d", i, k)
			}
		}
		m := p.measure
		if oneMeasure {
			m = "1.1"
		}
		docs = append(docs, Doc{ID: id, Measure: m, Text: strings.Join(words, " ")})
	}
	return docs
}

// group groups docs from scratch: their near duplicates one by one, as
// the intake finds them, then their themes at once (AddAll); it returns
// the time of each step.
func group(docs []Doc) (th *Themes, dups, themes time.Duration) {
	t0 := time.Now()
	x := NewDuplicates(DupOptions{})
	for i := range docs {
		m, _ := x.Add(docs[i].ID, docs[i].Text)
		docs[i].Root = m.Root
	}
	t1 := time.Now()
	th = NewThemes(Options{})
	th.AddAll(docs)
	return th, t1.Sub(t0), time.Since(t1)
}

// BenchmarkGroup groups 10,000 suggestions from scratch: near duplicates
// and themes, spread over the measures as the labelled set is, and all
// under one measure (the worst case).
func BenchmarkGroup(b *testing.B) {
	for _, c := range []struct {
		name string
		one  bool
	}{{"measures", false}, {"oneMeasure", true}} {
		b.Run(c.name, func(b *testing.B) {
			docs := synthetic(b, 10000, c.one)
			var dups, rec time.Duration
			var themes int
			b.ResetTimer()
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				th, d, r := group(docs)
				dups, rec = dups+d, rec+r
				themes = len(th.List(""))
			}
			cpu := processCPU() - cpu0
			n := float64(b.N)
			b.ReportMetric(b.Elapsed().Seconds()/n, "s/10k")
			b.ReportMetric(cpu.Seconds()/n, "cpu-s/10k")
			b.ReportMetric(dups.Seconds()/n, "dup-s")
			b.ReportMetric(rec.Seconds()/n, "themes-s")
			b.ReportMetric(float64(themes), "themes")
		})
	}
}

// BenchmarkAddOne adds one new suggestion to a consultation of 10,000
// already grouped: signing it and finding its copies, then its theme.
func BenchmarkAddOne(b *testing.B) {
	for _, c := range []struct {
		name string
		one  bool
	}{{"measures", false}, {"oneMeasure", true}} {
		b.Run(c.name, func(b *testing.B) {
			docs := synthetic(b, 11000, c.one)
			base, extra := docs[:10000], docs[10000:]
			x := NewDuplicates(DupOptions{})
			for i := range base {
				m, _ := x.Add(base[i].ID, base[i].Text)
				base[i].Root = m.Root
			}
			th := NewThemes(Options{})
			th.AddAll(base)
			b.ResetTimer()
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				d := extra[i%len(extra)]
				d.ID = int64(100000 + i)
				m, _ := x.Add(d.ID, d.Text)
				d.Root = m.Root
				th.Add(d)
			}
			cpu := processCPU() - cpu0
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/add")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/1000, "cpu-ms/add")
		})
	}
}

// BenchmarkRecluster regroups a consultation already grouped, as the
// pipeline does after a batch of mail, and rebuilds one from its stored
// state and texts, as the daemon does on start.
func BenchmarkRecluster(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		docs := synthetic(b, n, false)
		x := NewDuplicates(DupOptions{})
		for i := range docs {
			m, _ := x.Add(docs[i].ID, docs[i].Text)
			docs[i].Root = m.Root
		}
		th := NewThemes(Options{})
		th.AddAll(docs)
		b.Run(fmt.Sprintf("regroup/%d", n), func(b *testing.B) {
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				th.Recluster()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
			b.ReportMetric(float64((processCPU()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
		st := th.State()
		b.Run(fmt.Sprintf("load/%d", n), func(b *testing.B) {
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				if _, err := Load(st, docs, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
			b.ReportMetric(float64((processCPU()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
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
		x := NewDuplicates(DupOptions{})
		for i, s := range sigs {
			x.AddSigned(int64(i+1), s)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/10k")
}
