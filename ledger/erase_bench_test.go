package ledger

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

// fillLedger records n form suggestions from n people in transactions of
// a thousand (quicker than one each; the ledger's shape is the same).
func fillLedger(b *testing.B, db *DB, c *Consultation, n int, text string) {
	b.Helper()
	ctx := context.Background()
	for i := 0; i < n; i += 1000 {
		var batch []*NewSubmission
		for j := i; j < min(n, i+1000); j++ {
			batch = append(batch, &NewSubmission{ConsultationID: c.ID, Source: SourceForm, SenderName: fmt.Sprintf("Gyventojas %d", j),
				SenderEmail: fmt.Sprintf("p%d@example.lt", j), Text: fmt.Sprintf("%s (nr. %d)", text, j),
				Class: Classification{Measure: []string{"1.1", "2.1", "3", "other"}[j%4], Confidence: 0.9},
				Ack:   &AckRequest{To: fmt.Sprintf("p%d@example.lt", j)}})
		}
		if _, err := db.AddSubmissions(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEraseAddress erases one person (three e-mails with
// attachments, a form suggestion, a note) from a ledger of 100,000
// suggestions: the ledger's transaction, then the checkpoint that takes
// the bytes out of the files. The mailbox is not part of it. Figures per
// erasure: erase-ms (the transaction), compact-ms, and the file's size.
// Run with -benchtime=Nx.
func BenchmarkEraseAddress(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	db := openTest(b, nil)
	c := newConsultation(b, db, "s")
	start := time.Now()
	fillLedger(b, db, c, n, "Siūlau įkurti dienos centrą senjorams Aleksote, kur būtų maitinimas, užimtumas ir pagalba.")
	b.Logf("ledger of %d suggestions filled in %v", n, time.Since(start).Round(time.Millisecond))
	var eraseT, compactT time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		addr := fmt.Sprintf("ona%d@example.lt", i)
		for k := range 3 {
			in := inbound(c, uint32(10*i+k+1), fmt.Sprintf("From: %s\r\n\r\nLaiškas %d-%d %s", addr, i, k, string(make([]byte, 20<<10))),
				fmt.Sprintf("<%d.%d@x>", i, k), addr, "Siūlau dienos centrą")
			if _, err := db.Ingest(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
		s, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceForm, SenderName: "Ona", SenderEmail: addr,
			Text: "Per formą", Attachments: []NewAttachment{{Filename: "a.pdf", Data: []byte(fmt.Sprintf("%%PDF %d", i))}}})
		if err != nil {
			b.Fatal(err)
		}
		if err := db.AddNote(ctx, s.Ref, "paskambino", "rasa"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		_, counts, err := db.EraseAddress(ctx, addr, "rasa", nil)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := db.Compact(ctx); err != nil {
			b.Fatal(err)
		}
		eraseT += t1.Sub(t0)
		compactT += time.Since(t1)
		if counts.Submissions != 4 || counts.Messages != 3 {
			b.Fatalf("erased %s", counts)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(eraseT.Microseconds())/1000/float64(b.N), "erase-ms")
	b.ReportMetric(float64(compactT.Microseconds())/1000/float64(b.N), "compact-ms")
	if st, err := os.Stat(db.dir + "/ledger.db"); err == nil {
		b.ReportMetric(float64(st.Size())/(1<<20), "ledger-MB")
	}
}

// BenchmarkRetentionPurge applies the retention rules to a published
// consultation of 10,000 e-mail suggestions (4 KiB raw mail each, with an
// attachment, a decision on every tenth): the raw-mail rule, then the
// personal-data rule, each one transaction, then the checkpoint. Figures:
// raw-s, personal-s, compact-s. Run with -benchtime=1x.
func BenchmarkRetentionPurge(b *testing.B) {
	const n = 10_000
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		clock := &testClock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
		db := openTest(b, clock)
		c := newConsultation(b, db, "didele")
		body := string(make([]byte, 4<<10))
		for j := 0; j < n; j += 100 {
			var batch []*Inbound
			for k := j; k < j+100; k++ {
				addr := fmt.Sprintf("g%d@example.lt", k)
				in := inbound(c, uint32(k+1), fmt.Sprintf("From: %s\r\n\r\n%d %s", addr, k, body), fmt.Sprintf("<%d@x>", k), addr, "Siūlau")
				in.Submission.SenderName = fmt.Sprintf("Gyventojas %d", k)
				in.Submission.Ack = nil
				in.Attachments = []NewAttachment{{Filename: "a.pdf", Data: []byte(fmt.Sprintf("%%PDF %d", k))}}
				batch = append(batch, in)
			}
			if _, err := db.IngestBatch(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		for j := 1; j <= n; j += 10 {
			if _, err := db.Decide(ctx, fmt.Sprint(j), "accepted", "Pritarta", "rasa"); err != nil {
				b.Fatal(err)
			}
		}
		markPublished(b, db, "didele", clock.t)
		clock.t = clock.t.AddDate(0, 6, 1)
		b.StartTimer()
		t0 := time.Now()
		raw, err := db.ApplyRetention(ctx, RetentionRules{RawMail: 6, Personal: 12, Mailbox: true}, nil)
		if err != nil || len(raw) != 1 {
			b.Fatalf("raw rule: %+v, %v", raw, err)
		}
		t1 := time.Now()
		clock.t = clock.t.AddDate(0, 6, 1)
		personal, err := db.ApplyRetention(ctx, RetentionRules{RawMail: 6, Personal: 12, Mailbox: true}, nil)
		if err != nil || len(personal) != 1 || personal[0].Counts.Submissions != n {
			b.Fatalf("personal rule: %+v, %v", personal, err)
		}
		t2 := time.Now()
		if err := db.Compact(ctx); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		b.StopTimer()
		b.ReportMetric(t1.Sub(t0).Seconds(), "raw-s")
		b.ReportMetric(t2.Sub(t1).Seconds(), "personal-s")
		b.ReportMetric(t3.Sub(t2).Seconds(), "compact-s")
		b.Logf("raw rule: %s; personal rule: %s", raw[0].Counts, personal[0].Counts)
	}
}
