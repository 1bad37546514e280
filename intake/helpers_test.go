package intake

import (
	"context"
	"crypto/sha256"
	"fmt"
	"mime"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/ledger"
)

// ourMailbox is the VVG's address in these tests.
const ourMailbox = "vvg@example.lt"

// testMeasures are the Aleksotas strategy's measure codes with short titles.
func testMeasures() []classify.Measure {
	return []classify.Measure{
		{Code: "1.1", Title: "Socialinės paslaugos"}, {Code: "1.2", Title: "Informavimas apie paslaugas"},
		{Code: "2.1", Title: "Mokymai ir kvalifikacija"}, {Code: "2.2", Title: "Įdarbinimas ir tarpininkavimas"},
		{Code: "3", Title: "Verslumas"}, {Code: "4", Title: "Bendradarbiavimas"},
		{Code: "5", Title: "Savanorystė"}, {Code: "other", Title: "Kita"},
	}
}

// newTestLedger opens a fresh ledger in the test's temporary directory,
// closed when the test ends.
func newTestLedger(t testing.TB) *ledger.DB {
	t.Helper()
	db, err := ledger.Open(context.Background(), filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{RefPrefix: "VVG", MessageIDDomain: "example.lt"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// aleksotasModel is the Aleksotas classifier trained once per test
// binary: seconds under -race, which a test each would pay again.
var aleksotasModel struct {
	once sync.Once
	clf  *classify.Classifier
	err  error
}

// newAleksotas returns a classifier of the Aleksotas strategy trained on
// its shipped examples: a clone of aleksotasModel, so that what one test
// learns or retrains stays in it.
func newAleksotas(t testing.TB) *classify.Classifier {
	t.Helper()
	aleksotasModel.once.Do(func() {
		ex, err := classify.ShippedExamples("aleksotas")
		if err != nil {
			aleksotasModel.err = err
			return
		}
		aleksotasModel.clf, aleksotasModel.err = classify.New(testMeasures(), ex, classify.Options{})
	})
	if aleksotasModel.err != nil {
		t.Fatal(aleksotasModel.err)
	}
	return aleksotasModel.clf.Clone()
}

// newTestPipeline returns a pipeline on a fresh ledger with the shipped
// examples, acknowledging by default; change opts to vary the rules.
func newTestPipeline(t testing.TB, change func(*Options)) (*Pipeline, *ledger.DB) {
	t.Helper()
	db := newTestLedger(t)
	clf := newAleksotas(t)
	opt := Options{Mailbox: ourMailbox, MessageIDDomain: "example.lt", LateWindow: 30 * 24 * time.Hour,
		Acknowledge: true, MaxAcksPerSenderPerDay: 3}
	if change != nil {
		change(&opt)
	}
	return New(db, OneStrategy(clf), opt), db
}

// addConsultation records an open consultation with the given window.
func addConsultation(t testing.TB, db *ledger.DB, slug string, opens, closes time.Time, keywords ...string) *ledger.Consultation {
	t.Helper()
	ctx := context.Background()
	c := &ledger.Consultation{Slug: slug, Title: "Konsultacija " + slug, OpensAt: opens, ClosesAt: closes, SubjectKeywords: keywords}
	if _, err := db.SyncConsultation(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := db.Consultation(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// mail is a resident's message; header lines in extra come first and
// override nothing (add To/Reply-To/In-Reply-To there).
type testMail struct {
	from, to, subject, body string
	extra                   []string
}

func (m testMail) raw() []byte {
	to := m.to
	if to == "" {
		to = ourMailbox
	}
	var b strings.Builder
	for _, h := range m.extra {
		b.WriteString(h + "\r\n")
	}
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%.16x@example.net>\r\nDate: Fri, 20 Nov 2026 11:00:00 +0200\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", m.from, to, mime.QEncoding.Encode("utf-8", m.subject), sha256.Sum256([]byte(m.from+m.subject+m.body)), m.body)
	return []byte(b.String())
}

func setStatus(t testing.TB, db *ledger.DB, slug, status string) {
	t.Helper()
	if _, err := db.SetConsultationStatus(context.Background(), slug, status, "test"); err != nil {
		t.Fatal(err)
	}
}
