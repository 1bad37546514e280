package ledger

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// publishedConsultation makes a consultation of n e-mail suggestions (one
// decided, each with an attachment) and one form suggestion, closes it
// and marks it published at published.
func publishedConsultation(t testing.TB, db *DB, clock *testClock, slug string, n int, published time.Time) *Consultation {
	t.Helper()
	ctx := context.Background()
	c := newConsultation(t, db, slug)
	for i := range n {
		addr := fmt.Sprintf("%s%d@example.lt", slug, i)
		in := inbound(c, uint32(1000*int(c.ID)+i+1), "From: "+addr+"\r\n\r\nraw "+slug, fmt.Sprintf("<%s.%d@x>", slug, i), addr, "Tekstas "+slug)
		in.Submission.SenderName = "Vardenis " + slug
		in.Submission.Class = Classification{Measure: []string{"1.1", "2.1"}[i%2], Confidence: 0.8}
		r := mustIngest(t, db, in)
		if i == 0 {
			if _, err := db.Decide(ctx, r.Ref, "partly", "Iš dalies", "rasa"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceForm, SenderEmail: "forma@example.lt",
		Text: "Per formą " + slug, Attachments: []NewAttachment{{Filename: "f.pdf", Data: []byte("%PDF " + slug)}}}); err != nil {
		t.Fatal(err)
	}
	markPublished(t, db, slug, published)
	return c
}

// markPublished closes a consultation and marks it published at when, as
// Publish does once everything is decided (the retention rules only
// read the status and the date).
func markPublished(t testing.TB, db *DB, slug string, when time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.SetConsultationStatus(ctx, slug, StatusClosed, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `UPDATE consultations SET status = 'published', published_at = ? WHERE slug = ?`,
		fmtTime(when), slug); err != nil {
		t.Fatal(err)
	}
}

func TestRetention(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	db := openTest(t, clock)
	published := time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)
	c := publishedConsultation(t, db, clock, "senoji", 4, published)
	// Mail in no consultation: an automatic reply that arrived when the
	// consultation was published (its clock is its own arrival).
	auto := inbound(c, 99, "From: robotas@example.lt\r\n\r\nAš atostogauju", "<auto@x>", "robotas@example.lt", "Atostogauju")
	auto.Disposition, auto.Submission, auto.ConsultationID, auto.Route, auto.Attachments = "auto-reply", nil, 0, "", nil
	auto.InternalDate = published
	mustIngest(t, db, auto)
	// Every suggestion in a theme named by its words (classify/similar's
	// grouping): the cases rule must be able to delete its members.
	var members []MemberRow
	for id := int64(1); id <= 5; id++ {
		members = append(members, MemberRow{Submission: id, Theme: 1})
	}
	if _, err := db.SaveGrouping(ctx, c.ID, 0, GroupingChange{Next: 2, Members: members,
		Themes: []ThemeRow{{ID: 1, Measure: "1.1", Words: []string{"vardenis", "senoji"}}}}); err != nil {
		t.Fatal(err)
	}
	before, _ := db.CountByMeasure(ctx, c.ID, 0, 0)
	rules := RetentionRules{RawMail: 6, Personal: 12, Cases: 36, Mailbox: true}

	tests := []struct {
		name  string
		at    time.Time
		steps []string // subjects due
	}{
		{"before six months", published.AddDate(0, 6, -1), nil},
		{"raw mail after six months", published.AddDate(0, 6, 1), []string{"senoji: raw-mail", "(no consultation): raw-mail"}},
		{"personal data after a year, and the mail in no consultation", published.AddDate(1, 0, 1),
			[]string{"senoji: personal", "(no consultation): personal"}},
		{"nothing left until the cases' three years", published.AddDate(2, 0, 0), nil},
		{"the cases after three years", published.AddDate(3, 0, 1), []string{"senoji: cases"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock.t = tt.at
			due, err := db.RetentionDue(ctx, rules, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, st := range due {
				got = append(got, st.Subject())
			}
			if strings.Join(got, ", ") != strings.Join(tt.steps, ", ") {
				t.Fatalf("due = %v, want %v", got, tt.steps)
			}
			done, err := db.ApplyRetention(ctx, rules, nil)
			if err != nil || len(done) != len(tt.steps) {
				t.Fatalf("applied %+v, %v", done, err)
			}
			if again, _ := db.RetentionDue(ctx, rules, tt.at); len(again) != 0 {
				t.Errorf("after applying, still due: %+v", again)
			}
			for _, st := range done {
				e, err := db.ErasureByID(ctx, st.Erasure)
				if err != nil || e.Kind != ErasureRetention || e.Subject != st.Subject() || e.Counts != st.Counts {
					t.Errorf("erasure of %s = %+v, %v", st.Subject(), e, err)
				}
			}
		})
		switch tt.name {
		case "raw mail after six months":
			s, _ := db.Submission(ctx, "VVG-2026-0001")
			m, _ := db.MessageByID(ctx, s.MessageRows[0])
			if !m.RawErased || s.SenderEmail == "" || s.Attachments[0].SHA256 != "" || s.Attachments[0].Filename == "" {
				t.Errorf("after the raw rule: message %+v, case %+v", m, s)
			}
		case "personal data after a year, and the mail in no consultation":
			after, _ := db.CountByMeasure(ctx, c.ID, 0, 0)
			s, _ := db.Submission(ctx, "VVG-2026-0001")
			if fmt.Sprint(after) != fmt.Sprint(before) || s.ErasedAt.IsZero() || s.SenderEmail != "" || s.Decision != "partly" {
				t.Errorf("after the personal rule: counts %v → %v, case %+v", before, after, s)
			}
			if st, err := db.ThemeState(ctx, c.ID); err != nil || len(st.Themes) != 1 || len(st.Themes[0].Words) != 0 || len(st.Members) != 5 {
				t.Errorf("after the personal rule the theme keeps its members and forgets its words: %+v, %v", st, err)
			}
			if p, err := db.FindPerson(ctx, "robotas@example.lt"); err != nil || len(p.Records) != 0 {
				t.Errorf("the automatic reply is still found: %+v", p)
			}
		case "the cases after three years":
			if n, _ := db.CountByMeasure(ctx, c.ID, 0, 0); len(n) != 0 {
				t.Errorf("after the cases rule: %v", n)
			}
			if _, err := db.Submission(ctx, "VVG-2026-0001"); err == nil {
				t.Errorf("a case is left after the cases rule")
			}
			if st, err := db.ThemeState(ctx, c.ID); err != nil || len(st.Themes)+len(st.Members) != 0 {
				t.Errorf("after the cases rule themes are left: %+v, %v", st, err)
			}
		}
	}
	es, err := db.ErasuresBetween(ctx, published, published.AddDate(10, 0, 0))
	if err != nil || len(es) != 5 {
		t.Errorf("erasures = %d, %v; want 5", len(es), err)
	}
	if es, _ := db.Audit(ctx, "senoji: personal", 0); len(es) != 1 || es[0].Action != "retention.purge" {
		t.Errorf("audit of the personal rule: %+v", es)
	}
}
