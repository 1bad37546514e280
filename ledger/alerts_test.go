package ledger

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
)

func TestAlerts(t *testing.T) {
	now := clocktest.At(t, "2026-11-20T12:00:00Z")
	rules := AlertRules{Mailbox: true, SyncAlertAfter: 30 * time.Minute}
	sending := AlertRules{SMTPServer: "smtp.example.lt:587"}
	type env struct {
		db    *DB
		clock *testClock
	}
	enqueue := func(t *testing.T, e env, kind, key string) *OutboxItem {
		t.Helper()
		it := &OutboxItem{Kind: kind, DedupeKey: key, Recipients: []string{"ona@example.lt"}}
		if _, err := e.db.Enqueue(context.Background(), it); err != nil {
			t.Fatal(err)
		}
		return it
	}
	fail := func(t *testing.T, e env) *OutboxItem {
		t.Helper()
		it := enqueue(t, e, KindDigest, "d")
		if err := e.db.MarkFailed(context.Background(), it.ID, "550 no such user"); err != nil {
			t.Fatal(err)
		}
		return it
	}
	health := func(hs ...MailboxHealth) func(*testing.T, env) {
		return func(t *testing.T, e env) {
			for _, h := range hs {
				if err := e.db.SetMailboxHealth(context.Background(), h); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	smtp := func(server string, reachable, auth bool, pending int) func(*testing.T, env) {
		return func(t *testing.T, e env) {
			for i := range pending {
				enqueue(t, e, KindDigest, "p"+string(rune('a'+i)))
			}
			if err := e.db.SetSMTPHealth(context.Background(), server, reachable, auth, "dial tcp: connection refused"); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name  string
		rules AlertRules
		setup func(*testing.T, env)
		want  []string // substrings, one per alert, in order
	}{
		{name: "mailbox never read", rules: rules, want: []string{"never been read"}},
		{name: "no mailbox configured", rules: AlertRules{}, want: nil},
		{name: "healthy", rules: rules, setup: health(MailboxHealth{Account: "vvg", Connected: true, LastSync: now.Add(-time.Minute)})},
		{name: "sync too old", rules: rules, setup: health(MailboxHealth{Account: "vvg", LastSync: now.Add(-2 * time.Hour)}),
			want: []string{"vvg: last successful sync 2h0m0s ago"}},
		{name: "never synced", rules: rules, setup: health(MailboxHealth{Account: "vvg"}), want: []string{"vvg: never synced"}},
		{name: "credentials refused", rules: rules, setup: health(MailboxHealth{Account: "vvg", AuthFailing: true, LastError: "NO [AUTHENTICATIONFAILED]",
			LastSync: now.Add(-time.Minute)}), want: []string{"refuses our credentials: NO [AUTHENTICATIONFAILED]"}},
		{name: "an account no longer configured", rules: AlertRules{Mailbox: true, SyncAlertAfter: time.Hour, Accounts: []string{"new@imap:993"}},
			setup: health(MailboxHealth{Account: "old@imap:993", AuthFailing: true}, MailboxHealth{Account: "new@imap:993", LastSync: now}), want: nil},
		{name: "mail failed", rules: AlertRules{}, setup: func(t *testing.T, e env) { fail(t, e) }, want: []string{"1 mail(s) failed permanently"}},
		{name: "failed and dismissed", rules: AlertRules{}, setup: func(t *testing.T, e env) {
			if err := e.db.DismissOutbox(context.Background(), fail(t, e).ID, "staff"); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "failed and retried", rules: AlertRules{}, setup: func(t *testing.T, e env) {
			if err := e.db.RetryOutbox(context.Background(), fail(t, e).ID, "staff"); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "failed a week ago", rules: AlertRules{}, setup: func(t *testing.T, e env) {
			e.clock.t = now.Add(-8 * 24 * time.Hour)
			fail(t, e)
			e.clock.t = now
		}},
		{name: "smtp unreachable, mail waiting", rules: sending, setup: smtp("smtp.example.lt:587", false, false, 1),
			want: []string{"smtp smtp.example.lt:587 cannot be reached since"}},
		{name: "smtp login refused, mail waiting", rules: sending, setup: smtp("smtp.example.lt:587", true, true, 2),
			want: []string{"refuses our login"}},
		{name: "smtp unreachable, nothing waiting", rules: sending, setup: smtp("smtp.example.lt:587", false, false, 0)},
		{name: "smtp of an old configuration", rules: sending, setup: smtp("old.example.lt:25", false, false, 1)},
		{name: "smtp healthy", rules: sending, setup: smtp("smtp.example.lt:587", true, false, 1)},
		{name: "acknowledgement waiting too long", rules: sending, setup: func(t *testing.T, e env) {
			e.clock.t = now.Add(-2 * time.Hour)
			enqueue(t, e, KindAck, "ack:1")
			e.clock.t = now
		}, want: []string{"oldest unsent acknowledgement was queued 2h0m0s ago"}},
		{name: "acknowledgement just queued", rules: sending, setup: func(t *testing.T, e env) { enqueue(t, e, KindAck, "ack:1") }},
		{name: "acknowledgements while nothing sends", rules: AlertRules{}, setup: func(t *testing.T, e env) {
			e.clock.t = now.Add(-2 * time.Hour)
			enqueue(t, e, KindAck, "ack:1")
			e.clock.t = now
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := &testClock{t: now}
			db := openTest(t, clock)
			if tt.setup != nil {
				tt.setup(t, env{db, clock})
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

// TestAlertDiskFull: a nearly full disk alerts, so /readyz turns unready
// before writes fail.
func TestAlertDiskFull(t *testing.T) {
	ctx := context.Background()
	free := uint64(1 << 30)
	db, err := Open(ctx, filepath.Join(t.TempDir(), "l.db"), Options{FreeSpace: func(string) (uint64, error) { return free, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, _ := db.Alerts(ctx, AlertRules{}); len(got) != 0 {
		t.Fatalf("alerts %q with 1 GiB free, want none", got)
	}
	free = 10 << 20
	got, _ := db.Alerts(ctx, AlertRules{})
	if len(got) != 1 || !strings.Contains(got[0], "nearly full: 10 MiB free") {
		t.Errorf("alerts %q with 10 MiB free, want the disk alert", got)
	}
}

// TestPruneHealth: accounts and servers no longer configured are dropped.
func TestPruneHealth(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	for _, a := range []string{"old@imap:993", "new@imap:993"} {
		if err := db.SetMailboxHealth(ctx, MailboxHealth{Account: a}); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []string{"old:25", "new:587"} {
		if err := db.SetSMTPHealth(ctx, s, false, false, "x"); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.PruneHealth(ctx, []string{"new@imap:993"}, "new:587")
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2", n, err)
	}
	hs, _ := db.MailboxHealth(ctx)
	ss, _ := db.SMTPHealth(ctx)
	if len(hs) != 1 || hs[0].Account != "new@imap:993" || len(ss) != 1 || ss[0].Server != "new:587" {
		t.Errorf("left %+v and %+v", hs, ss)
	}
}

// TestSMTPHealthFailingSince: a failure keeps the time it began until a
// success clears it.
func TestSMTPHealthFailingSince(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: clocktest.At(t, "2026-11-20T12:00:00Z")}
	db := openTest(t, clock)
	set := func(ok bool) SMTPHealth {
		t.Helper()
		if err := db.SetSMTPHealth(ctx, "s:587", ok, false, ""); err != nil {
			t.Fatal(err)
		}
		hs, err := db.SMTPHealth(ctx)
		if err != nil || len(hs) != 1 {
			t.Fatal(hs, err)
		}
		clock.t = clock.t.Add(time.Minute)
		return hs[0]
	}
	first := set(false)
	if second := set(false); !second.FailingSince.Equal(first.FailingSince) {
		t.Errorf("failing since moved from %v to %v", first.FailingSince, second.FailingSince)
	}
	if ok := set(true); !ok.FailingSince.IsZero() || ok.LastOK.IsZero() || ok.Failing() {
		t.Errorf("after success: %+v", ok)
	}
}

// TestFilesPrivate: the ledger and its backups hold personal data and are
// readable by their owner only, whatever the umask.
func TestFilesPrivate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "l.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil { // an empty ledger copied in with cp
		t.Fatal(err)
	}
	db, err := Open(ctx, filepath.Join(dir, "new.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetState(ctx, "x", "y"); err != nil {
		t.Fatal(err)
	}
	old, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, "new.db"), filepath.Join(dir, "new.db-wal"), path, backup} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(p), st.Mode().Perm())
		}
	}
}

// TestRefreshTokens: the ledger keeps rotated OAuth refresh tokens.
func TestRefreshTokens(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	if tok, err := db.LoadRefreshToken(ctx, "k"); err != nil || tok != "" {
		t.Fatalf("empty store: %q, %v", tok, err)
	}
	for _, want := range []string{"rt-1", "rt-2"} {
		if err := db.SaveRefreshToken(ctx, "k", want); err != nil {
			t.Fatal(err)
		}
		if tok, err := db.LoadRefreshToken(ctx, "k"); err != nil || tok != want {
			t.Errorf("load = %q, %v; want %q", tok, err, want)
		}
	}
}
