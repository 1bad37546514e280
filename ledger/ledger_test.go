package ledger

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

// testClock is an adjustable clock for tests.
type testClock struct{ t time.Time }

func (c *testClock) Now() time.Time { return c.t }

func openTest(t testing.TB, clock *testClock) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	opt := Options{RefPrefix: "VVG", ResponseDays: 20, MessageIDDomain: "vvg.test"}
	if clock != nil {
		opt.Now = clock.Now
	}
	db, err := Open(context.Background(), path, opt)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// addStaff adds a suggestion taken by staff to c and returns its
// reference: for the tests that need cases to exist, whatever they say.
func addStaff(t testing.TB, db *DB, c *Consultation) string {
	t.Helper()
	s, err := db.AddSubmission(context.Background(), &NewSubmission{ConsultationID: c.ID, Source: SourceStaff, Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return s.Ref
}

// newConsultation creates and opens a consultation running to the end of
// 2026-12-13 in Vilnius (22:00 UTC).
func newConsultation(t testing.TB, db *DB, slug string) *Consultation {
	t.Helper()
	ctx := context.Background()
	c := &Consultation{
		Slug: slug, Title: "Strategijos keitimas",
		OpensAt:  clocktest.At(t, "2026-11-01T00:00:00+02:00"),
		ClosesAt: clocktest.At(t, "2026-12-14T00:00:00+02:00"),
	}
	if err := db.CreateConsultation(ctx, c, "test"); err != nil {
		t.Fatalf("create consultation: %v", err)
	}
	if _, err := db.SetConsultationStatus(ctx, slug, StatusOpen, "test"); err != nil {
		t.Fatalf("open consultation: %v", err)
	}
	return c
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, "PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, path, Options{})
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("open newer database: got %v, want ErrNewerSchema", err)
	}
}

func TestOpenCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	if err := writeFile(path, []byte("this is not a database, it is a shopping list\n")); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path, Options{})
	if err == nil {
		t.Fatal("open corrupt file: got nil error")
	}
}

func TestSchemaVersion(t *testing.T) {
	db := openTest(t, nil)
	v, err := db.Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v != SchemaVersion() || v < 1 {
		t.Errorf("version = %d, want %d", v, SchemaVersion())
	}
}

