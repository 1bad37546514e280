package main

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/vilnius"
	"github.com/vvgintake/vvgintake/ledger"
)

// recordedRef reads the reference `submissions add` printed.
var recordedRef = regexp.MustCompile(`^recorded (VVG-\d{4}-\d{4})( \(late\))? under (\S+)`)

// exportFields is the JSON export contract (cmd help and README).
var exportFields = []string{"ref", "consultation", "source", "received_at", "sender", "subject", "text", "measure",
	"confidence", "needs_review", "late", "status", "decision", "response_due"}

// TestE2ECLILifecycle walks one consultation through its life with the
// built binary: create, open, suggestions on both sides of the deadline,
// every list filter, show, a correction, a decision, close, the report,
// the three export formats, check-config, migrate and backup.
func TestE2ECLILifecycle(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	loc, err := vilnius.Location()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	day := func(n int) string { return now.AddDate(0, 0, n).Format("2006-01-02") }

	out := c.ok("consultation", "create", "cli-test", "--title", "Bandomoji konsultacija", "--description", "Testas",
		"--opens", day(-14), "--closes", day(-2), "--keywords", "bandym, testas")
	if !strings.Contains(out, "created consultation cli-test (draft)") {
		t.Errorf("create: got %q", out)
	}
	if out := c.ok("consultation", "open", "cli-test"); !strings.Contains(out, "consultation cli-test is now open") {
		t.Errorf("open: got %q", out)
	}

	type sub struct {
		name, text, received, measure string
		late, review                  bool
		extra                         []string
		ref                           string
	}
	subs := []*sub{
		{name: "courses", text: "Siūlome organizuoti nemokamus kompiuterinio raštingumo kursus bedarbiams Aleksote.",
			received: day(-5) + "T10:00", measure: "2.1", extra: []string{"--name", "Ona Petraitienė", "--email", "Ona@Example.lt", "--sector", "resident"}},
		{name: "volunteers", text: "Reikėtų savanorių centro, kuris koordinuotų jaunimo savanorystę ir talkas.",
			received: day(-4) + "T11:30", measure: "5"},
		{name: "vague", text: "Norėčiau, kad kas nors pasikeistų.", received: day(-3) + "T09:00", measure: "other", review: true},
		{name: "business", text: "Siūlau konsultuoti pradedančius verslą jaunus žmones ir padėti parengti verslo planą.",
			received: day(0) + "T00:30", measure: "3", late: true},
	}
	for _, s := range subs {
		args := append([]string{"submissions", "add", "--consultation", "cli-test", "--text", s.text, "--received", s.received}, s.extra...)
		out := c.ok(args...)
		m := recordedRef.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("add %s: got %q, want \"recorded REF under CODE\"", s.name, out)
		}
		s.ref = m[1]
		if got := m[2] != ""; got != s.late {
			t.Errorf("add %s: late %v, want %v (%q)", s.name, got, s.late, out)
		}
		if m[3] != s.measure {
			t.Errorf("add %s: filed under %s, want %s", s.name, m[3], s.measure)
		}
	}
	// One in the example's consultation, from stdin, so the consultation
	// filter has something to leave out.
	r := c.runIn("Siūlau kursus bedarbiams apie darbo paiešką ir CV rašymą.\n", "submissions", "add", "--consultation", "strategija-2026")
	if r.code != 0 || recordedRef.FindStringSubmatch(r.stdout) == nil {
		t.Fatalf("add from stdin: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	other := recordedRef.FindStringSubmatch(r.stdout)[1]
	courses, volunteers, vague, business := subs[0], subs[1], subs[2], subs[3]

	checkList := func(name string, want []string, args ...string) {
		t.Helper()
		got := c.listRefs(args...)
		sort.Strings(got)
		want = slices.Clone(want)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("list %s: got %v, want %v", name, got, want)
		}
	}
	checkList("all", []string{courses.ref, volunteers.ref, vague.ref, business.ref, other})
	checkList("--consultation", []string{courses.ref, volunteers.ref, vague.ref, business.ref}, "--consultation", "cli-test")
	checkList("--measure 5", []string{volunteers.ref}, "--measure", "5")
	checkList("--late", []string{business.ref}, "--late", "--consultation", "cli-test")
	checkList("--on-time", []string{courses.ref, volunteers.ref, vague.ref}, "--on-time", "--consultation", "cli-test")
	checkList("--needs-review", []string{vague.ref}, "--needs-review", "--consultation", "cli-test")
	checkList("--status new", []string{courses.ref, volunteers.ref, vague.ref, business.ref}, "--status", "new", "--consultation", "cli-test")

	show := c.ok("submissions", "show", courses.ref)
	for _, want := range []string{courses.ref, "cli-test", "staff", "Ona Petraitienė <ona@example.lt>", "resident",
		"measure          2.1 Naujų profesinių", courses.text} {
		if !strings.Contains(show, want) {
			t.Errorf("show %s lacks %q:\n%s", courses.ref, want, show)
		}
	}

	// A staff correction: filed under 4, kept in the history, and a
	// correction the classifier learns from.
	if out := c.ok("submissions", "set-measure", vague.ref, "4"); !strings.Contains(out, vague.ref+" filed under 4 Bendradarbiavimo") {
		t.Errorf("set-measure: got %q", out)
	}
	show = c.ok("submissions", "show", vague.ref)
	hist := show[strings.Index(show, "classification history:"):]
	if !regexp.MustCompile(`(?m)^\s+\S+ \S+\s+auto\s+other\s`).MatchString(hist) ||
		!regexp.MustCompile(`(?m)^\s+\S+ \S+\s+staff\s+4\s+1\.00 tester$`).MatchString(hist) {
		t.Errorf("show %s: history lacks the automatic filing and tester's correction:\n%s", vague.ref, hist)
	}
	if strings.Contains(show, "needs review") {
		t.Errorf("show %s: still needs review after a staff correction:\n%s", vague.ref, show)
	}
	corr, err := c.ledger(nil).Corrections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(corr, func(k ledger.Correction) bool { return k.Ref == vague.ref && k.Measure == "4" && k.Text == vague.text }) {
		t.Errorf("corrections: got %+v, want %s → 4", corr, vague.ref)
	}
	// A command or daemon starting on this ledger trains its model with
	// the correction once: Retrain, run after, finds nothing to do.
	strategies, err := trainStrategies(context.Background(), c.config(), c.ledger(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := strategies.Get("")
	if got := def.Classifier.Classify(vague.text).Label; got != "4" {
		t.Errorf("a model trained on this ledger files the corrected text under %s, want 4", got)
	}
	model := def.Classifier.Model()
	if err := retrainReleasing(context.Background(), strategies, c.ledger(nil)); err != nil || def.Classifier.Model() != model {
		t.Errorf("Retrain trained the model again after a start with its corrections (err %v)", err)
	}
	checkList("--needs-review after correction", nil, "--needs-review", "--consultation", "cli-test")
	checkList("--status reviewed", []string{vague.ref}, "--status", "reviewed")

	// Quotes, an ampersand, angle brackets and a comma: every export
	// format must carry them through unchanged.
	reason := `Įtraukta į strategijos 2.1 veiklą „Mokymai & praktika“, žr. <protokolas "Nr. 3">.`
	if out := c.ok("submissions", "decide", courses.ref, "accepted", "--reason", reason); out != courses.ref+": accepted ("+reason+")\n" {
		t.Errorf("decide: got %q", out)
	}
	if show := c.ok("submissions", "show", courses.ref); !strings.Contains(show, "decision         accepted: "+reason+" (") {
		t.Errorf("show after decide lacks the decision:\n%s", show)
	}
	checkList("--status decided", []string{courses.ref}, "--status", "decided")

	out = c.ok("consultation", "close", "cli-test")
	if !strings.Contains(out, "consultation cli-test is now closed") || !strings.Contains(out, "closing report queued for vvgaleksotas@gmail.com, valdyba@aleksotovvg.lt") {
		t.Errorf("close: got %q", out)
	}
	if n := len(c.outboxKind("report")); n != 1 {
		t.Errorf("outbox after close: got %d report rows, want 1:\n%s", n, c.ok("outbox", "list"))
	}
	if list := c.ok("consultation", "list"); !regexp.MustCompile(`(?m)^cli-test\s+closed\s.*\s4\s+Bandomoji konsultacija$`).MatchString(list) {
		t.Errorf("consultation list: want cli-test closed with 4 suggestions:\n%s", list)
	}

	// The closing report as the mail to staff words it (notify renders both).
	report := c.ok("consultation", "report", "cli-test")
	for _, want := range []string{"Bandomoji konsultacija", "Iš viso pasiūlymų: 4 (laiku: 3, po termino: 1)."} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	for code, n := range map[string]string{"1.1": "0", "2.1": "1", "3": "1", "4": "1", "5": "1", "Kita": "0"} { // other reads Kita
		if !regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(code) + `\s.*\s` + n + `$`).MatchString(report) {
			t.Errorf("report: want measure %s with %s suggestion(s):\n%s", code, n, report)
		}
	}
	for _, s := range subs {
		entry := regexp.MustCompile(`(?m)^\s+\[` + s.ref + `\].*\n.*\n(\s+Sprendimas:.*)?`).FindString(report)
		if entry == "" || strings.Contains(entry, "po termino") != s.late {
			t.Errorf("report entry of %s: got %q, want late %v", s.ref, entry, s.late)
		}
		if s == courses && !strings.Contains(entry, "Sprendimas: atsižvelgta") {
			t.Errorf("report entry of %s: got %q, want the decision", s.ref, entry)
		}
	}
	if strings.Contains(report, other) {
		t.Errorf("report of cli-test lists %s of another consultation", other)
	}

	checkExports(t, c, subs[0].ref, business.ref, []string{courses.ref, volunteers.ref, vague.ref, business.ref, other}, reason)
	for _, rec := range c.exportJSON("--consultation", "cli-test") {
		for _, s := range subs {
			if rec["ref"] != s.ref {
				continue
			}
			at, err := time.ParseInLocation("2006-01-02T15:04", s.received, loc)
			if err != nil {
				t.Fatal(err)
			}
			if want := at.Format(time.RFC3339); rec["received_at"] != want {
				t.Errorf("%s: received_at %v, want %s (--received %s in Vilnius)", s.ref, rec["received_at"], want, s.received)
			}
		}
	}

	if out := c.ok("check-config"); !strings.Contains(out, "configuration is valid") || !strings.Contains(out, c.dbPath()) {
		t.Errorf("check-config: got %q", out)
	}
	v := ledger.SchemaVersion()
	if out := c.ok("migrate"); !strings.Contains(out, "is at schema version "+strconv.Itoa(v)+" (this program: "+strconv.Itoa(v)+")") {
		t.Errorf("migrate: got %q", out)
	}
	backup := filepath.Join(c.dir, "copy.db")
	if out := c.ok("backup", backup); !strings.Contains(out, "ledger copied to "+backup) {
		t.Errorf("backup: got %q", out)
	}
	copyCLI := c.with("VVGINTAKE_LEDGER_PATH=" + backup)
	if got, want := copyCLI.listRefs(), c.listRefs(); !slices.Equal(got, want) {
		t.Errorf("list from the backup: got %v, want %v", got, want)
	}
	if r := c.run("backup", backup); r.code == 0 || !strings.Contains(r.stderr, "copy.db") {
		t.Errorf("backup over an existing file: got exit %d %q, want a refusal naming it", r.code, r.stderr)
	}
}

// checkExports writes the export in each format to a file and reads it
// back.
func checkExports(t *testing.T, c *e2eCLI, decided, late string, refs []string, reason string) {
	t.Helper()
	path := filepath.Join(c.dir, "export.json")
	c.ok("submissions", "export", "--format", "json", "--out", path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs := decodeE2EJSON(t, string(b))
	raw := c.exportJSON()
	if len(recs) != len(refs) || len(raw) != len(refs) {
		t.Fatalf("export json: got %d records in the file and %d on stdout, want %d", len(recs), len(raw), len(refs))
	}
	for i, r := range raw {
		for _, f := range exportFields {
			if _, ok := r[f]; !ok {
				t.Errorf("export json record %d: field %q missing", i, f)
			}
		}
		if r["ref"] != refs[i] {
			t.Errorf("export json record %d: ref %v, want %s", i, r["ref"], refs[i])
		}
		if _, err := time.Parse(time.RFC3339, r["received_at"].(string)); err != nil {
			t.Errorf("export json %v: received_at %v is not RFC 3339", r["ref"], r["received_at"])
		}
		if _, err := time.Parse(time.DateOnly, r["response_due"].(string)); err != nil {
			t.Errorf("export json %v: response_due %v is not YYYY-MM-DD", r["ref"], r["response_due"])
		}
		switch r["ref"] {
		case decided:
			if r["decision"] != "accepted" || r["decision_reason"] != reason || r["status"] != "decided" ||
				r["sender"] != "ona@example.lt" || r["source"] != "staff" || r["consultation"] != "cli-test" || r["late"] != false {
				t.Errorf("export json %s: got %v", decided, r)
			}
		case late:
			if r["late"] != true || r["measure"] != "3" {
				t.Errorf("export json %s: got %v, want late, measure 3", late, r)
			}
		}
	}

	path = filepath.Join(c.dir, "export.csv")
	c.ok("submissions", "export", "--format", "csv", "--headers", "en", "--out", path)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bom := make([]byte, 3)
	if _, err := io.ReadFull(f, bom); err != nil || string(bom) != "\uFEFF" {
		t.Errorf("export csv: starts %q, want a UTF-8 byte order mark", bom)
	}
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v", err)
	}
	if len(rows) != len(refs)+1 {
		t.Fatalf("export csv: got %d rows, want header + %d", len(rows), len(refs))
	}
	for _, f := range exportFields {
		if !slices.Contains(rows[0], f) {
			t.Errorf("export csv header %v lacks %q", rows[0], f)
		}
	}
	col := slices.Index(rows[0], "decision_reason")
	for i, row := range rows[1:] {
		if row[0] != refs[i] {
			t.Errorf("export csv row %d: ref %q, want %s", i+1, row[0], refs[i])
		}
		if row[0] == decided && (col < 0 || row[col] != reason) {
			t.Errorf("export csv row of %s: decision_reason %q, want %q", decided, row[max(col, 0)], reason)
		}
	}

	path = filepath.Join(c.dir, "export.xlsx")
	c.ok("submissions", "export", "--format", "xlsx", "--headers", "en", "--out", path)
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer zr.Close()
	var sheet string
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			sheet = string(b)
		}
	}
	if sheet == "" {
		t.Fatalf("xlsx has no xl/worksheets/sheet1.xml")
	}
	cells := xlsxStrings(t, sheet)
	if len(cells) != len(rows) {
		t.Fatalf("xlsx sheet1: got %d rows, want %d as in the CSV", len(cells), len(rows))
	}
	for i := range rows {
		for j, want := range rows[i] {
			if got, ok := cells[i][j]; ok && got != want {
				t.Errorf("xlsx row %d column %d: got %q, want %q as in the CSV", i+1, j+1, got, want)
			}
		}
		if cells[i][0] != rows[i][0] || (col >= 0 && cells[i][col] != rows[i][col]) {
			t.Errorf("xlsx row %d: ref %q reason %q, want %q %q", i+1, cells[i][0], cells[i][col], rows[i][0], rows[i][col])
		}
	}
}

