package ledger

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
)

// BenchmarkLedger100k inserts 100,000 submissions (one transaction each,
// as in production: every suggestion is its own commit) and then lists
// and exports them. Run with -benchtime=1x; figures are printed per phase.
func BenchmarkLedger100k(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		db := openTest(b, nil)
		c := newConsultation(b, db, "s")
		text := "Siūlau įkurti dienos centrą senjorams Aleksote, kur būtų maitinimas, užimtumas ir pagalba."
		b.ResetTimer()
		for j := 0; j < n; j++ {
			_, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceForm,
				SenderEmail: fmt.Sprintf("p%d@example.lt", j), Text: text,
				Class: Classification{Measure: "1.1", Confidence: 0.9}, Ack: &AckRequest{To: fmt.Sprintf("p%d@example.lt", j)}})
			if err != nil {
				b.Fatal(err)
			}
		}
		insert := b.Elapsed()
		count := 0
		if err := db.Submissions(ctx, Filter{Consultation: "s"}, func(*Submission) error { count++; return nil }); err != nil {
			b.Fatal(err)
		}
		list := b.Elapsed() - insert
		if _, err := db.Export(ctx, io.Discard, ExportOptions{Format: "csv"}); err != nil {
			b.Fatal(err)
		}
		csvT := b.Elapsed() - insert - list
		if _, err := db.Export(ctx, io.Discard, ExportOptions{Format: "xlsx"}); err != nil {
			b.Fatal(err)
		}
		xlsxT := b.Elapsed() - insert - list - csvT
		b.StopTimer()
		b.ReportMetric(float64(n)/insert.Seconds(), "inserts/s")
		b.ReportMetric(list.Seconds(), "list-s")
		b.ReportMetric(csvT.Seconds(), "csv-s")
		b.ReportMetric(xlsxT.Seconds(), "xlsx-s")
		if count != n {
			b.Fatalf("listed %d, want %d", count, n)
		}
	}
}

// BenchmarkIngest records one e-mail suggestion per operation, as the
// mailbox sync does: the message, its raw bytes, a submission, its
// classification and the acknowledgement, in one transaction.
//
// The sub-benchmarks commit that many messages per transaction
// (IngestBatch), as a mailbox sync does with what it has fetched.
func BenchmarkIngest(b *testing.B) {
	for _, size := range []int{1, 8, 16, 32} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			ctx := context.Background()
			db := openTest(b, nil)
			c := newConsultation(b, db, "s")
			raw := strings.Repeat("Siūlau įkurti dienos centrą senjorams Aleksote. ", 700)
			b.ReportAllocs()
			b.ResetTimer()
			var batch []*Inbound
			for i := 0; i < b.N; i++ {
				from := fmt.Sprintf("p%d@example.lt", i)
				in := inbound(c, uint32(i+1), fmt.Sprintf("%d %s", i, raw), fmt.Sprintf("<%d@x>", i), from, "Siūlau dienos centrą")
				in.Attachments = nil
				if batch = append(batch, in); len(batch) < size && i < b.N-1 {
					continue
				}
				if _, err := db.IngestBatch(ctx, batch); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		})
	}
}