func TestConsultationLifecycle(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := &Consultation{Slug: "strategija-2026", Title: "Strategija",
		OpensAt: clocktest.At(t, "2026-11-01T00:00:00+02:00"), ClosesAt: clocktest.At(t, "2026-12-14T00:00:00+02:00")}
	if err := db.CreateConsultation(ctx, c, "staff"); err != nil {
		t.Fatal(err)
	}
	if got, want := c.ResponseDue.Format("2006-01-02"), "2027-01-13"; got != want {
		t.Errorf("response due = %s, want %s", got, want)
	}
	if err := db.CreateConsultation(ctx, c, "staff"); !errors.Is(err, ErrConflict) {
		t.Errorf("create twice: got %v, want ErrConflict", err)
	}
	// Closed with every suggestion decided is decided at once; a
	// suggestion without a decision joining it makes it closed again;
	// published comes only from Publish.
	var subs []*Submission
	addOne := func() {
		s, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceStaff, Text: "pasiūlymas", Actor: "staff"})
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, s)
	}
	decideLast := func() {
		if _, err := db.Decide(ctx, subs[len(subs)-1].Ref, "accepted", "tinka", "staff"); err != nil {
			t.Fatal(err)
		}
	}
	set := func(status string) func() error {
		return func() error { _, err := db.SetConsultationStatus(ctx, c.Slug, status, "staff"); return err }
	}
	steps := []struct {
		name    string
		do      func() error
		wantErr error
		want    string
	}{
		{"close a draft", set(StatusClosed), ErrState, StatusDraft},
		{"open", set(StatusOpen), nil, StatusOpen},
		{"publish by hand", set(StatusPublished), ErrState, StatusOpen},
		{"add one, undecided", func() error { addOne(); return nil }, nil, StatusOpen},
		{"close with one undecided", set(StatusClosed), nil, StatusClosed},
		{"decide it", func() error { decideLast(); return nil }, nil, StatusDecided},
		{"decided by hand", set(StatusDecided), ErrState, StatusDecided},
		{"reopen", set(StatusOpen), nil, StatusOpen},
		{"close with all decided", set(StatusClosed), nil, StatusDecided},
		{"a late one joins", func() error { addOne(); return nil }, nil, StatusClosed},
		{"withdraw it", func() error { _, err := db.Withdraw(ctx, subs[1].Ref, "spam", "staff"); return err }, nil, StatusDecided},
		{"reinstate it", func() error { _, err := db.Reinstate(ctx, subs[1].Ref, "staff"); return err }, nil, StatusClosed},
		{"decide it too", func() error { decideLast(); return nil }, nil, StatusDecided},
	}
	for _, s := range steps {
		err := s.do()
		if !errors.Is(err, s.wantErr) {
			t.Errorf("%s: got %v, want %v", s.name, err, s.wantErr)
		}
		if got, _ := db.Consultation(ctx, c.Slug); got.Status != s.want {
			t.Errorf("after %s: status %s, want %s", s.name, got.Status, s.want)
		}
	}
	if _, err := db.SetConsultationStatus(ctx, "nera", StatusOpen, "staff"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown slug: got %v, want ErrNotFound", err)
	}
	bad := []*Consultation{
		{Slug: "Bad Slug", Title: "x", OpensAt: c.OpensAt, ClosesAt: c.ClosesAt},
		{Slug: "no-title", Title: " ", OpensAt: c.OpensAt, ClosesAt: c.ClosesAt},
		{Slug: "backwards", Title: "x", OpensAt: c.ClosesAt, ClosesAt: c.OpensAt},
	}
	for _, b := range bad {
		if err := db.CreateConsultation(ctx, b, "staff"); err == nil {
			t.Errorf("create %q: got nil error", b.Slug)
		}
	}
	log, err := db.Audit(ctx, c.Slug, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string // oldest first
	for _, e := range log {
		actions = append([]string{e.Action}, actions...)
	}
	want := "consultation.create consultation.open consultation.closed consultation.decided consultation.open " +
		"consultation.closed consultation.decided consultation.closed consultation.decided consultation.closed consultation.decided"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit = %s\nwant %s", got, want)
	}
}

func TestRefsGaplessPerYear(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: clocktest.At(t, "2026-12-31T21:00:00Z")} // 23:00 in Vilnius
	db := openTest(t, clock)
	c := newConsultation(t, db, "s")
	// A failing submission inside a transaction must give its number back.
	_, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: "fax", Text: "x"})
	if err == nil {
		t.Fatal("bad source: got nil error")
	}
	got := []string{addStaff(t, db, c), addStaff(t, db, c)}
	clock.t = clocktest.At(t, "2026-12-31T22:00:01Z") // 00:00:01 on 1 January in Vilnius
	got = append(got, addStaff(t, db, c), addStaff(t, db, c))
	want := []string{"VVG-2026-0001", "VVG-2026-0002", "VVG-2027-0001", "VVG-2027-0002"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ref %d = %s, want %s", i, got[i], want[i])
		}
	}
}

func TestLateAndDeadlines(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	tests := []struct {
		name     string
		received string
		late     bool
		due      string
	}{
		{"last minute in Vilnius", "2026-12-13T23:59:59+02:00", false, "2027-01-13"},
		{"first second after", "2026-12-14T00:00:00+02:00", true, "2027-01-14"},
		{"a week late", "2026-12-21T10:00:00+02:00", true, "2027-01-21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceStaff,
				ReceivedAt: clocktest.At(t, tt.received), Text: "pasiūlymas"})
			if err != nil {
				t.Fatal(err)
			}
			if s.Late != tt.late {
				t.Errorf("late = %v, want %v", s.Late, tt.late)
			}
			if got := s.ResponseDue.Format("2006-01-02"); got != tt.due {
				t.Errorf("response due = %s, want %s", got, tt.due)
			}
		})
	}
}

