package ledger

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

// TestLookupRef: staff type references as they read them — in any case,
// with a mobile keyboard's dashes, without the prefix, or by the number
// alone — and a number two years share is refused with both named.
func TestLookupRef(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: clocktest.At(t, "2026-12-01T10:00:00+02:00")}
	db := openTest(t, clock)
	c := newConsultation(t, db, "s")
	for range 15 {
		addStaff(t, db, c)
	}
	addStaff(t, db, c) // VVG-2026-0016
	clock.t = clocktest.At(t, "2027-01-05T10:00:00+02:00")
	addStaff(t, db, c) // VVG-2027-0001
	tests := []struct {
		typed, want string
		err         error
	}{
		{"VVG-2026-0015", "VVG-2026-0015", nil},
		{"vvg-2026-0015", "VVG-2026-0015", nil},
		{" Vvg–2026–15 ", "VVG-2026-0015", nil},
		{"VVG 2026 15", "VVG-2026-0015", nil},
		{"2026-15", "VVG-2026-0015", nil},
		{"15", "VVG-2026-0015", nil},
		{"0015", "VVG-2026-0015", nil},
		{"16", "VVG-2026-0016", nil},
		{"1", "", ErrInvalid},   // 2026 and 2027 both have a first
		{"99", "", ErrNotFound}, // no such number
		{"VVG-2026-0099", "", ErrNotFound},
		{"pasiūlymas", "", ErrInvalid},
		{"-3", "", ErrInvalid},
		{"", "", ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			s, err := db.Submission(ctx, tt.typed)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("got %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || s.Ref != tt.want {
				t.Fatalf("got %v, %v; want %s", s, err, tt.want)
			}
		})
	}
	_, err := db.Submission(ctx, "1")
	if err == nil || !strings.Contains(err.Error(), "VVG-2026-0001") || !strings.Contains(err.Error(), "VVG-2027-0001") {
		t.Errorf("an ambiguous number: %v, want both references named", err)
	}
}

// TestDecisionWords: the words staff use in Lithuanian protocols are
// decisions too, with or without Lithuanian letters.
func TestDecisionWords(t *testing.T) {
	for word, want := range map[string]string{
		"accepted": "accepted", "Pritarta": "accepted", "priimta": "accepted",
		"partly": "partly", "iš dalies": "partly", "Is dalies": "partly", "IŠ  DALIES": "partly", "dalinai": "partly",
		"rejected": "rejected", "atmesta": "rejected", "Nepritarta": "rejected",
		"atsižvelgta": "accepted", "iš dalies atsižvelgta": "partly", "Neatsižvelgta": "rejected", "neatsizvelgta": "rejected",
	} {
		if got, err := ParseDecision(word); err != nil || got != want {
			t.Errorf("ParseDecision(%q) = %q, %v; want %q", word, got, err, want)
		}
	}
	for _, word := range []string{"maybe", "", "gal"} {
		if _, err := ParseDecision(word); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseDecision(%q) = %v, want ErrInvalid", word, err)
		}
	}
}

// TestDecisionHistory: a decision that replaces another keeps both, with
// who made each; deciding clears the needs-review flag.
func TestDecisionHistory(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: clocktest.At(t, "2026-12-20T10:00:00+02:00")}
	db := openTest(t, clock)
	c := newConsultation(t, db, "s")
	s, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceEmail, Text: "kursai",
		Class: Classification{Measure: "2.2", Confidence: 0.4, NeedsReview: true}})
	if err != nil {
		t.Fatal(err)
	}
	if s, err = db.Decide(ctx, "1", "atmesta", "Ne strategijos tema", "ona"); err != nil {
		t.Fatal(err)
	}
	if s.NeedsReview || s.Decision != "rejected" || len(s.Decisions) != 1 {
		t.Errorf("after the first decision: needs_review %v, decision %s, history %+v", s.NeedsReview, s.Decision, s.Decisions)
	}
	clock.t = clock.t.Add(48 * time.Hour)
	if s, err = db.Decide(ctx, strings.ToLower(s.Ref), "iš dalies", "Valdyba persvarstė", "jonas"); err != nil {
		t.Fatal(err)
	}
	if s.Decision != "partly" || s.DecisionReason != "Valdyba persvarstė" {
		t.Errorf("current decision = %s %q, want the second", s.Decision, s.DecisionReason)
	}
	want := []DecisionEntry{{"rejected", "Ne strategijos tema", "ona", clocktest.At(t, "2026-12-20T08:00:00Z")},
		{"partly", "Valdyba persvarstė", "jonas", clocktest.At(t, "2026-12-22T08:00:00Z")}}
	if len(s.Decisions) != len(want) {
		t.Fatalf("history = %+v, want %+v", s.Decisions, want)
	}
	for i, w := range want {
		g := s.Decisions[i]
		if g.Decision != w.Decision || g.Reason != w.Reason || g.Actor != w.Actor || !g.CreatedAt.Equal(w.CreatedAt) {
			t.Errorf("history[%d] = %+v, want %+v", i, g, w)
		}
	}
}
