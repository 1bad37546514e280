package notify

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/mail"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/internal/looptest"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/notifytest"
)

// testMeasures are the VVG strategy measures the sender tests configure.
var testMeasures = []MeasureInfo{
	{"1.1", "Ūkio ir verslo plėtra", "Farm and business development"},
	{"1.2", "Socialinis verslas", "Social business"},
	{"2.1", "Bendruomenių iniciatyvos", "Community initiatives"},
	{"2.2", "Jaunimo užimtumas", "Youth activities"},
	{"3", "Kultūros paveldas", "Cultural heritage"},
	{"4", "Infrastruktūra", "Infrastructure"},
	{"5", "Bendradarbiavimas", "Cooperation"},
	{"other", "Kita", "Other"},
}

// openLedger opens a fresh ledger file in t.TempDir() on clock now.
func openLedger(t testing.TB, now func() time.Time) *ledger.DB {
	t.Helper()
	db, err := ledger.Open(context.Background(), filepath.Join(t.TempDir(), "ledger.db"),
		ledger.Options{RefPrefix: "VVG", ResponseDays: 20, MessageIDDomain: "vvg.example.lt", Location: loadVilnius(t), Now: now})
	if err != nil {
		t.Fatalf("open ledger: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openConsultation creates a consultation and opens it.
func openConsultation(t testing.TB, db *ledger.DB, slug, title string, opens, closes time.Time) *ledger.Consultation {
	t.Helper()
	ctx := context.Background()
	c := &ledger.Consultation{Slug: slug, Title: title, OpensAt: opens, ClosesAt: closes}
	if err := db.CreateConsultation(ctx, c, "test"); err != nil {
		t.Fatalf("create consultation %s: %v", slug, err)
	}
	if _, err := db.SetConsultationStatus(ctx, slug, ledger.StatusOpen, "test"); err != nil {
		t.Fatalf("open consultation %s: %v", slug, err)
	}
	return c
}

// queueAcks records n form submissions to c, each with its
// acknowledgement queued, and returns the outbox items in queue order.
func queueAcks(t testing.TB, db *ledger.DB, c *ledger.Consultation, n int) []*ledger.OutboxItem {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		to := fmt.Sprintf("gyventojas%02d@example.lt", i+1)
		_, err := db.AddSubmission(ctx, &ledger.NewSubmission{
			ConsultationID: c.ID, Source: ledger.SourceForm, SenderName: fmt.Sprintf("Gyventojas %d", i+1),
			SenderEmail: to, Text: fmt.Sprintf("Pasiūlymas nr. %d: sutvarkyti šaligatvį.", i+1),
			Class: ledger.Classification{Measure: "4", Confidence: 0.9}, Ack: &ledger.AckRequest{To: to},
		})
		if err != nil {
			t.Fatalf("add submission %d: %v", i+1, err)
		}
	}
	return listOutbox(t, db)
}

// listOutbox returns every outbox item, oldest first.
func listOutbox(t testing.TB, db *ledger.DB) []*ledger.OutboxItem {
	t.Helper()
	items, err := db.ListOutbox(context.Background(), "", 0)
	if err != nil {
		t.Fatalf("list outbox: %v", err)
	}
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
	return items
}

// countingMailer passes messages to next and records when each attempt
// started and whether it succeeded.
type countingMailer struct {
	next interface {
		Send(context.Context, *gomail.Msg) error
	}
	mu    sync.Mutex
	times []time.Time
	errs  []error
}

func (m *countingMailer) Send(ctx context.Context, msg *gomail.Msg) error {
	start := time.Now()
	err := m.next.Send(ctx, msg)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.times = append(m.times, start)
	m.errs = append(m.errs, err)
	return err
}

// attempts returns the start times and results recorded so far.
func (m *countingMailer) attempts() ([]time.Time, []error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]time.Time(nil), m.times...), append([]error(nil), m.errs...)
}

// mailerTo returns a plaintext Mailer for a loopback test server.
func mailerTo(t testing.TB, addr string, opt SMTPOptions) *Mailer {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("split %q: %v", addr, err)
	}
	opt.Host = host
	opt.Port, _ = strconv.Atoi(port)
	opt.TLS, opt.AllowInsecure = TLSNone, true
	if opt.Timeout == 0 {
		opt.Timeout = 5 * time.Second
	}
	m, err := NewMailer(opt)
	if err != nil {
		t.Fatalf("NewMailer: %v", err)
	}
	return m
}

// newCapture starts a Capture server on addr and closes it at the end.
func newCapture(t testing.TB, addr string) *notifytest.Capture {
	t.Helper()
	c, err := notifytest.NewCapture(addr)
	if err != nil {
		t.Fatalf("NewCapture: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// newTestSender builds a Sender on db with the test organisation; edit
// adjusts the options first.
func newTestSender(t testing.TB, db *ledger.DB, m interface {
	Send(context.Context, *gomail.Msg) error
}, edit func(*SenderOptions)) *Sender {
	t.Helper()
	opt := SenderOptions{
		DB: db, Mailer: m, Templates: defaultTemplates(t), Org: testOrg(), Loc: loadVilnius(t),
		Lang: "lt", AckLang: "auto", Measures: testMeasures,
		To: Recipients{Board: []string{"Valdyba <valdyba@vvg.example.lt>"}, Staff: []string{"admin@vvg.example.lt"}},
	}
	if edit != nil {
		edit(&opt)
	}
	s, err := NewSender(opt)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	return s
}

// startRun runs s.Run in the background; the returned stop cancels it and
// checks that it returned nil.
func startRun(t testing.TB, s *Sender) (stop func()) {
	t.Helper()
	return looptest.Start(t, s.Run)
}

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		case <-tick.C:
		}
	}
}

// outboxStats reads the ledger's outbox counts.
func outboxStats(t testing.TB, db *ledger.DB) ledger.OutboxStats {
	t.Helper()
	st, err := db.OutboxStats(context.Background())
	if err != nil {
		t.Fatalf("outbox stats: %v", err)
	}
	return st
}

// messageID reads the Message-ID (without <>) of a raw message.
func messageID(t testing.TB, raw []byte) string {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read captured message: %v", err)
	}
	id := m.Header.Get("Message-Id")
	if len(id) > 1 && id[0] == '<' && id[len(id)-1] == '>' {
		id = id[1 : len(id)-1]
	}
	return id
}

// item reads one outbox item back.
func item(t testing.TB, db *ledger.DB, id int64) *ledger.OutboxItem {
	t.Helper()
	it, err := db.OutboxItemByID(context.Background(), id)
	if err != nil {
		t.Fatalf("read outbox item %d: %v", id, err)
	}
	return it
}

// resultCounter records OnResult calls.
type resultCounter struct {
	mu   sync.Mutex
	ok   map[string]int
	fail map[string]int
}

func (r *resultCounter) add(kind string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ok == nil {
		r.ok, r.fail = map[string]int{}, map[string]int{}
	}
	if ok {
		r.ok[kind]++
	} else {
		r.fail[kind]++
	}
}

func (r *resultCounter) get(kind string) (ok, failed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ok[kind], r.fail[kind]
}

// nopMailer accepts everything and sends nothing, for render tests.
type nopMailer struct{}

func (nopMailer) Send(context.Context, *gomail.Msg) error { return nil }
