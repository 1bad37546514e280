package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/results"
	"github.com/vvgintake/vvgintake/privacy"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// A resident to erase and one to keep, with text, names and files no
// one else has, so the scans below find them only where they are.
const (
	onaAddr   = "ona.petraitiene@example.lt"
	onaName   = "Ona Petraitienė"
	onaPhrase = "Kvazarlinija: žydinčių obelų alėja prie Nemuno šlaito"
	jonasAddr = "jonas.jonaitis@example.lt"
	jonasText = "Siūlau Kvarcitovo gatvėje įrengti suoliukus ir apšvietimą senjorams."
)

// privacyMail is a resident's e-mail with one attachment.
func privacyMail(from, name, msgID, subject, body, extra string, attachment []byte) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s <%s>\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: %s\r\n%sMIME-Version: 1.0\r\n",
		mime.QEncoding.Encode("utf-8", name), from, ourMailbox, mime.QEncoding.Encode("utf-8", subject), msgID,
		time.Now().Format(time.RFC1123Z), extra)
	b.WriteString("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n\r\n" + name + "\r\n")
	if attachment != nil {
		b.WriteString("--b1\r\nContent-Type: application/pdf; name=\"planas.pdf\"\r\nContent-Disposition: attachment; filename=\"planas.pdf\"\r\n" +
			"Content-Transfer-Encoding: base64\r\n\r\n")
		enc := base64.StdEncoding.EncodeToString(attachment)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("--b1--\r\n")
	return []byte(b.String())
}

// uniqueBytes makes a file's content no other test data has.
func uniqueBytes(tag string, n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n% " + tag + "\n")
	for i := 0; b.Len() < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s-%d", tag, i)))
		b.Write(sum[:])
	}
	return b.Bytes()
}

var formTokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// postForm submits the web form as a browser does: the page for its
// cookie and token, then the fields and one file.
func postForm(t testing.TB, base, slug string, fields map[string]string, fileName string, file []byte) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: time.Minute}
	resp, err := client.Get(base + "/k/" + slug)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := formTokenRE.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no token on the form page:\n%s", page)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("token", string(m[1]))
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename=%q`, fileName))
	h.Set("Content-Type", "application/pdf")
	w, _ := mw.CreatePart(h)
	w.Write(file)
	mw.Close()
	resp, err = client.Post(base+"/k/"+slug, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("form post: %d\n%s", resp.StatusCode, out)
	}
	return string(out)
}

// cliOn runs a command in-process on cfg, the configuration the daemon
// runs with (its consultation moved around today).
func cliOn(t testing.TB, cfg *config.Config, environ []string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, environ: environ, cfg: cfg}
	code := e.main(context.Background(), append([]string{"-config", exampleConfig}, args...))
	return cliResult{out.String(), errb.String(), code}
}

// resultsTable is the consultation's results table (notify/results, as
// published) without the suggestions' texts and submitters, which an
// erasure takes: per row its reference, date, measure, decision and
// reason, then the decisions counted.
func resultsTable(t testing.TB, db *ledger.DB, cfg *config.Config, slug string) []string {
	t.Helper()
	tab, err := results.Build(context.Background(), db, slug, cfg.ResultsOptions())
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, r := range tab.Rows {
		rows = append(rows, fmt.Sprintf("%s %s measure=%s (%s) decision=%s (%s)", r.Ref, r.ReceivedAt.Format(time.RFC3339),
			r.MeasureCode, r.MeasureTitle, r.Decision, r.Reason))
	}
	return append(rows, fmt.Sprintf("accepted=%d partly=%d rejected=%d undecided=%d", tab.Accepted, tab.Partly, tab.Rejected, tab.Undecided))
}

// scanFiles reports which needles occur, byte for byte, in the files at
// paths and in every file under the directories among them.
func scanFiles(t testing.TB, paths []string, needles map[string][]byte) []string {
	t.Helper()
	var found []string
	check := func(p string) {
		b, err := os.ReadFile(p)
		if err != nil {
			if !os.IsNotExist(err) {
				t.Fatal(err)
			}
			return
		}
		for name, n := range needles {
			if bytes.Contains(b, n) {
				found = append(found, fmt.Sprintf("%s in %s", name, filepath.Base(p)))
			}
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err == nil && st.IsDir() {
			filepath.WalkDir(p, func(q string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					check(q)
				}
				return nil
			})
			continue
		}
		check(p)
	}
	slices.Sort(found)
	return found
}

// TestE2EErasePerson is the erasure a VVG is asked for. A resident sends
// two e-mails with attachments, a web-form suggestion with an upload and
// a reply to her acknowledgement; another resident writes too. `person
// export` gives her everything with its digests; `person erase` then
// leaves none of her address, name, words or files in the ledger file,
// its write-ahead log or the form's upload folder, and none of her
// messages in the mailbox, while the per-measure counts and the results
// table stay as they were. A second erasure changes nothing.
func TestE2EErasePerson(t *testing.T) {
	t.Parallel()
	intaketest.Each(t, func(t *testing.T, srv *intaketest.Server) {
		ctx := context.Background()
		smtp := startE2ESMTP(t)
		dir := t.TempDir()
		uploads := filepath.Join(dir, "uploads")
		if err := os.Mkdir(uploads, 0o700); err != nil {
			t.Fatal(err)
		}
		env := append(append(append(baseEnv(dir), imapEnv(srv.Addr, srv.User, srv.Password)...), smtp.env()...),
			"VVGINTAKE_FORM_ENABLED=true", "VVGINTAKE_FORM_MIN_FILL_SECONDS=0", "VVGINTAKE_NOTIFY_DIGEST_SCHEDULE=")
		adjust := openAroundNow(t)
		d := startE2EDaemon(t, env, DaemonOptions{Listener: e2eListen(t), FormUploadDir: uploads}, adjust)
		db := d.d.db
		const slug = "strategija-2026"
		e2eWait(t, 10*time.Second, "the consultation to open", func() bool {
			c, err := db.Consultation(ctx, slug)
			return err == nil && c.Status == ledger.StatusOpen
		})

		att1, att2, jonasAtt := uniqueBytes("ona-attachment-one", 6000), uniqueBytes("ona-attachment-two", 3000), uniqueBytes("jonas", 2000)
		upload := uniqueBytes("ona-upload", 4000)
		srv.Append(t, "INBOX", privacyMail(onaAddr, onaName, "ona.1@example.lt", "Obelų alėja",
			"Laba diena, siūlau: "+onaPhrase+".", "", att1), time.Now())
		srv.Append(t, "INBOX", privacyMail(jonasAddr, "Jonas Jonaitis", "jonas.1@example.lt", "Suoliukai", jonasText, "", jonasAtt), time.Now())
		srv.Append(t, "INBOX", privacyMail(onaAddr, onaName, "ona.2@example.lt", "Dar vienas pasiūlymas",
			"Ir dar: kursai senjorams. "+onaPhrase+".", "", att2), time.Now())
		d.d.poller.Kick()
		acks := smtp.wait(t, 3, 30*time.Second)
		postForm(t, d.url(""), slug, map[string]string{"name": onaName, "email": onaAddr, "consent": "on", "lang": "lt",
			"text": "Per formą: " + onaPhrase + ", su nuotrauka."}, "vieta.pdf", upload)

		var ack e2eMail
		for _, m := range acks {
			if slices.Contains(m.rcpt, onaAddr) {
				ack = m
				break
			}
		}
		ref := regexp.MustCompile(`VVG-\d{4}-\d{4}`).FindString(ack.subject)
		if ref == "" {
			t.Fatalf("no acknowledgement to Ona among %d mails", len(acks))
		}
		srv.Append(t, "INBOX", privacyMail(onaAddr, onaName, "ona.3@example.lt", "Re: ["+ref+"] "+ack.subject,
			"Ačiū. Dar pridedu: "+onaPhrase+".", "In-Reply-To: "+ack.get("Message-ID")+"\r\n", nil), time.Now())
		d.d.poller.Kick()
		e2eWait(t, 30*time.Second, "her reply to join her case", func() bool {
			s, err := db.Submission(ctx, ref)
			return err == nil && len(s.Followups) == 1
		})
		smtp.wait(t, 4, 30*time.Second) // the form's acknowledgement
		if _, err := db.Decide(ctx, ref, "accepted", "Įtraukta į 1.1 priemonę", "rasa"); err != nil {
			t.Fatal(err)
		}

		cfg, err := config.Load(exampleConfig, env)
		if err != nil {
			t.Fatal(err)
		}
		adjust(cfg)

		// Export: her three suggestions, three e-mails, three files and
		// the mail sent her, each file as its digest says.
		out := filepath.Join(dir, "ona.zip")
		if r := cliOn(t, cfg, env, "person", "export", onaAddr, "--out", out); r.code != 0 {
			t.Fatalf("person export: %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		checkExport(t, out, 3, 3, 3, 3, [][]byte{att1, att2, upload})
		if r := cliOn(t, cfg, env, "person", "export", onaAddr, "--out", out); r.code == 0 {
			t.Errorf("a second export to the same file succeeded; it must not overwrite")
		}

		counts, err := db.CountByMeasure(ctx, mustConsultation(t, db, slug).ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		table := resultsTable(t, db, cfg, slug)

		dry := cliOn(t, cfg, env, "person", "erase", onaAddr, "--dry-run")
		if dry.code != 0 || !strings.Contains(dry.stdout, "upload") || !strings.Contains(dry.stdout, "mailbox") {
			t.Errorf("person erase --dry-run: %d\n%s%s", dry.code, dry.stdout, dry.stderr)
		}
		if r := cliOn(t, cfg, env, "person", "erase", onaAddr); r.code != exitUsage {
			t.Errorf("person erase without --yes off a terminal: exit %d, want %d", r.code, exitUsage)
		}
		r := cliOn(t, cfg, env, "person", "erase", onaAddr, "--yes", "--actor", "rasa")
		if r.code != 0 || !strings.Contains(r.stdout, "deleted from the mailbox: 3 messages") {
			t.Fatalf("person erase: %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		t.Logf("person erase:\n%s", r.stdout)

		ledgerPath := filepath.Join(dir, "vvgintake.db")
		paths := []string{ledgerPath, ledgerPath + "-wal", uploads}
		needles := map[string][]byte{
			"address": []byte(onaAddr), "name": []byte("Petraitienė"), "ascii name": []byte("Petraitiene"),
			"phrase": []byte("žydinčių obelų alėja"), "nonce": []byte("Kvazarlinij"), "nonce term": []byte("kvazarlinij"),
			"attachment": att1[:200], "attachment (base64)": []byte(base64.StdEncoding.EncodeToString(att1[:57])),
			"second attachment": att2[:200], "upload": upload[:200],
		}
		if found := scanFiles(t, paths, needles); len(found) > 0 {
			t.Errorf("after the erasure her data is still in the files: %v", found)
		}
		if found := scanFiles(t, paths, map[string][]byte{"jonas": []byte("Kvarcitovo gatvėje")}); len(found) == 0 {
			t.Errorf("Jonas's text is not in the ledger file either: the scan proves nothing")
		}
		for _, m := range srv.Messages(t, "INBOX") {
			if bytes.Contains(m.Raw, []byte(onaAddr)) {
				t.Errorf("%s still holds her message uid %d", srv.Name, m.UID)
			}
		}
		if n := len(srv.Messages(t, "INBOX")); n != 1 {
			t.Errorf("%s INBOX has %d messages, want Jonas's only", srv.Name, n)
		}

		after, err := db.CountByMeasure(ctx, mustConsultation(t, db, slug).ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(after) != fmt.Sprint(counts) {
			t.Errorf("per-measure counts changed: %v → %v", counts, after)
		}
		if got := resultsTable(t, db, cfg, slug); !slices.Equal(got, table) {
			t.Errorf("results table changed:\n%s\n→\n%s", strings.Join(table, "\n"), strings.Join(got, "\n"))
		}
		tomb, err := db.Submission(ctx, ref)
		if err != nil || tomb.ErasedAt.IsZero() || tomb.SenderEmail != "" || tomb.Decision != "accepted" {
			t.Errorf("tombstone %s = %+v, %v", ref, tomb, err)
		}

		again := cliOn(t, cfg, env, "person", "erase", onaAddr, "--yes")
		if again.code != 0 || !strings.Contains(again.stdout, "erased on ") {
			t.Errorf("second person erase: %d\n%s%s", again.code, again.stdout, again.stderr)
		}
		find := cliOn(t, cfg, env, "person", "find", onaAddr, "--json")
		var p personJSON
		if err := json.Unmarshal([]byte(find.stdout), &p); err != nil || len(p.Records) != 0 || len(p.Erased) != 1 || !p.Erased[0].Finished {
			t.Errorf("person find after erasure: %v\n%s", err, find.stdout)
		}
		audit, _ := db.Audit(ctx, "", 0)
		for _, a := range audit {
			if strings.Contains(strings.ToLower(a.Target+a.Detail), "petraitien") {
				t.Errorf("audit entry names her: %+v", a)
			}
		}
	})
}

func mustConsultation(t testing.TB, db *ledger.DB, slug string) *ledger.Consultation {
	t.Helper()
	c, err := db.Consultation(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkExport opens an export and checks its manifest against its files:
// every file listed with the SHA-256 of its bytes, the counts, and the
// given contents among the attachments.
func checkExport(t *testing.T, path string, subs, msgs, atts, sent int, contents [][]byte) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = b
	}
	var m privacy.Manifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	if m.Format != privacy.ExportFormat || len(m.Submissions) != subs || len(m.Messages) != msgs || len(m.Attachments) != atts ||
		len(m.Sent) < sent {
		t.Errorf("manifest: format %s, %d suggestions, %d messages, %d attachments, %d sent; want %d, %d, %d, at least %d",
			m.Format, len(m.Submissions), len(m.Messages), len(m.Attachments), len(m.Sent), subs, msgs, atts, sent)
	}
	if len(m.Files) != len(files)-1 {
		t.Errorf("manifest lists %d files, the archive has %d besides it", len(m.Files), len(files)-1)
	}
	for _, f := range m.Files {
		sum := sha256.Sum256(files[f.Path])
		if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(files[f.Path])) != f.Size {
			t.Errorf("%s: manifest says %s (%d bytes), the file is %x (%d bytes)", f.Path, f.SHA256, f.Size, sum, len(files[f.Path]))
		}
	}
	for _, msg := range m.Messages {
		sum := sha256.Sum256(files[msg.File])
		if msg.File == "" || hex.EncodeToString(sum[:]) != msg.SHA256 {
			t.Errorf("message %d: file %q does not match its recorded digest", msg.ID, msg.File)
		}
	}
	for i, want := range contents {
		found := false
		for _, a := range m.Attachments {
			found = found || bytes.Equal(files[a.File], want)
		}
		if !found {
			t.Errorf("attachment %d is not in the export", i+1)
		}
	}
	for _, s := range m.Sent {
		if !bytes.Contains(files[s.File], []byte("Message-ID: <"+s.MessageID+">")) {
			t.Errorf("sent mail %s: file %q lacks its Message-ID", s.MessageID, s.File)
		}
	}
}

// TestE2EPersonByName: a suggestion taken by phone, with a name and no
// address, is found by the name and erased by its reference; one with an
// address must be erased by the address. With the built binary.
func TestE2EPersonByName(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	loc := c.config().Location()
	today := time.Now().In(loc)
	iso := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	c.ok("consultation", "create", "telefonu", "--title", "Telefonu", "--opens", iso(-5), "--closes", iso(5))
	c.ok("consultation", "open", "telefonu")
	out := c.ok("submissions", "add", "--consultation", "telefonu", "--name", "Aldona Žemaitienė",
		"--text", "Paskambino: siūlo Kvazarlinija suoliukus prie bažnyčios.")
	ref := recordedRef.FindStringSubmatch(out)[1]
	c.ok("submissions", "add", "--consultation", "telefonu", "--email", "kitas@example.lt", "--text", "Kitas pasiūlymas.")

	find := c.ok("person", "find", "zemaitiene aldona")
	if !strings.Contains(find, ref) || !strings.Contains(find, "Aldona Žemaitienė") {
		t.Fatalf("person find by name:\n%s", find)
	}
	if r := c.run("person", "erase", "VVG-"+strings.Split(ref, "-")[1]+"-2", "--yes"); r.code != exitUsage {
		t.Errorf("person erase of a case with an address by its REF: exit %d, want %d\n%s%s", r.code, exitUsage, r.stdout, r.stderr)
	}
	out = c.ok("person", "erase", ref, "--yes")
	if !strings.Contains(out, "erased from the ledger: 1 suggestion") {
		t.Errorf("person erase REF:\n%s", out)
	}
	show := c.ok("submissions", "show", ref)
	if strings.Contains(show, "Kvazarlinija") || strings.Contains(show, "Aldona") {
		t.Errorf("the case still shows her:\n%s", show)
	}
	if found := scanFiles(t, []string{c.dbPath(), c.dbPath() + "-wal"}, map[string][]byte{
		"name": []byte("Žemaitienė"), "text": []byte("Kvazarlinija"),
	}); len(found) > 0 {
		t.Errorf("the ledger's files still hold: %v", found)
	}
	if again := c.ok("person", "erase", ref, "--yes"); !strings.Contains(again, "erased on ") {
		t.Errorf("second erasure of the case:\n%s", again)
	}
}
