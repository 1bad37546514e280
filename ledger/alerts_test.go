package ledger

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestAlerts(t *testing.T) {
	now := mustTime(t, "2026-11-20T12:00:00Z")
	rules := AlertRules{Mailbox: true, SyncAlertAfter: 30 * time.Minute}
	tests := []struct {
		name   string
		rules  AlertRules
		health []MailboxHealth
		failed bool
		want   []string // substrings, one per alert, in order
	}{
		{name: "mailbox never read", rules: rules, want: []string{"never been read"}},
		{name: "no mailbox configured", rules: AlertRules{}, want: nil},
		{name: "healthy", rules: rules, health: []MailboxHealth{{Account: "vvg", Connected: true, LastSync: now.Add(-time.Minute)}}},
		{name: "sync too old", rules: rules, health: []MailboxHealth{{Account: "vvg", LastSync: now.Add(-2 * time.Hour)}},
			want: []string{"vvg: last successful sync 2h0m0s ago"}},
		{name: "never synced", rules: rules, health: []MailboxHealth{{Account: "vvg"}}, want: []string{"vvg: never synced"}},
		{name: "credentials refused", rules: rules, health: []MailboxHealth{{Account: "vvg", AuthFailing: true, LastError: "NO [AUTHENTICATIONFAILED]",
			LastSync: now.Add(-time.Minute)}}, want: []string{"refuses our credentials: NO [AUTHENTICATIONFAILED]"}},
		{name: "mail failed", rules: AlertRules{}, failed: true, want: []string{"1 mail(s) failed permanently"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := openTest(t, &testClock{t: now})
			for _, h := range tt.health {
				if err := db.SetMailboxHealth(ctx, h); err != nil {
					t.Fatal(err)
				}
			}
			if tt.failed {
				it := &OutboxItem{Kind: KindDigest, DedupeKey: "d", Recipients: []string{"board@example.lt"}}
				if _, err := db.Enqueue(ctx, it); err != nil {
					t.Fatal(err)
				}
				if err := db.MarkFailed(ctx, it.ID, "550 no such user"); err != nil {
					t.Fatal(err)
				}
			}
			got, err := db.Alerts(ctx, tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("alerts %q, want %d matching %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("alert %d: %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}
