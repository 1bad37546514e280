package ledger

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func addSigned(t *testing.T, db *DB, c *Consultation, text, measure string) *Submission {
	t.Helper()
	s, err := db.AddSubmission(context.Background(), &NewSubmission{ConsultationID: c.ID, Source: SourceStaff, Text: text,
		SenderEmail: "gyventojas@example.lt", Class: Classification{Measure: measure, Confidence: 1}, Signature: []byte{1, 0}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGroupingRevision: a write of the grouping names the revision it was
// worked out from; the changes made outside it (refiling, withdrawing,
// reinstating, a new text) move the revision, a new suggestion does not,
// and a new text is signed and grouped again.
func TestGroupingRevision(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "strategija")
	a := addSigned(t, db, c, "Dienos centras senjorams.", "1.1")
	b := addSigned(t, db, c, "Dienos centras senjorams!", "1.1")
	rev := func() int64 {
		t.Helper()
		r, _, err := db.GroupingHead(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r0 := rev()
	ch := GroupingChange{
		Signed:  []Signed{{ID: a.ID, Root: a.ID}, {ID: b.ID, Root: a.ID}},
		Themes:  []ThemeRow{{ID: 1, Measure: "1.1", Words: []string{"dienos", "centras"}}},
		Members: []MemberRow{{Submission: a.ID, Theme: 1}, {Submission: b.ID, Theme: 1}},
		Next:    2,
	}
	r1, err := db.SaveGrouping(ctx, c.ID, r0, ch)
	if err != nil {
		t.Fatal(err)
	}
	if r1 != r0+1 || rev() != r1 {
		t.Fatalf("revision %d after a write from %d (ledger says %d)", r1, r0, rev())
	}
	if _, err := db.SaveGrouping(ctx, c.ID, r0, GroupingChange{Next: 3}); !errors.Is(err, ErrStale) {
		t.Errorf("write from an old revision: %v, want ErrStale", err)
	}
	addSigned(t, db, c, "Kita tema.", "3")
	if rev() != r1 {
		t.Errorf("a new suggestion moved the revision")
	}
	themes, err := db.Themes(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(themes) != 1 || themes[0].Count != 2 || themes[0].Distinct != 1 || themes[0].Label != "dienos, centras" || themes[0].Named {
		t.Errorf("themes = %+v", themes)
	}
	for _, step := range []struct {
		name string
		do   func() error
	}{
		{"refile", func() error { _, err := db.SetMeasure(ctx, b.Ref, "5", "ona"); return err }},
		{"refile to the same measure", nil},
		{"withdraw", func() error { _, err := db.Withdraw(ctx, b.Ref, "spam", "ona"); return err }},
		{"reinstate", func() error { _, err := db.Reinstate(ctx, b.Ref, "ona"); return err }},
		{"split", func() error {
			_, err := db.Split(ctx, a.Ref, []SplitPart{{Text: "Dienos centras."}, {Text: "Ir pietūs."}}, "ona")
			return err
		}},
	} {
		before := rev()
		if step.do == nil {
			if _, err := db.SetMeasure(ctx, b.Ref, "5", "ona"); err != nil {
				t.Fatal(err)
			}
			if rev() != before {
				t.Errorf("%s moved the revision", step.name)
			}
			continue
		}
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if rev() == before {
			t.Errorf("%s did not move the revision", step.name)
		}
	}
	var rows []GroupingRow
	if err := db.GroupingRows(ctx, c.ID, 0, func(r GroupingRow) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if rows[0].ID != a.ID || rows[0].Root != 0 || rows[0].Signature != nil {
		t.Errorf("split letter: root %d, signature %v; want both cleared", rows[0].Root, rows[0].Signature)
	}
	if rows[1].Root != a.ID || rows[1].Signature == nil {
		t.Errorf("untouched copy: root %d, signature %v; want kept", rows[1].Root, rows[1].Signature)
	}
}

// TestDecideGroupStale: a group decided from a list made before one of
// its members left it is refused whole.
func TestDecideGroupStale(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "strategija")
	a := addSigned(t, db, c, "Dienos centras.", "1.1")
	b := addSigned(t, db, c, "Dienos centras!", "1.1")
	rev, _, _ := db.GroupingHead(ctx, c.ID)
	if _, err := db.SaveGrouping(ctx, c.ID, rev, GroupingChange{Signed: []Signed{{ID: a.ID, Root: a.ID}, {ID: b.ID, Root: b.ID}}}); err != nil {
		t.Fatal(err)
	}
	_, err := db.DecideGroup(ctx, a.ID, []GroupAnswer{{SubmissionID: a.ID}, {SubmissionID: b.ID}}, "accepted", "Taip.", "ona")
	if !errors.Is(err, ErrStale) {
		t.Errorf("decide a member no longer in the group: %v, want ErrStale", err)
	}
	if s, _ := db.Submission(ctx, a.Ref); s.Decision != "" {
		t.Errorf("%s decided by a refused call", a.Ref)
	}
	refs, err := db.DecideGroup(ctx, a.ID, []GroupAnswer{{SubmissionID: a.ID}}, "atmesta", "Ne.", "ona")
	if err != nil || !slices.Equal(refs, []string{a.Ref}) {
		t.Errorf("decide the root alone: %v, %v", refs, err)
	}
}