// xlsxStrings reads the inline-string cells of a worksheet, per row, by
// column index; numbers and booleans are left out.
func xlsxStrings(t *testing.T, sheet string) []map[int]string {
	t.Helper()
	var ws struct {
		Rows []struct {
			Cells []struct {
				Ref  string `xml:"r,attr"`
				Type string `xml:"t,attr"`
				Text string `xml:"is>t"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal([]byte(sheet), &ws); err != nil {
		t.Fatalf("xlsx sheet1 is not well-formed XML: %v", err)
	}
	var out []map[int]string
	for _, r := range ws.Rows {
		row := map[int]string{}
		for _, c := range r.Cells {
			if c.Type != "inlineStr" {
				continue
			}
			col := 0
			for _, ch := range strings.TrimRight(c.Ref, "0123456789") {
				col = col*26 + int(ch-'A'+1)
			}
			row[col-1] = c.Text
		}
		out = append(out, row)
	}
	return out
}

// TestReadmeCommands: the README's table of commands has a row for every
// command (a new one is documented where staff and hosts look).
func TestReadmeCommands(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range commands() {
		if !regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(cmd.name) + "[ `]").Match(b) {
			t.Errorf("README.md's commands table has no row for %s", cmd.name)
		}
	}
}

// TestE2EHelp: `help` and `help CMD` (and `CMD --help`) for every command
// print usage and exit 0; no command at all is a usage error.
func TestE2EHelp(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	out := c.ok("help")
	for _, cmd := range commands() {
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(cmd.name) + `\s+\S`).MatchString(out) {
			t.Errorf("help does not list %s:\n%s", cmd.name, out)
		}
	}
	for _, cmd := range commands() {
		for _, args := range [][]string{{"help", cmd.name}, {cmd.name, "--help"}} {
			out := c.ok(args...)
			if !strings.HasPrefix(out, "Usage: vvgintake [-config FILE] "+cmd.name) || !strings.Contains(out, cmd.short) {
				t.Errorf("%v: got %q, want the usage of %s", args, out, cmd.name)
			}
		}
	}
	if r := c.run(); r.code != exitUsage || !strings.Contains(r.stderr, "Commands:") {
		t.Errorf("no command: got exit %d, stderr %q; want 2 and the help", r.code, r.stderr)
	}
}
