package ledger

import (
	"context"
	"fmt"
	"testing"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

func TestAdvance(t *testing.T) {
	tests := []struct {
		name         string
		status       string // where the consultation starts
		opens, close string
		now          string
		want         string // transitions, "from>to" joined by " "
		wantStatus   string
		wantReport   bool
	}{
		{name: "draft before its window", status: StatusDraft, opens: "2026-11-01T00:00:00Z", close: "2026-12-01T00:00:00Z",
			now: "2026-10-20T00:00:00Z", want: "", wantStatus: StatusDraft},
		{name: "draft in its window opens", status: StatusDraft, opens: "2026-11-01T00:00:00Z", close: "2026-12-01T00:00:00Z",
			now: "2026-11-01T00:00:00Z", want: "draft>open", wantStatus: StatusOpen},
		{name: "open past its deadline closes with the report", status: StatusOpen, opens: "2026-11-01T00:00:00Z", close: "2026-12-01T00:00:00Z",
			now: "2026-12-01T00:00:00Z", want: "open>closed", wantStatus: StatusClosed, wantReport: true},
		{name: "open before its deadline stays", status: StatusOpen, opens: "2026-11-01T00:00:00Z", close: "2026-12-01T00:00:00Z",
			now: "2026-11-30T23:59:59Z", want: "", wantStatus: StatusOpen},
		{name: "draft whose window passed opens, then closes", status: StatusDraft, opens: "2026-11-01T00:00:00Z", close: "2026-12-01T00:00:00Z",
			now: "2026-12-05T00:00:00Z", want: "draft>open open>closed", wantStatus: StatusClosed, wantReport: true},
		{name: "closed stays closed", status: StatusClosed, opens: "2026-11-01T00:00:00Z", close: "2026-12-01T00:00:00Z",
			now: "2026-12-05T00:00:00Z", want: "", wantStatus: StatusClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := &testClock{t: clocktest.At(t, tt.opens).AddDate(0, 0, -1)}
			db := openTest(t, clock)
			c := &Consultation{Slug: "k", Title: "K", OpensAt: clocktest.At(t, tt.opens), ClosesAt: clocktest.At(t, tt.close)}
			if err := db.CreateConsultation(ctx, c, "test"); err != nil {
				t.Fatal(err)
			}
			for _, s := range map[string][]string{StatusDraft: nil, StatusOpen: {StatusOpen}, StatusClosed: {StatusOpen, StatusClosed}}[tt.status] {
				if _, err := db.SetConsultationStatus(ctx, "k", s, "test"); err != nil {
					t.Fatal(err)
				}
			}
			clock.t = clocktest.At(t, tt.now)
			ts, err := db.Advance(ctx, func(slug string) []*OutboxItem {
				return []*OutboxItem{{Kind: KindReport, DedupeKey: "report:" + slug, Recipients: []string{"staff@example.lt"}}}
			})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for i, tr := range ts {
				if i > 0 {
					got += " "
				}
				got += fmt.Sprintf("%s>%s", tr.From, tr.To)
			}
			if got != tt.want {
				t.Errorf("transitions %q, want %q", got, tt.want)
			}
			c, err = db.Consultation(ctx, "k")
			if err != nil {
				t.Fatal(err)
			}
			if c.Status != tt.wantStatus {
				t.Errorf("status %s, want %s", c.Status, tt.wantStatus)
			}
			st, err := db.OutboxStats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Pending > 0; got != tt.wantReport {
				t.Errorf("report queued %v, want %v", got, tt.wantReport)
			}
		})
	}
}
