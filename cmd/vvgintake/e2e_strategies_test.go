package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/console"
	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// The Kėdainių miesto VVG's strategy beside the Aleksotas one
// (testdata/kedainiai: its measures, examples and consultation).
const kedainiaiDir = "testdata/kedainiai"

// Titles of measure 1.1 in each strategy: the same code, other words.
const (
	aleksotas11 = "Bendrųjų socialinių paslaugų socialinę atskirtį patiriantiems gyventojams teikimas"
	kedainiai11 = "Bendrųjų ir specialiųjų socialinės priežiūros paslaugų socialinę atskirtį patiriantiems gyventojams teikimas"
	aleksotas22 = "Tarpininkavimas ar kita pagalba įdarbinant"
	kedainiai22 = "Informavimas, konsultavimas, tarpininkavimas ar kita pagalba įdarbinant"
)

// strategiesConfig writes the example configuration with the Kėdainiai
// strategy and consultation appended, and its examples beside it, and
// returns the file's path.
func strategiesConfig(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	example, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := os.ReadFile(filepath.Join(kedainiaiDir, "strategy.toml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "vvgintake.toml")
	if err := os.WriteFile(path, append(append(example, '\n'), kd...), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"examples.jsonl", "heldout.jsonl"} {
		b, err := os.ReadFile(filepath.Join(kedainiaiDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// bothOpenAroundNow opens both consultations from a week ago to three
// weeks ahead.
func bothOpenAroundNow(t testing.TB) func(*config.Config) {
	return func(cfg *config.Config) {
		now := time.Now().In(cfg.Location())
		for i := range cfg.Consultations {
			k := &cfg.Consultations[i]
			if err := k.OpensAt.UnmarshalText([]byte(now.AddDate(0, 0, -7).Format(time.DateOnly))); err != nil {
				t.Fatal(err)
			}
			if err := k.ClosesAt.UnmarshalText([]byte(now.AddDate(0, 0, 21).Format(time.DateOnly))); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// strategyMail is a resident's message to the VVG's mailbox (to may be a
// plus-address).
func strategyMail(from, to, subject, body string, n int) []byte {
	return []byte(fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <strategy.%d@example.lt>\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
		from, to, mime.QEncoding.Encode("utf-8", subject), time.Now().Format(time.RFC1123Z), n, body))
}

// classifyLine is one line of `vvgintake classify`.
type classifyLine struct {
	ID, Label string
	Evidence  []string
}

// TestE2EStrategies: two open consultations on different strategies —
// Aleksotas' (the top-level measures) and Kėdainiai's ([[strategies]]),
// with the same codes meaning other measures — side by side on the IMAP
// and SMTP servers (Dovecot and Mailpit with VVGINTAKE_TEST_REAL=1). Mail
// routed to each (by plus-address and by subject) is classified with its
// own strategy's model (the evidence words are those `classify --strategy`
// gives), acknowledged with its own measure titles, and listed in the
// staff console with its own measures; a staff decision in the console
// teaches that strategy's classifier only, and one under another
// strategy's code is refused.
func TestE2EStrategies(t *testing.T) {
	t.Parallel()
	cfgPath := strategiesConfig(t)
	for _, srv := range intaketest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			t.Parallel()
			smtp := startE2ESMTP(t)
			env := append(append(append(baseEnv(t.TempDir()), imapEnv(srv.Addr, srv.User, srv.Password)...), smtp.env()...),
				"VVGINTAKE_CONSOLE_ENABLED=true")
			d := startE2EDaemonWith(t, cfgPath, env, DaemonOptions{ConsoleListener: e2eListen(t)}, bothOpenAroundNow(t))

			const dayCentre = "Siūlau įkurti dienos centrą vienišiems senjorams su karštais pietumis ir užsiėmimais."
			mails := []struct {
				from, to, subject, body string
				slug, measure, title    string
				unwanted                string // the other strategy's title of the same code
			}{
				{"ona@example.lt", "Ona <vvgaleksotas+strategija-2026@gmail.com>", "Pasiūlymas", dayCentre,
					"strategija-2026", "1.1", aleksotas11, kedainiai11},
				{"jonas@example.lt", "vvgaleksotas+kedainiai-2026@gmail.com", "Pasiūlymas", dayCentre,
					"kedainiai-2026", "1.1", kedainiai11, aleksotas11},
				{"rasa@example.lt", ourMailbox, "Kėdainių VVG: darbo paieška",
					"Reikia karjeros konsultanto, kuris padėtų bedarbiams parašyti gyvenimo aprašymą, susirasti darbdavį ir pasiruošti darbo pokalbiui.",
					"kedainiai-2026", "2.2", kedainiai22, aleksotas22},
				{"petras@example.lt", ourMailbox, "Pasiūlymas strategijai: darbo paieška",
					"Reikia karjeros konsultanto, kuris padėtų bedarbiams parašyti gyvenimo aprašymą, susirasti darbdavį ir pasiruošti darbo pokalbiui.",
					"strategija-2026", "2.2", aleksotas22, kedainiai22},
			}
			for i, m := range mails {
				srv.Append(t, "INBOX", strategyMail(m.from, m.to, m.subject, m.body, i), time.Now())
			}
			acks := e2eAutoReplied(smtp.wait(t, len(mails), 60*time.Second))
			byTo := map[string]e2eMail{}
			for _, a := range acks {
				byTo[strings.ToLower(a.rcpt[0])] = a
			}
			ctx := context.Background()
			db := d.d.db
			refs := map[string]string{}
			for _, m := range mails {
				var s *ledger.Submission
				err := db.Submissions(ctx, ledger.Filter{}, func(x *ledger.Submission) error {
					if x.SenderEmail == m.from {
						s = x
					}
					return nil
				})
				if err != nil || s == nil {
					t.Fatalf("%s: no suggestion recorded (%v)", m.from, err)
				}
				refs[m.from] = s.Ref
				if s.Consultation != m.slug || s.Measure != m.measure || s.NeedsReview {
					t.Errorf("%s: recorded in %s under %s (review %v), want %s under %s", m.from, s.Consultation, s.Measure,
						s.NeedsReview, m.slug, m.measure)
				}
				a, ok := byTo[m.from]
				if !ok {
					t.Errorf("%s: no acknowledgement", m.from)
					continue
				}
				text := e2eNormalize(a.text)
				if !strings.Contains(a.subject, s.Ref) || !strings.Contains(text, "priemonei "+m.measure+" „"+m.title+"“") ||
					strings.Contains(text, m.unwanted) {
					t.Errorf("%s: acknowledgement %q names the measure otherwise than %s %q of its strategy:\n%s", m.from,
						a.subject, m.measure, m.title, text)
				}
			}

			// Each was classified by its own strategy's model: the
			// evidence recorded is what `classify` with that strategy
			// gives, and the two models cite the day centre's words
			// differently.
			in := fmt.Sprintf(`{"id":"x","text":%q}`, "Pasiūlymas\n\n"+dayCentre)
			evidence := map[string][]string{}
			for _, name := range []string{"", "kedainiai-2016"} {
				args := []string{"classify"}
				if name != "" {
					args = append(args, "--strategy", name)
				}
				r := runCLIWith(t, cfgPath, env, in, args...)
				var line classifyLine
				if r.code != exitOK || json.Unmarshal([]byte(r.stdout), &line) != nil {
					t.Fatalf("classify %v: exit %d %q %q", args, r.code, r.stdout, r.stderr)
				}
				evidence[name] = line.Evidence
			}
			if slices.Equal(evidence[""], evidence["kedainiai-2016"]) {
				t.Fatalf("the two models cite the same evidence %v: the test cannot tell them apart", evidence[""])
			}
			for from, name := range map[string]string{"ona@example.lt": "", "jonas@example.lt": "kedainiai-2016"} {
				s, err := db.Submission(ctx, refs[from])
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(s.Evidence, evidence[name]) {
					t.Errorf("%s (%s): evidence %v, want %v, its strategy's model's", s.Ref, s.Consultation, s.Evidence, evidence[name])
				}
			}

			// The staff console lists each consultation with its own
			// measures, and files a suggestion only under those.
			web := newConsoleClient(t, "http://"+d.d.ConsoleAddr(), db)
			pages := []struct{ path, want, unwanted string }{
				{"/c/kedainiai-2026", kedainiai11, aleksotas11},
				{"/c/kedainiai-2026", "Kėdainių miesto VVG 2016–2022 m. vietos plėtros strategija", ""},
				{"/c/strategija-2026", aleksotas11, kedainiai11},
				{"/s/" + refs["rasa@example.lt"], kedainiai22, aleksotas22},
				{"/review/" + refs["rasa@example.lt"], kedainiai22, aleksotas22},
			}
			for _, p := range pages {
				body := web.get(t, p.path)
				if !strings.Contains(body, p.want) || p.unwanted != "" && strings.Contains(body, p.unwanted) {
					t.Errorf("console %s: want %q and not %q", p.path, p.want, p.unwanted)
				}
			}
			kd, err := d.d.clfs.Get("kedainiai-2016")
			if err != nil {
				t.Fatal(err)
			}
			def, err := d.d.clfs.Get("")
			if err != nil {
				t.Fatal(err)
			}
			const corrected = "Kėdainių VVG: darbo paieška\n\nReikia karjeros konsultanto, kuris padėtų bedarbiams parašyti gyvenimo aprašymą, susirasti darbdavį ir pasiruošti darbo pokalbiui."
			before := def.Classifier.Classify(corrected).Label
			ref := refs["rasa@example.lt"]
			web.get(t, "/s/"+ref)
			if code := web.post(t, "/s/"+ref+"/measure", url.Values{"measure": {"9.9"}}); code != http.StatusBadRequest {
				t.Errorf("filing %s under 9.9: status %d, want 400", ref, code)
			}
			web.get(t, "/s/"+ref)
			if code := web.post(t, "/s/"+ref+"/measure", url.Values{"measure": {"2.1"}}); code != http.StatusSeeOther {
				t.Errorf("filing %s under 2.1: status %d, want 303", ref, code)
			}
			if got := kd.Classifier.Classify(corrected).Label; got != "2.1" {
				t.Errorf("the Kėdainiai classifier after the staff decision files it under %s, want 2.1", got)
			}
			if got := def.Classifier.Classify(corrected).Label; got != before {
				t.Errorf("the Aleksotas classifier learnt a Kėdainiai decision: %s, was %s", got, before)
			}

			// The CLI reads codes as each consultation's strategy does.
			if out := runCLIWith(t, cfgPath, env, "", "consultation", "list").stdout; !regexp.MustCompile(`kedainiai-2026\s.*\skedainiai-2016\s`).MatchString(out) {
				t.Errorf("consultation list does not name the strategy:\n%s", out)
			}
			if out := runCLIWith(t, cfgPath, env, "", "consultation", "show", "kedainiai-2026").stdout; !strings.Contains(out, kedainiai11) ||
				strings.Contains(out, aleksotas11) {
				t.Errorf("consultation show kedainiai-2026 lists other measures:\n%s", out)
			}
		})
	}
}

// consoleClient is a staff member's browser on the console: a cookie jar
// that does not follow redirects, and the page's CSRF token.
type consoleClient struct {
	base string
	c    *http.Client
	csrf string
}

var consoleCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// newConsoleClient makes a staff account in db and logs in.
func newConsoleClient(t testing.TB, base string, db *ledger.DB) *consoleClient {
	t.Helper()
	ctx := context.Background()
	u, _, err := console.AddUser(ctx, db, base, "ona@vvg.example.lt", ledger.RoleStaff, "test")
	if err != nil {
		t.Fatal(err)
	}
	const password = "labai-slaptas-1"
	if err := console.SetPasswordNow(ctx, db, u.ID, password, "test"); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	cc := &consoleClient{base: base, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	cc.get(t, "/login")
	if code := cc.post(t, "/login", url.Values{"email": {u.Email}, "password": {password}}); code != http.StatusSeeOther {
		t.Fatalf("console login: status %d, want 303", code)
	}
	return cc
}

// get fetches path, keeping its CSRF token, and returns the body.
func (cc *consoleClient) get(t testing.TB, path string) string {
	t.Helper()
	resp, err := cc.c.Get(cc.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := consoleCSRF.FindSubmatch(b); m != nil {
		cc.csrf = string(m[1])
	}
	return string(b)
}

// post sends a form with the CSRF token and returns the status.
func (cc *consoleClient) post(t testing.TB, path string, form url.Values) int {
	t.Helper()
	form.Set("csrf", cc.csrf)
	resp, err := cc.c.PostForm(cc.base+path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestE2EStrategiesCLI: the commands on a configuration with two
// strategies — check-config lists each with its measures and examples,
// consultation create --strategy records one and refuses an unknown one,
// classify --strategy and classify eval work on that strategy's model,
// and staff's measure codes are read as the suggestion's strategy reads
// them.
func TestE2EStrategiesCLI(t *testing.T) {
	t.Parallel()
	cfgPath := strategiesConfig(t)
	env := baseEnv(t.TempDir())
	run := func(args ...string) cliResult {
		t.Helper()
		return runCLIWith(t, cfgPath, env, "", args...)
	}
	ok := func(args ...string) string {
		t.Helper()
		r := run(args...)
		if r.code != exitOK {
			t.Fatalf("vvgintake %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		return r.stdout
	}
	out := ok("check-config")
	for _, want := range []string{"strategy          default: the top-level [[measures]]",
		"strategy          kedainiai-2016: Kėdainių miesto VVG 2016–2022 m. vietos plėtros strategija",
		"  examples        64 labelled, " + filepath.Join(filepath.Dir(cfgPath), "examples.jsonl"),
		"consultation      kedainiai-2026: ", "strategy kedainiai-2016)"} {
		if !strings.Contains(out, want) {
			t.Errorf("check-config lacks %q:\n%s", want, out)
		}
	}

	ok("consultation", "create", "kd-2027", "--title", "Kėdainiai 2027", "--opens", "2027-01-10", "--closes", "2027-02-10",
		"--strategy", "kedainiai-2016")
	if r := run("consultation", "create", "x", "--title", "X", "--opens", "2027-01-10", "--closes", "2027-02-10", "--strategy", "kedainiai-2061"); r.code != exitUsage ||
		!strings.Contains(r.stderr, `--strategy: no such strategy: "kedainiai-2061" is not one of the [[strategies]] (kedainiai-2016); did you mean "kedainiai-2016"?`) {
		t.Errorf("create on an unknown strategy: exit %d %q", r.code, r.stderr)
	}
	if out := ok("consultation", "show", "kd-2027"); !strings.Contains(out, "strategy       Kėdainių miesto VVG") || !strings.Contains(out, kedainiai22) {
		t.Errorf("consultation show kd-2027:\n%s", out)
	}

	heldout := filepath.Join(filepath.Dir(cfgPath), "heldout.jsonl")
	eval := ok("classify", "--strategy", "kedainiai-2016", "eval", heldout)
	m := regexp.MustCompile(`macro-F1 ([0-9.]+)`).FindStringSubmatch(eval)
	if m == nil {
		t.Fatalf("classify eval printed no macro-F1:\n%s", eval)
	}
	// Measured 1.000 on the 24 held-out suggestions.
	if f1, _ := strconv.ParseFloat(m[1], 64); f1 < 0.9 {
		t.Errorf("Kėdainiai held-out set on its own model: macro-F1 %s, want ≥ 0.90:\n%s", m[1], eval)
	}
	if r := run("classify", "--strategy", "vps-2028"); r.code != exitUsage {
		t.Errorf("classify --strategy vps-2028: exit %d, want 2", r.code)
	}

	out = ok("submissions", "add", "--consultation", "kedainiai-2026", "--text", "Darbo klubas bedarbiams.", "--measure", "2.2",
		"--received", "2026-11-20T10:00")
	if !strings.Contains(out, "under 2.2 "+kedainiai22) {
		t.Errorf("add under 2.2 of Kėdainiai: %q", out)
	}
	ref := recordedRef.FindStringSubmatch(out)[1]
	if out := ok("submissions", "set-measure", ref, "KITA"); !strings.Contains(out, ref+" filed under other Kita (ne strategijos priemonė)") {
		t.Errorf("set-measure KITA: %q", out)
	}
	if r := run("submissions", "set-measure", ref, "6"); r.code != exitUsage ||
		!strings.Contains(r.stderr, `unknown measure code "6" (strategy kedainiai-2016 has: 1.1, 1.2, 2.1, 2.2, 3, 4, 5, other`) {
		t.Errorf("set-measure 6: exit %d %q", r.code, r.stderr)
	}
	if out := ok("submissions", "show", ref); !strings.Contains(out, "strategy         kedainiai-2016") {
		t.Errorf("submissions show lacks the strategy:\n%s", out)
	}
	ok("submissions", "set-measure", ref, "2.2")
	var rec map[string]any
	if err := json.Unmarshal([]byte(ok("submissions", "export", "--format", "json", "--consultation", "kedainiai-2026")), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["strategy"] != "kedainiai-2016" || rec["measure_title"] != kedainiai22 {
		t.Errorf("export: strategy %v, measure_title %v", rec["strategy"], rec["measure_title"])
	}
	if r := run("submissions", "list", "--consultation", "kedainiai-2026", "--measure", "9"); r.code != exitUsage {
		t.Errorf("list --measure 9 of kedainiai-2026: exit %d, want 2", r.code)
	}
}