func TestSetMeasureAndDecide(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	s, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceEmail, Text: "kursai",
		Class: Classification{Measure: "2.2", Confidence: 0.4, NeedsReview: true}})
	if err != nil {
		t.Fatal(err)
	}
	s, err = db.SetMeasure(ctx, s.Ref, "2.1", "ona")
	if err != nil {
		t.Fatal(err)
	}
	if s.Measure != "2.1" || s.NeedsReview || s.Status != "reviewed" {
		t.Errorf("after set-measure: measure %s needs_review %v status %s", s.Measure, s.NeedsReview, s.Status)
	}
	corr, err := db.Corrections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(corr) != 1 || corr[0].Measure != "2.1" || corr[0].Text != "kursai" {
		t.Errorf("corrections = %+v", corr)
	}
	hist, _ := db.History(ctx, s.ID)
	if len(hist) != 2 || hist[0].Source != "auto" || hist[1].Source != "staff" {
		t.Errorf("history = %+v", hist)
	}
	if _, err := db.Decide(ctx, s.Ref, "maybe", "x", "ona"); err == nil {
		t.Error("decide maybe: got nil error")
	}
	if _, err := db.Decide(ctx, s.Ref, "accepted", "", "ona"); err == nil {
		t.Error("decide without reason: got nil error")
	}
	if _, err := db.Decide(ctx, "VVG-2026-9999", "accepted", "ok", "ona"); !errors.Is(err, ErrNotFound) {
		t.Errorf("decide unknown ref: got %v, want ErrNotFound", err)
	}
	s, err = db.Decide(ctx, s.Ref, "partly", "Įtraukta į 2.1 veiksmą", "ona")
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != "decided" || s.Decision != "partly" || s.DecidedAt.IsZero() {
		t.Errorf("after decide: %+v", s)
	}
	if _, err := db.SetMeasure(ctx, "VVG-2026-9999", "1.1", "ona"); !errors.Is(err, ErrNotFound) {
		t.Errorf("set-measure unknown ref: got %v, want ErrNotFound", err)
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	addStaff(t, db, c)
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, path); !errors.Is(err, ErrConflict) {
		t.Errorf("backup over an existing file: got %v, want ErrConflict", err)
	}
	cp, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if _, err := cp.Submission(ctx, "VVG-2026-0001"); err != nil {
		t.Errorf("submission in the copy: %v", err)
	}
}

// TestPageSize: a new ledger gets pageSize pages in WAL mode (the driver
// must apply the page size before the journal mode writes the header); a
// ledger created with SQLite's 4 KiB default keeps them and works on.
func TestPageSize(t *testing.T) {
	ctx := context.Background()
	pragmas := func(db *DB) (size int, mode string) {
		t.Helper()
		if err := db.w.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
			t.Fatal(err)
		}
		if err := db.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		return size, mode
	}
	if size, mode := pragmas(openTest(t, nil)); size != pageSize || mode != "wal" {
		t.Errorf("new ledger: page size %d, journal mode %s; want %d, wal", size, mode, pageSize)
	}

	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", "file:"+path+"?_pragma=page_size(4096)&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.ExecContext(ctx, "CREATE TABLE before (x)"); err != nil {
		t.Fatal(err)
	}
	old.Close()
	db, err := Open(ctx, path, Options{RefPrefix: "VVG", ResponseDays: 20, MessageIDDomain: "vvg.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if size, mode := pragmas(db); size != 4096 || mode != "wal" {
		t.Errorf("ledger created with 4 KiB pages: page size %d, journal mode %s; want 4096, wal", size, mode)
	}
	c := newConsultation(t, db, "s")
	if res, err := db.Ingest(ctx, inbound(c, 1, "raw-1", "a@x", "ona@example.lt", "Siūlau dienos centrą")); err != nil || res.Ref == "" {
		t.Errorf("ingest into a 4 KiB-page ledger = %+v, %v", res, err)
	}
}
