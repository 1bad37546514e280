package main

import (
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// campaignMail is resident i's copy of a campaign letter, edited the way
// residents edit: a greeting of their own, a sentence added now and then,
// their name. Every person and address is made up.
func campaignMail(i int) outcomeMail {
	greeting := []string{"Laba diena,", "Sveiki,", "Gerbiamieji,"}[i%3]
	own := ""
	if i%2 == 1 {
		own = "\nMano kaimynė irgi laukia tokio centro."
	}
	m := outcomeMail{
		key: fmt.Sprintf("copy%d", i), from: fmt.Sprintf("Gyventoja %d <gyventoja%d@example.lt>", i, i),
		msgID: fmt.Sprintf("campaign-%d@mail.example.lt", i), subject: "Dėl senjorų dienos centro",
		body: greeting + "\nMes, Aleksoto gyventojai, kreipiamės dėl vietos plėtros strategijos. Mūsų seniūnijoje gyvena " +
			"daugiau kaip du tūkstančiai vyresnių nei 70 metų žmonių, o dienos centro, kur jie galėtų praleisti laiką, nėra.\n\n" +
			"Prašome į strategiją įtraukti senjorų dienos centro Aleksote įkūrimą. Centre turėtų vykti mankšta, rankdarbiai, " +
			"paskaitos apie sveikatą ir bendravimas prie arbatos puodelio." + own + "\n\n" +
			"Tikimės, kad mūsų balsas bus išgirstas.\n\nPagarbiai,\n" + fmt.Sprintf("Gyventoja %d", i),
	}
	if i == 2 {
		m.replyTo = "gyventoja2.namai@example.org"
	}
	return m
}

// TestE2EGroupDecision runs a campaign through the whole pipeline on the
// IMAP and SMTP servers (Dovecot and Mailpit with VVGINTAKE_TEST_REAL=1):
// five residents send copies of one letter (one of them twice, the same
// message delivered again), a sixth copy is taken by phone without an
// address, and two residents write letters of their own. The copies are
// linked at intake; `themes --json` lists them as one group and one
// theme; staff decide the group with one command; after publication
// each resident with an address gets exactly one decision letter, about
// their own suggestion, threaded to their own mail.
func TestE2EGroupDecision(t *testing.T) {
	t.Parallel()
	for _, srv := range intaketest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			t.Parallel()
			c, smtp := openOutcomeCLI(t, srv)
			mails := []outcomeMail{}
			for i := range 5 {
				mails = append(mails, campaignMail(i))
			}
			mails = append(mails,
				outcomeMail{key: "jonas", from: "Jonas <jonas.k@example.lt>", msgID: "jonas-1@mail.example.lt", subject: "Dviračių takas",
					body: "Reikia dviračių tako palei Nemuną ir apšvietimo Veiverių gatvėje.\n\nJonas"},
				outcomeMail{key: "rasa", from: "Rasa <rasa@example.lt>", msgID: "rasa-1@mail.example.lt", subject: "Kursai bedarbiams",
					body: "Siūlau kompiuterinio raštingumo kursus bedarbiams bibliotekoje, 40 valandų."})
			var twice []byte
			for i, m := range mails {
				raw := m.raw()
				if i == 1 {
					twice = raw
				}
				srv.Append(t, "INBOX", raw, time.Now())
			}
			srv.Append(t, "INBOX", twice, time.Now()) // the same message delivered again
			c.ok("run", "--once")
			refs := map[string]string{}
			for _, m := range c.messages() {
				for _, om := range mails {
					if strings.Contains(m.MessageID, om.msgID) && m.Ref != "" {
						refs[om.key] = m.Ref
					}
				}
			}
			if len(refs) != 7 {
				t.Fatalf("cases = %v; want seven", refs)
			}
			acks := smtp.wait(t, 7, 30*time.Second)
			phone := recordedRef.FindStringSubmatch(c.ok("submissions", "add", "--consultation", "pasiulymai", "--text",
				"Telefonu: prašome į strategiją įtraukti senjorų dienos centro Aleksote įkūrimą. Mūsų seniūnijoje gyvena daugiau kaip "+
					"du tūkstančiai vyresnių nei 70 metų žmonių, o dienos centro, kur jie galėtų praleisti laiką, nėra. Centre "+
					"turėtų vykti mankšta, rankdarbiai, paskaitos apie sveikatą ir bendravimas prie arbatos puodelio."))[1]
			copies := []string{refs["copy0"], refs["copy1"], refs["copy2"], refs["copy3"], refs["copy4"], phone}

			// Grouped at intake: one group of the six, one theme with them.
			var out themesJSON
			if err := json.Unmarshal([]byte(c.ok("themes", "pasiulymai", "--json")), &out); err != nil {
				t.Fatal(err)
			}
			if len(out.Groups) != 1 || out.Groups[0].Root != copies[0] || !slices.Equal(out.Groups[0].Refs, copies) {
				t.Fatalf("groups = %+v, want one of %v rooted at the first", out.Groups, copies)
			}
			var campaignTheme *themeJSON
			for i, th := range out.Themes {
				if slices.Contains(th.Refs, copies[0]) {
					campaignTheme = &out.Themes[i]
				}
			}
			if campaignTheme == nil || campaignTheme.Count < 6 || campaignTheme.Label == "" {
				t.Errorf("campaign theme = %+v, want the six copies under a label", campaignTheme)
			}
			if text := c.ok("themes", "pasiulymai"); !strings.Contains(text, copies[0]+" ["+strings.Join(copies[1:], " ")+"]") {
				t.Errorf("themes: the copies are not shown after their letter:\n%s", text)
			}
			// The board's digest lists the campaign's theme with its count.
			preview := filepath.Join(c.dir, "digest")
			c.ok("digest", "--dry-run", "--out", preview)
			if html, err := os.ReadFile(filepath.Join(preview, "digest.html")); err != nil {
				t.Error(err)
			} else if campaignTheme != nil && !strings.Contains(string(html), htmltemplate.HTMLEscapeString(campaignTheme.Label)+" – <strong>"+fmt.Sprint(campaignTheme.Count)+"</strong>") {
				t.Errorf("digest lacks the theme %q (%d):\n%s", campaignTheme.Label, campaignTheme.Count, html)
			}
			if show := c.ok("submissions", "show", copies[3]); !strings.Contains(show, "a copy of "+copies[0]) {
				t.Errorf("submissions show %s does not name its group:\n%s", copies[3], show)
			}

			c.ok("consultation", "close", "pasiulymai")
			decided := c.ok("submissions", "decide", copies[2], "iš dalies atsižvelgta", "--group",
				"--reason", "Senjorų dienos centras įtrauktas į 1.1 priemonę; vieta bus parinkta kartu su seniūnija.")
			if !strings.Contains(decided, "6 suggestion(s) of the group decided") {
				t.Errorf("decide --group:\n%s", decided)
			}
			c.ok("submissions", "decide", refs["jonas"], "neatsižvelgta", "--reason", "Ne VVG strategijos sritis.")
			c.ok("submissions", "decide", refs["rasa"], "atsižvelgta", "--reason", "Įtraukta į 2.1 priemonę.")
			if st := strings.Join(strings.Fields(c.ok("consultation", "decide-status", "pasiulymai")), " "); !strings.Contains(st, "status decided") ||
				!strings.Contains(st, "7 to residents with an address") {
				t.Errorf("decide-status:\n%s", st)
			}
			c.ok("consultation", "publish", "pasiulymai")
			c.ok("run", "--once")
			all := smtp.wait(t, len(acks)+1+7+1, 30*time.Second) // the closing report, the letters, the results report
			c.ok("run", "--once")
			time.Sleep(500 * time.Millisecond)
			if again := smtp.all(t); len(again) != len(all) {
				t.Errorf("a second run sent %d more mails", len(again)-len(all))
			}

			// Exactly one letter per resident, about their own suggestion.
			perResident := map[string][]string{} // address → refs of the letters to it
			for _, m := range all {
				if !strings.Contains(m.subject, "Sprendimas dėl Jūsų pasiūlymo") {
					continue
				}
				ref := m.subject[1:strings.IndexByte(m.subject, ']')]
				for _, r := range m.rcpt {
					perResident[strings.ToLower(r)] = append(perResident[strings.ToLower(r)], ref)
				}
				if strings.Contains(m.subject, "copy") {
					t.Errorf("letter subject %q", m.subject)
				}
			}
			for _, om := range mails {
				to := strings.ToLower(om.from[strings.Index(om.from, "<")+1 : len(om.from)-1])
				if om.replyTo != "" {
					to = om.replyTo
				}
				got := perResident[to]
				if len(got) != 1 || got[0] != refs[om.key] {
					t.Errorf("%s: decision letters %v, want exactly one about %s", to, got, refs[om.key])
					continue
				}
				for _, m := range all {
					if strings.HasPrefix(m.subject, "["+refs[om.key]+"]") && strings.Contains(m.subject, "Sprendimas") {
						if m.get("In-Reply-To") != "<"+om.msgID+">" {
							t.Errorf("%s: In-Reply-To %q, want its own mail <%s>", refs[om.key], m.get("In-Reply-To"), om.msgID)
						}
						if strings.HasPrefix(om.key, "copy") && !strings.Contains(m.text, "Senjorų dienos centras įtrauktas") {
							t.Errorf("%s: the letter lacks the group's reason:\n%s", refs[om.key], m.text)
						}
					}
				}
			}
			if len(perResident) != len(mails) {
				t.Errorf("letters went to %d addresses, want %d: %v", len(perResident), len(mails), perResident)
			}
		})
	}
}
