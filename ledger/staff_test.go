package ledger

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

func addText(t *testing.T, db *DB, c *Consultation, text, email string, at time.Time) *Submission {
	t.Helper()
	s, err := db.AddSubmission(context.Background(), &NewSubmission{ConsultationID: c.ID, Source: SourceStaff,
		ReceivedAt: at, SenderName: "Ona Petraitienė", SenderEmail: email, Text: text,
		Class: Classification{Measure: "5", Confidence: 0.5, NeedsReview: true}, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, &testClock{clocktest.At(t, "2026-11-20T10:00:00Z")})
	c := newConsultation(t, db, "s")
	at := clocktest.At(t, "2026-11-20T09:00:00Z")
	a := addText(t, db, c, "Reikia daugiau savanorių talkoms", "ona@example.lt", at)
	b := addText(t, db, c, "Dviračių takas palei upę", "jonas@example.lt", at)
	for i := 0; i < 13; i++ {
		addText(t, db, c, "Kitas pasiūlymas", "x@example.lt", at)
	}
	fifteen := addText(t, db, c, "Penkioliktas", "y@example.lt", at)
	tests := []struct {
		name, q string
		want    []string
	}{
		{"word", "talkoms", []string{a.Ref}},
		{"two words, any order", "upę takas", []string{b.Ref}},
		{"sender name", "petraitienė", nil}, // every row has it; checked by count below
		{"sender address", "jonas@example.lt", []string{b.Ref}},
		{"reference in lower case", "vvg-2026-0002", []string{b.Ref}},
		{"reference by number", "16", []string{fifteen.Ref}},
		{"fts syntax is text", `"NEAR(`, []string{}},
		{"no match", "kompiuteris", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, n, err := db.ListSubmissions(ctx, Filter{Search: tc.q}, "ref", false, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if n != 16 {
					t.Errorf("got %d rows, want 16", n)
				}
				return
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.Ref)
			}
			if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) || n != len(tc.want) {
				t.Errorf("got %v (%d), want %v", got, n, tc.want)
			}
		})
	}
}

func TestWithdrawSplitMerge(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, &testClock{clocktest.At(t, "2026-11-20T10:00:00Z")})
	c := newConsultation(t, db, "s")
	at := clocktest.At(t, "2026-11-20T09:00:00Z")
	a := addText(t, db, c, "Pirmas. Antras.", "ona@example.lt", at)
	b := addText(t, db, c, "Reklama", "spam@example.lt", at)
	d := addText(t, db, c, "Pirmas.", "ona@example.lt", at)

	if _, err := db.Withdraw(ctx, b.Ref, "spam", "ona"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Withdraw(ctx, b.Ref, "spam", "ona"); !errors.Is(err, ErrState) {
		t.Errorf("second withdraw: got %v, want ErrState", err)
	}
	if _, err := db.Merge(ctx, d.Ref, a.Ref, "ona"); err != nil {
		t.Fatal(err)
	}
	parts, err := db.Split(ctx, a.Ref, []SplitPart{{Text: "Pirmas.", Class: Classification{Measure: "1.1"}},
		{Text: "Antras.", Class: Classification{Measure: "2.1", NeedsReview: true}}}, "ona")
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 2 || parts[0].Ref != a.Ref || parts[0].Text != "Pirmas." || parts[1].SplitFrom != a.Ref || parts[1].Measure != "2.1" {
		t.Fatalf("split: got %+v", parts)
	}
	tot, err := db.Totals(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tot.Total != 2 {
		t.Errorf("totals: got %d, want 2 (one withdrawn as spam, one merged, one split off)", tot.Total)
	}
	counts, _ := db.CountByMeasure(ctx, c.ID, 0, 0)
	if counts["5"] != 0 || counts["1.1"] != 1 || counts["2.1"] != 1 {
		t.Errorf("counts by measure: got %v", counts)
	}
	_, n, _ := db.ListSubmissions(ctx, Filter{Status: "withdrawn"}, "", false, 0, 10)
	if n != 2 {
		t.Errorf("withdrawn listed: got %d, want 2", n)
	}
	if got, _ := db.MergedFrom(ctx, a.ID); len(got) != 1 || got[0] != d.Ref {
		t.Errorf("merged from: got %v, want [%s]", got, d.Ref)
	}
	if err := db.AddNote(ctx, a.Ref, "Paskambinti", "ona"); err != nil {
		t.Fatal(err)
	}
	if ns, _ := db.Notes(ctx, a.ID); len(ns) != 1 || ns[0].Actor != "ona" {
		t.Errorf("notes: got %+v", ns)
	}
	if rows, _, _ := db.ListSubmissions(ctx, Filter{Search: "antras"}, "", false, 0, 10); len(rows) != 1 || rows[0].Ref != parts[1].Ref {
		t.Errorf("search after split: got %+v, want the new part", rows)
	}
	audit, _ := db.Audit(ctx, a.Ref, 0)
	if len(audit) < 3 {
		t.Errorf("audit of %s: got %d entries, want split, merged and note", a.Ref, len(audit))
	}
}

func TestEditConsultationRedates(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{clocktest.At(t, "2026-12-15T10:00:00Z")}
	db := openTest(t, clock)
	c := newConsultation(t, db, "s")
	late := addText(t, db, c, "Vėluojantis", "a@example.lt", clocktest.At(t, "2026-12-14T12:00:00+02:00"))
	if !late.Late {
		t.Fatal("want late before the extension")
	}
	if _, err := db.SetConsultationStatus(ctx, "s", StatusClosed, "test",
		&OutboxItem{Kind: KindReport, DedupeKey: "report:s", Recipients: []string{"staff@example.lt"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EditConsultation(ctx, "s", ConsultationEdit{Title: c.Title,
		ClosesAt: clocktest.At(t, "2026-12-21T00:00:00+02:00")}, "ona"); err != nil {
		t.Fatal(err)
	}
	s, _ := db.Submission(ctx, late.Ref)
	if s.Late {
		t.Errorf("after extending the deadline: still late")
	}
	if _, err := db.SetConsultationStatus(ctx, "s", StatusOpen, "ona"); err != nil {
		t.Fatal(err)
	}
	st, _ := db.OutboxStats(ctx)
	if st.Pending != 0 {
		t.Errorf("after re-opening: %d pending, want the closing report withdrawn", st.Pending)
	}
}

func TestLoginThrottle(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{clocktest.At(t, "2026-12-15T10:00:00Z")}
	db := openTest(t, clock)
	for i := 1; i <= 10; i++ {
		if until, _ := db.LoginLock(ctx, "user:a"); !until.IsZero() {
			t.Fatalf("attempt %d: locked, want allowed", i)
		}
		if err := db.LoginFailed(ctx, map[string]int{"user:a": 10}, 15*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if until, _ := db.LoginLock(ctx, "user:a"); !until.Equal(clock.t.Add(15 * time.Minute)) {
		t.Errorf("after 10 failures: locked until %v, want 15 minutes", until)
	}
	clock.t = clock.t.Add(16 * time.Minute)
	if until, _ := db.LoginLock(ctx, "user:a"); !until.IsZero() {
		t.Errorf("after the lock: still locked until %v", until)
	}
}
