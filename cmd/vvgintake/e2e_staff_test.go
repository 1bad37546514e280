package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EStaffRefsAndDecisions: staff name suggestions as they read them
// (by number, in lower case), use the Lithuanian words, and change a
// decision knowingly: the CLI warns, both decisions stay with who made
// them, and a decision clears the needs-review flag.
func TestE2EStaffRefsAndDecisions(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	var refs []string
	for _, text := range []string{"Norėčiau daugiau veiklos.", "Siūlau kursus bedarbiams apie darbo paiešką."} {
		out := c.ok("submissions", "add", "--consultation", "strategija-2026", "--text", text, "--received", "2026-11-20T10:00")
		m := recordedRef.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("add: %q", out)
		}
		refs = append(refs, m[1])
	}
	first := refs[0]
	number := strings.TrimLeft(first[len("VVG-2026-"):], "0")
	for _, typed := range []string{number, strings.ToLower(first), "2026-" + number} {
		if out := c.ok("submissions", "show", typed); !strings.Contains(out, "ref              "+first) {
			t.Errorf("show %q: got\n%s", typed, out)
		}
	}
	if out := c.ok("submissions", "set-measure", number, "kita"); !strings.Contains(out, first+" filed under other Kita") {
		t.Errorf("set-measure kita: %q", out)
	}
	c.ok("submissions", "set-measure", refs[1], "2.2")
	if out := c.ok("submissions", "list", "--measure", "KITA"); !strings.Contains(out, first) {
		t.Errorf("list --measure KITA lacks %s:\n%s", first, out)
	}

	r := c.with("USER=ona").run("submissions", "decide", number, "atmesta", "--reason", "Ne strategijos tema")
	if r.code != exitOK || !strings.Contains(r.stdout, first+": rejected (Ne strategijos tema)") || strings.Contains(r.stderr, "warning") {
		t.Fatalf("first decision: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = c.with("USER=jonas").run("submissions", "decide", strings.ToLower(first), "iš dalies", "--reason", "Valdyba persvarstė")
	if r.code != exitOK || !strings.Contains(r.stderr, "warning: "+first+" had the decision rejected (Ne strategijos tema) by ona") {
		t.Errorf("replacing decision: exit %d %q %q, want a warning naming the first", r.code, r.stdout, r.stderr)
	}
	show := c.ok("submissions", "show", first)
	for _, want := range []string{"replaced decision  rejected: Ne strategijos tema (ona, ", "decision           partly: Valdyba persvarstė (jonas, "} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"submissions", "decide", first, "gal", "--reason", "x"}, `decision "gal": want accepted (pritarta)`},
		{[]string{"submissions", "decide", first, "pritarta"}, "a reason is required"},
		{[]string{"submissions", "show", "pasiūlymas"}, "is not a reference number"},
		{[]string{"submissions", "set-measure", first, "9.9"}, `unknown measure code "9.9"`},
	} {
		if r := c.run(tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d %q, want 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
	if r := c.run("submissions", "show", "999"); r.code != exitRuntime || !strings.Contains(r.stderr, "not found") {
		t.Errorf("unknown number: exit %d %q", r.code, r.stderr)
	}
}

// TestE2EDecisionClearsReview: a suggestion waiting for review leaves the
// review list once decided.
func TestE2EDecisionClearsReview(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	out := c.ok("submissions", "add", "--consultation", "strategija-2026", "--text", "Norėčiau daugiau veiklos.", "--received", "2026-11-20T10:00")
	ref := recordedRef.FindStringSubmatch(out)[1]
	if got := c.listRefs("--needs-review"); len(got) != 1 || got[0] != ref {
		t.Fatalf("needs-review before deciding = %v, want [%s] (the classifier is unsure of this text)", got, ref)
	}
	c.ok("submissions", "decide", ref, "pritarta", "--reason", "Gera mintis")
	if got := c.listRefs("--needs-review"); len(got) != 0 {
		t.Errorf("needs-review after deciding = %v, want none", got)
	}
}

// TestE2EExportFiles: exports for staff have Lithuanian headers by
// default, take ';' for Lithuanian Excel, and --out never overwrites a
// file unless --force says so.
func TestE2EExportFiles(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	c.ok("submissions", "add", "--consultation", "strategija-2026", "--text", "=1+1 ir kursai bedarbiams", "--received", "2026-11-20T10:00")
	path := filepath.Join(c.dir, "pasiulymai.csv")
	c.ok("submissions", "export", "--format", "csv", "--csv-separator", ";", "--out", path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimPrefix(string(b), "\uFEFF"), "\n")
	if !strings.HasPrefix(lines[0], "Nr.;Konsultacija;Šaltinis;Gauta;") || !strings.Contains(lines[1], ";'=1+1 ir kursai bedarbiams;") {
		t.Errorf("csv:\n%s", b)
	}
	r := c.run("submissions", "export", "--format", "json", "--out", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, path+" exists: give --force to overwrite it") {
		t.Errorf("second export to the same file: exit %d %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(path); string(after) != string(b) {
		t.Errorf("the refused export changed the file")
	}
	c.ok("submissions", "export", "--format", "json", "--out", path, "--force")
	if after, _ := os.ReadFile(path); !strings.HasPrefix(string(after), `{"ref":"VVG-2026-0001"`) {
		t.Errorf("--force did not overwrite: %q", after)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"submissions", "export"}, "--format is required"},
		{[]string{"submissions", "export", "--format", "csv", "--headers", "lt-LT"}, `--headers: want lt or en`},
		{[]string{"submissions", "export", "--format", "csv", "--csv-separator", "|"}, `--csv-separator: want`},
		{[]string{"submissions", "export", "--format", "json", "--csv-separator", ";"}, "--csv-separator is for --format csv"},
	} {
		if r := c.run(tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d %q, want 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}
