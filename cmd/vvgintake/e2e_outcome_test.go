package main

import (
	"bytes"
	"fmt"
	"mime"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/internal/vilnius"
)

// outcomeMail is one message a resident (or a responder) sends in the
// outcome test.
type outcomeMail struct {
	key, from, replyTo, msgID, refs, subject, body string
	auto                                           bool
}

func (m outcomeMail) raw() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: Aleksoto VVG <vvgaleksotas+pasiulymai@gmail.com>\r\n", m.from)
	if m.replyTo != "" {
		fmt.Fprintf(&b, "Reply-To: %s\r\n", m.replyTo)
	}
	fmt.Fprintf(&b, "Subject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\n", mime.QEncoding.Encode("utf-8", m.subject),
		time.Now().Format(time.RFC1123Z), m.msgID)
	if m.refs != "" {
		fmt.Fprintf(&b, "References: %s\r\nIn-Reply-To: %s\r\n", m.refs, m.refs)
	}
	if m.auto {
		b.WriteString("Auto-Submitted: auto-replied\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(m.body, "\n", "\r\n") + "\r\n")
	return []byte(b.String())
}

// outcomeMails are the residents of the outcome test: every person,
// address and number is made up.
var outcomeMails = []outcomeMail{
	{key: "ona", from: "Ona Petraitienė <ona.petraitiene@example.lt>", msgID: "ona-1@mail.example.lt", refs: "<root-ona@mail.example.lt>",
		subject: "Pasiūlymas dėl dienos centro",
		body:    "Laba diena,\n\nsiūlau įkurti dienos centrą senjorams Aleksote. Mano tel. +370 612 34567, gyvenu Vytauto g. 12-5.\n\nPagarbiai,\nOna Petraitienė"},
	{key: "jonas", from: "Jonas Kazlauskas <jonas.k@example.lt>", replyTo: "jonas.namai@example.org", msgID: "jonas-1@mail.example.lt",
		subject: "Dviračių takas", body: "Reikia dviračių tako palei Nemuną ir apšvietimo Veiverių gatvėje.\n\nJonas"},
	{key: "anna", from: "Anna Smith <anna.smith@example.com>", msgID: "anna-1@mail.example.com", subject: "Suggestion: youth club",
		body: "Hello, I would like to suggest a youth club with evening activities in Aleksotas.\n\nBest regards,\nAnna Smith"},
	{key: "rasa", from: "Rasa <rasa@example.lt>", msgID: "rasa-1@mail.example.lt", subject: "Kursai bedarbiams",
		body: "Siūlau kompiuterinio raštingumo kursus bedarbiams bibliotekoje, 40 valandų."},
	{key: "rasa-again", from: "Rasa <rasa@example.lt>", msgID: "rasa-2@mail.example.lt", subject: "Kursai bedarbiams (dar kartą)",
		body: "Dar kartą siunčiu: siūlau kompiuterinio raštingumo kursus bedarbiams bibliotekoje."},
	{key: "petras", from: "Petras <petras@example.lt>", msgID: "petras-1@mail.example.lt", subject: "Pasiūlymas",
		body: "Siūlau daugiau renginių jaunimui vasarą."},
	{key: "ooo", from: "Atostogos <atostogos@example.net>", msgID: "ooo-1@example.net", subject: "Automatinis atsakymas: nesu biure",
		body: "Esu atostogose iki sausio 10 d. Į Jūsų laišką atsakysiu grįžusi.", auto: true},
}

// openOutcomeCLI is how the outcome tests start: a CLI reading srv's
// mailbox and sending through a test SMTP server, with the consultation
// "pasiulymai" opened three days ago and closing in five.
func openOutcomeCLI(t *testing.T, srv *intaketest.Server) (*e2eCLI, *e2eSMTP) {
	t.Helper()
	loc, _ := vilnius.Location()
	day := func(n int) string { return time.Now().In(loc).AddDate(0, 0, n).Format("2006-01-02") }
	smtp := startE2ESMTP(t)
	c := newE2ECLI(t, append(imapEnv(srv.Addr, srv.User, srv.Password), smtp.env()...)...)
	c.ok("consultation", "create", "pasiulymai", "--title", "Pasiūlymai strategijai", "--opens", day(-3), "--closes", day(5))
	c.ok("consultation", "open", "pasiulymai")
	return c, smtp
}

// TestE2EOutcome runs a consultation from the first mail to its published
// results on the IMAP server and the SMTP server (Dovecot and Mailpit
// with VVGINTAKE_TEST_REAL=1): residents write, are acknowledged, an
// out-of-office message arrives, one case is withdrawn as spam and one
// merged as a duplicate, a phone suggestion has no address, staff decide
// and publish. Every resident with an address gets exactly one decision
// letter, threaded to their mail, none goes to the responder or the
// withdrawn cases, a second run sends nothing again, and the published
// PDF's extracted text has every reference and no resident's address.
func TestE2EOutcome(t *testing.T) {
	t.Parallel()
	for _, srv := range intaketest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			t.Parallel()
			c, smtp := openOutcomeCLI(t, srv)
			for _, m := range outcomeMails {
				srv.Append(t, "INBOX", m.raw(), time.Now())
			}
			c.ok("run", "--once")
			refs := map[string]string{}
			for _, m := range c.messages() {
				for _, om := range outcomeMails {
					if strings.Contains(m.MessageID, om.msgID) && m.Ref != "" {
						refs[om.key] = m.Ref
					}
				}
			}
			if refs["ooo"] != "" || len(refs) != 6 {
				t.Fatalf("cases = %v; want six, none for the out-of-office message", refs)
			}
			acks := smtp.wait(t, 6, 30*time.Second)
			phone := recordedRef.FindStringSubmatch(c.ok("submissions", "add", "--consultation", "pasiulymai",
				"--text", "Telefonu: reikia suoliukų prie Nemuno, skambino Jonas Jonaitis, tel. 8 686 12345."))[1]

			c.ok("submissions", "withdraw", refs["petras"], "--reason", "spam")
			c.ok("submissions", "merge", refs["rasa-again"], refs["rasa"])
			c.ok("consultation", "close", "pasiulymai")
			counting := []string{refs["ona"], refs["jonas"], refs["anna"], refs["rasa"], phone}
			if st := c.ok("consultation", "decide-status", "pasiulymai"); !strings.Contains(st, "not publishable: 5 suggestions have no decision yet") {
				t.Errorf("decide-status before deciding:\n%s", st)
			}
			for i, ref := range counting {
				word := []string{"atsižvelgta", "iš dalies atsižvelgta", "neatsižvelgta"}[i%3]
				c.ok("submissions", "decide", ref, word, "--reason", "Valdybos sprendimas Nr. "+fmt.Sprint(i+1)+": pasiūlymas svarstytas pagal 2.1 priemonę.")
			}
			st := strings.Join(strings.Fields(c.ok("consultation", "decide-status", "pasiulymai")), " ")
			for _, want := range []string{"status decided", "4 to residents with an address", "1 without one",
				phone + " no letter: no e-mail address", "consultation publish pasiulymai --dry-run"} {
				if !strings.Contains(st, want) {
					t.Errorf("decide-status lacks %q:\n%s", want, st)
				}
			}

			// The last look: every letter as .eml, the table.
			preview := filepath.Join(c.dir, "preview")
			c.ok("consultation", "publish", "pasiulymai", "--dry-run", "--out", preview)
			emls, _ := filepath.Glob(filepath.Join(preview, "*.eml"))
			if len(emls) != 4 {
				t.Errorf("dry run wrote %d letters, want 4: %v", len(emls), emls)
			}
			if _, err := os.Stat(filepath.Join(preview, "pasiulymai-rezultatai.pdf")); err != nil {
				t.Errorf("dry run: %v", err)
			}
			if got := len(smtp.all(t)); got != len(acks) {
				t.Errorf("after the dry run: %d mails, want still the %d acknowledgements", got, len(acks))
			}

			out := c.ok("consultation", "publish", "pasiulymai")
			if !strings.Contains(out, "4 decision letter(s) queued") || !strings.Contains(out, "1 suggestion(s) without an address") {
				t.Errorf("publish: %s", out)
			}
			c.ok("run", "--once")
			all := smtp.wait(t, len(acks)+1+4+1, 30*time.Second) // the closing report, the letters, the results report
			c.ok("run", "--once")                                // nothing goes twice
			time.Sleep(500 * time.Millisecond)
			if again := smtp.all(t); len(again) != len(all) {
				t.Errorf("a second run sent %d more mails", len(again)-len(all))
			}

			want := map[string]outcomeMail{} // ref → the mail it answers
			for _, m := range outcomeMails {
				if slices.Contains(counting, refs[m.key]) {
					want[refs[m.key]] = m
				}
			}
			letters := map[string]int{}
			for _, m := range all {
				for _, r := range m.rcpt {
					if strings.Contains(strings.ToLower(r), "atostogos@") {
						t.Errorf("mail to the out-of-office responder: %q", m.subject)
					}
				}
				ref, ok := strings.CutPrefix(m.subject, "[")
				if !ok || (!strings.Contains(m.subject, "Sprendimas dėl Jūsų pasiūlymo") && !strings.Contains(m.subject, "Decision on your suggestion")) {
					continue
				}
				ref = ref[:strings.IndexByte(ref, ']')]
				letters[ref]++
				om, ok := want[ref]
				if !ok {
					t.Errorf("decision letter for %s, which is withdrawn or has no address", ref)
					continue
				}
				to := strings.ToLower(om.from[strings.Index(om.from, "<")+1 : len(om.from)-1])
				if om.replyTo != "" {
					to = om.replyTo
				}
				if len(m.rcpt) != 1 || !strings.EqualFold(m.rcpt[0], to) {
					t.Errorf("%s: letter to %v, want %s", ref, m.rcpt, to)
				}
				if got := m.get("In-Reply-To"); got != "<"+om.msgID+">" {
					t.Errorf("%s: In-Reply-To %q, want <%s>", ref, got, om.msgID)
				}
				if refsHdr := strings.Fields(m.get("References")); len(refsHdr) == 0 || refsHdr[len(refsHdr)-1] != "<"+om.msgID+">" ||
					(om.refs != "" && refsHdr[0] != om.refs) {
					t.Errorf("%s: References %q", ref, m.get("References"))
				}
				if got := m.get("Auto-Submitted"); got != "auto-generated" {
					t.Errorf("%s: Auto-Submitted %q, want auto-generated", ref, got)
				}
				if !strings.Contains(m.text, "Valdybos sprendimas Nr.") || !strings.Contains(m.text, "https://www.aleksotovvg.lt/konsultacijos/rezultatai") {
					t.Errorf("%s: letter text:\n%s", ref, m.text)
				}
			}
			for ref := range want {
				if letters[ref] != 1 {
					t.Errorf("%s: %d decision letters, want exactly 1", ref, letters[ref])
				}
			}
			if len(letters) != 4 {
				t.Errorf("decision letters for %v, want the four residents with an address", letters)
			}
			report := false
			for _, m := range all {
				if strings.HasPrefix(m.subject, "Konsultacijos rezultatai paskelbti") && strings.Contains(string(m.raw), "pasiulymai-rezultatai.pdf") {
					report = true
				}
			}
			if !report {
				t.Error("no results report with the table attached")
			}
			if st := strings.Join(strings.Fields(c.ok("consultation", "decide-status", "pasiulymai")), " "); !strings.Contains(st, "0 queued, 4 sent, 0 failed") ||
				!strings.Contains(st, "answered 5 of 5") {
				t.Errorf("decide-status after sending:\n%s", st)
			}

			// The published table, in every format; the PDF read back.
			dir := filepath.Join(c.dir, "lentele")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"html", "pdf", "xlsx", "csv"} {
				c.ok("consultation", "results", "pasiulymai", "--format", f, "--out", filepath.Join(dir, "rezultatai."+f))
			}
			pdf := filepath.Join(dir, "rezultatai.pdf")
			text := e2ePDFText(t, pdf)
			if text == "" {
				return
			}
			flat := strings.Join(strings.Fields(text), " ")
			for _, ref := range counting {
				if !strings.Contains(text, ref) {
					t.Errorf("the PDF lacks %s", ref)
				}
			}
			for _, ref := range []string{refs["petras"], refs["rasa-again"]} {
				if strings.Contains(text, ref) {
					t.Errorf("the PDF has the withdrawn %s", ref)
				}
			}
			for _, p := range []string{"@", "ona.petraitiene", "jonas.namai", "anna.smith", "rasa@", "Petraitienė", "+370 612 34567",
				"Vytauto g. 12-5", "8 686 12345", "Jonaitis"} {
				if strings.Contains(flat, p) {
					t.Errorf("the PDF shows %q", p)
				}
			}
			for _, w := range []string{"Pasiūlymų vertinimo lentelė", "iš dalies atsižvelgta", "neatsižvelgta", "Valdybos sprendimas Nr. 1"} {
				if !strings.Contains(flat, w) {
					t.Errorf("the PDF lacks %q", w)
				}
			}
			png := filepath.Join(intaketest.Artifacts(t), "e2e-results-"+srv.Name)
			if out, err := exec.Command("pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdf, png).CombinedOutput(); err != nil {
				t.Errorf("pdftoppm: %v: %s", err, out)
			}
		})
	}
}

// e2ePDFText extracts a PDF's text with pdftotext (poppler-utils); ""
// when it is not installed and real servers were not asked for.
func e2ePDFText(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if intaketest.Real() {
			t.Fatalf("pdftotext not found; install it: apt-get install -y poppler-utils")
		}
		t.Logf("pdftotext not found: the PDF is not read back (set %s=1 to make this a failure)", intaketest.RealEnv)
		return ""
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(bin, "-enc", "UTF-8", path, "-")
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, errOut.String())
	}
	return out.String()
}
