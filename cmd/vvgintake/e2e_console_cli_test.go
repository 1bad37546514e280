package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestE2EConsoleCLI: the staff console's commands on the built binary —
// accounts with one-time links, full-text search with and without
// Lithuanian letters and by number, and the staff actions with --actor in
// the audit log.
func TestE2EConsoleCLI(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t, "VVGINTAKE_CONSOLE_BASE_URL=https://pultas.example.lt")
	now := time.Now()
	day := func(n int) string { return now.AddDate(0, 0, n).Format("2006-01-02") }
	c.ok("consultation", "create", "k", "--title", "Konsultacija", "--opens", day(-5), "--closes", day(5))
	c.ok("consultation", "open", "k")

	out := c.ok("users", "add", "Ona@Example.lt", "--role", "staff")
	if !regexp.MustCompile(`https://pultas\.example\.lt/setup\?token=[A-Za-z0-9_-]{43}`).MatchString(out) {
		t.Errorf("users add: got %q, want a one-time link under console.base_url", out)
	}
	if r := c.run("users", "add", "x@example.lt", "--role", "king"); r.code != exitUsage {
		t.Errorf("users add --role king: exit %d, want 2", r.code)
	}
	if out := c.ok("users", "list"); !strings.Contains(out, "ona@example.lt  staff  waiting for a password") {
		t.Errorf("users list: got %q", out)
	}
	if out := c.ok("users", "reset", "ona@example.lt"); !strings.Contains(out, "/setup?token=") {
		t.Errorf("users reset: got %q", out)
	}

	var refs []string
	for _, text := range []string{
		"Reikia daugiau savanorių talkoms Aleksoto parke.",
		"Siūlau dviračių taką palei upę.",
		"Reklama: pigūs langai!",
		"Antras laiškas apie savanorystę ir jaunimą.",
	} {
		out := c.ok("submissions", "add", "--consultation", "k", "--text", text, "--measure", "5")
		refs = append(refs, recordedRef.FindStringSubmatch(out)[1])
	}
	for _, tc := range []struct{ q, want string }{
		{"savanoriu", refs[0]}, {"savanorių", refs[0]}, {"DVIRACIU", refs[1]}, {"savanoryste", refs[3]},
		{strings.ToLower(refs[2]), refs[2]}, {strings.TrimLeft(refs[2][len(refs[2])-4:], "0"), refs[2]},
	} {
		if got := c.listRefs("--search", tc.q); len(got) == 0 || got[0] != tc.want {
			t.Errorf("list --search %q: got %v, want %s first", tc.q, got, tc.want)
		}
	}

	c.ok("submissions", "withdraw", refs[2], "--reason", "spam", "--actor", "Ona")
	if got := c.listRefs(); len(got) != 3 {
		t.Errorf("list after withdrawing one: got %v, want 3 refs", got)
	}
	if got := c.listRefs("--status", "withdrawn"); len(got) != 1 || got[0] != refs[2] {
		t.Errorf("list --status withdrawn: got %v, want [%s]", got, refs[2])
	}
	c.ok("submissions", "merge", refs[3], refs[0], "--actor=Ona")
	c.ok("submissions", "note", refs[0], "Paskambinti gyventojui")
	out = c.runIn("Dviračių takas.\n---\nSuolai prie upės.\n", "submissions", "split", refs[1]).stdout
	if n := len(e2eRefsIn(out)); n != 2 {
		t.Errorf("split: got %q, want two references", out)
	}
	db := c.ledger(nil)
	defer db.Close()
	entries, err := db.Audit(t.Context(), refs[2], 0)
	if err != nil || len(entries) == 0 || entries[0].Actor != "Ona" || entries[0].Action != "submission.withdraw" {
		t.Errorf("audit of the withdrawal: got %+v, %v; want by Ona (--actor)", entries, err)
	}
	entries, _ = db.Audit(t.Context(), refs[0], 0)
	actors := map[string]bool{}
	for _, e := range entries {
		actors[e.Actor+" "+e.Action] = true
	}
	if !actors["Ona submission.merged"] || !actors["tester submission.note"] {
		t.Errorf("audit of %s: got %v, want the merge by Ona and the note by the Unix user", refs[0], actors)
	}
}
