package notify

import (
	"context"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// BenchmarkSendDue measures the whole path of one acknowledgement: claim,
// render from the ledger, one SMTP session to the in-process Capture
// server, mark sent.
func BenchmarkSendDue(b *testing.B) {
	db := openLedger(b, time.Now)
	now := time.Now()
	c := openConsultation(b, db, "strategija", "Strategijos keitimas", now.Add(-time.Hour), now.Add(720*time.Hour))
	queueAcks(b, db, c, b.N)
	srv := newCapture(b, "127.0.0.1:0")
	s := newTestSender(b, db, mailerTo(b, srv.Addr, SMTPOptions{}), nil)
	b.ResetTimer()
	sent, err := s.SendDue(context.Background())
	b.StopTimer()
	if err != nil || sent != b.N {
		b.Fatalf("SendDue = %d, %v; want %d, nil", sent, err, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkRender measures building each kind of message from the ledger
// of the render tests.
func BenchmarkRender(b *testing.B) {
	for _, kind := range []string{ledger.KindAck, ledger.KindDigest, ledger.KindReport, ledger.KindReminder} {
		b.Run(kind, func(b *testing.B) {
			f := newBenchFixture(b)
			it := f.items[kind]
			s := newTestSender(b, f.db, nopMailer{}, func(o *SenderOptions) { o.Now = f.clock.Now })
			ctx := context.Background()
			for b.Loop() {
				if _, err := s.Render(ctx, it); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchFixture is a consultation of 200 suggestions, closed, with one
// item of each kind queued.
type benchFixture struct {
	clock *clocktest.Clock
	db    *ledger.DB
	items map[string]*ledger.OutboxItem
}

func newBenchFixture(b *testing.B) *benchFixture {
	b.Helper()
	ctx := context.Background()
	loc := loadVilnius(b)
	f := &benchFixture{clock: clocktest.New(time.Date(2026, 12, 1, 10, 0, 0, 0, loc)), items: map[string]*ledger.OutboxItem{}}
	f.db = openLedger(b, f.clock.Now)
	c := openConsultation(b, f.db, "strategija", "Strategijos keitimas",
		time.Date(2026, 11, 1, 0, 0, 0, 0, loc), time.Date(2026, 12, 14, 0, 0, 0, 0, loc))
	queueAcks(b, f.db, c, 200)
	f.clock.Set(time.Date(2027, 1, 8, 10, 0, 0, 0, loc))
	if _, err := f.db.SetConsultationStatus(ctx, c.Slug, ledger.StatusClosed, "bench", &ledger.OutboxItem{
		Kind: ledger.KindReport, DedupeKey: "report:strategija", Recipients: []string{"admin@vvg.example.lt"}}); err != nil {
		b.Fatal(err)
	}
	if _, err := EnqueueReminders(ctx, f.db, []string{"admin@vvg.example.lt"}, 5, f.clock.Now()); err != nil {
		b.Fatal(err)
	}
	if _, _, err := f.db.EnqueueDigest(ctx, "bench", []string{"valdyba@vvg.example.lt"}, f.clock.Now()); err != nil {
		b.Fatal(err)
	}
	for _, it := range listOutbox(b, f.db) {
		if f.items[it.Kind] == nil {
			f.items[it.Kind] = it
		}
	}
	for _, k := range []string{ledger.KindAck, ledger.KindDigest, ledger.KindReport, ledger.KindReminder} {
		if f.items[k] == nil {
			b.Fatalf("no %s item queued", k)
		}
	}
	return f
}
