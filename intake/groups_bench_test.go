package intake

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/classify/similar/similartest"
	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// syntheticSubmissions are n suggestions drawn from the labelled set's
// words (similartest.Synthetic, as classify/similar's benchmarks draw
// them), recorded a minute apart through the web form.
func syntheticSubmissions(t testing.TB, consID int64, n int) []*ledger.NewSubmission {
	t.Helper()
	at := clocktest.At(t, "2026-11-02T09:00:00+02:00")
	out := make([]*ledger.NewSubmission, n)
	for i, s := range similartest.Synthetic(readLabelled(t), n) {
		out[i] = &ledger.NewSubmission{ConsultationID: consID, Source: ledger.SourceForm, ReceivedAt: at.Add(time.Duration(i) * time.Minute),
			Text: s.Text, Class: ledger.Classification{Measure: s.Measure, Confidence: 1}}
	}
	return out
}

// BenchmarkGroupConsultation groups a consultation of 10,000 suggestions
// recorded with no grouping (an import, or the first start of this
// version on an old ledger): read from the ledger, signed, near
// duplicates found one by one, themes grouped at once, and every row
// written back — the whole of one Regroup.
func BenchmarkGroupConsultation(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		p, db, c := groupingPipeline(b, nil)
		if _, err := db.AddSubmissions(ctx, syntheticSubmissions(b, c.ID, 10000)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := p.Regroup(ctx, false); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		// What the grouping of the consultation keeps in memory between
		// passes: the heap with it, less the heap once it is dropped.
		var with, without runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&with)
		p.grp.mu.Lock()
		clear(p.grp.cons)
		p.grp.mu.Unlock()
		runtime.GC()
		runtime.ReadMemStats(&without)
		b.ReportMetric(float64(int64(with.HeapAlloc)-int64(without.HeapAlloc))/(1<<20), "MB-held")
		b.StartTimer()
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/10k")
}

// BenchmarkGroupOneMore records one new suggestion (untimed) into a
// consultation of 10,000 already grouped and times the pass that groups
// it: the ledger asked what is new, the signature and its copies, its
// theme, and the rows written back.
func BenchmarkGroupOneMore(b *testing.B) {
	ctx := context.Background()
	p, db, c := groupingPipeline(b, nil)
	subs := syntheticSubmissions(b, c.ID, 11000)
	if _, err := db.AddSubmissions(ctx, subs[:10000]); err != nil {
		b.Fatal(err)
	}
	if err := p.Regroup(ctx, false); err != nil {
		b.Fatal(err)
	}
	var took time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		ns := *subs[10000+i%1000]
		ns.Signature = Sign(ns.Subject, ns.Text) // as intake makes it, before recording
		if _, err := db.AddSubmission(ctx, &ns); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		if err := p.grp.update(ctx, c.ID, nil); err != nil {
			b.Fatal(err)
		}
		took += time.Since(t0)
	}
	b.ReportMetric(float64(took.Microseconds())/float64(b.N)/1000, "ms/add")
}
