package ledger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// eraseFixture is a ledger with one resident to erase (Ona: two e-mails
// with attachments, a reply, a form submission with an upload, a note,
// a decision, a withdrawal whose reason names her) and one to keep (Jonas,
// whose upload has the same bytes as one of Ona's e-mail attachments).
type eraseFixture struct {
	db                   *DB
	path                 string
	c                    *Consultation
	onaRefs              []string
	jonasRef             string
	onaAttachment        []byte // unique to Ona
	sharedAttachment     []byte // Ona's e-mail and Jonas's upload
	onaPhrase, jonasText string
}

const (
	onaAddr = "Ona.Petraitiene@Example.lt"
	onaName = "Ona Petraitienė"
)

func newEraseFixture(t *testing.T) *eraseFixture {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	f := &eraseFixture{db: openTest(t, clock)}
	f.path = filepath.Join(f.db.dir, "ledger.db")
	f.c = newConsultation(t, f.db, "s")
	f.onaAttachment = bytes.Repeat([]byte("ONA-ONLY-PDF-BYTES-7731 "), 400)
	f.sharedAttachment = bytes.Repeat([]byte("SHARED-LEAFLET-BYTES-5519 "), 300)
	f.onaPhrase = "žydinčių obelų alėja prie Nemuno šlaito"
	f.jonasText = "Pritariu kaimynei: reikia dienos centro senjorams."
	onaLow := strings.ToLower(onaAddr)

	// Ona's first e-mail: an attachment stored apart (before schema 4).
	in := inbound(f.c, 1, "From: Ona Petraitienė <"+onaAddr+">\r\n\r\n"+f.onaPhrase, "<ona-1@example.lt>", onaLow, f.onaPhrase)
	in.FromName = onaName
	in.Submission.SenderName, in.Submission.SenderEmail = onaName, onaLow
	in.Submission.Subject = "Obelų alėja"
	in.Submission.Class = Classification{Measure: "2.1", Confidence: 0.7, Evidence: []string{"obelų"}}
	in.Attachments = []NewAttachment{{Filename: "Ona_Petraitiene_planas.pdf", ContentType: "application/pdf", Data: f.onaAttachment}}
	r1 := mustIngest(t, f.db, in)
	// Her second e-mail: an attachment read from the raw message (schema 4).
	raw2 := "From: " + onaAddr + "\r\n\r\nAntras laiškas apie " + f.onaPhrase + "\r\n" + string(f.sharedAttachment)
	in = inbound(f.c, 2, raw2, "<ona-2@example.lt>", onaLow, "Antras laiškas: "+f.onaPhrase)
	in.Submission.SenderName, in.Submission.SenderEmail = onaName, onaLow
	in.Submission.Class = Classification{Measure: "1.1", Confidence: 0.6}
	sum := sha256.Sum256(f.sharedAttachment)
	in.Attachments = []NewAttachment{{Filename: "lankstinukas.pdf", ContentType: "application/pdf",
		SHA256: hex.EncodeToString(sum[:]), Size: int64(len(f.sharedAttachment))}}
	r2 := mustIngest(t, f.db, in)
	// Her reply to the acknowledgement joins the first case.
	reply := inbound(f.c, 3, "From: "+onaAddr+"\r\n\r\nDar priedas: "+f.onaPhrase, "<ona-3@example.lt>", onaLow, "Dar priedas")
	reply.Disposition, reply.Submission, reply.JoinSubmission = "reply", nil, 1
	reply.Attachments = nil
	mustIngest(t, f.db, reply)
	// Her form submission with an upload.
	up := filepath.Join(t.TempDir(), "upload")
	upload := []byte("ONA-FORM-UPLOAD-BYTES-4410 " + f.onaPhrase)
	if err := os.WriteFile(up, upload, 0o600); err != nil {
		t.Fatal(err)
	}
	usum := sha256.Sum256(upload)
	s3, err := f.db.AddSubmission(ctx, &NewSubmission{ConsultationID: f.c.ID, Source: SourceForm, SenderName: onaName,
		SenderEmail: onaLow, Text: "Per formą: " + f.onaPhrase, ResidentMeasure: "2.1",
		Class: Classification{Measure: "2.1", Confidence: 0.8, Evidence: []string{"obelų", "alėja"}},
		Attachments: []NewAttachment{{Filename: "nuotrauka.jpg", ContentType: "image/jpeg", Size: int64(len(upload)),
			SHA256: hex.EncodeToString(usum[:]), Open: func() (io.ReadCloser, error) { return os.Open(up) }}},
		Ack: &AckRequest{To: onaLow}})
	if err != nil {
		t.Fatal(err)
	}
	f.onaRefs = []string{r1.Ref, r2.Ref, s3.Ref}
	if err := f.db.AddNote(ctx, r1.Ref, "Ona Petraitienė skambino, patikslino vietą", "rasa"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Decide(ctx, r1.Ref, "accepted", "Įtraukta į 2.1 priemonę", "rasa"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Withdraw(ctx, r2.Ref, "dubliuoja "+r1.Ref+" (Ona Petraitienė)", "rasa"); err != nil {
		t.Fatal(err)
	}

	// Jonas: his own case, the shared bytes as his upload, naming Ona.
	js, err := f.db.AddSubmission(ctx, &NewSubmission{ConsultationID: f.c.ID, Source: SourceForm, SenderName: "Jonas Jonaitis",
		SenderEmail: "jonas@example.lt", Text: f.jonasText, Class: Classification{Measure: "1.1", Confidence: 0.9},
		Attachments: []NewAttachment{{Filename: "lankstinukas.pdf", ContentType: "application/pdf", Data: f.sharedAttachment}}})
	if err != nil {
		t.Fatal(err)
	}
	f.jonasRef = js.Ref
	return f
}

// fileHas reports which of needles occur in the ledger's file or its
// write-ahead log, byte for byte.
func fileHas(t *testing.T, path string, needles map[string][]byte) []string {
	t.Helper()
	var found []string
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for name, n := range needles {
			if bytes.Contains(b, n) {
				found = append(found, name+" in "+filepath.Base(p))
			}
		}
	}
	return found
}

func TestEraseAddress(t *testing.T) {
	ctx := context.Background()
	f := newEraseFixture(t)
	db := f.db
	// What the results count, before and after: an erasure leaves it.
	count := func() (map[string]int, ConsultationTotals) {
		t.Helper()
		byMeasure, err := db.CountByMeasure(ctx, f.c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		totals, err := db.Totals(ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return byMeasure, totals
	}
	before, totals := count()

	p, err := db.FindPerson(ctx, onaAddr)
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[string]int{RecordSubmission: 3, RecordMessage: 3, RecordMailbox: 3, RecordAttachment: 2,
		RecordUpload: 1, RecordSent: 3, RecordNote: 1, RecordClassification: 1, RecordAudit: 3} {
		if got := p.Count(kind); got != want {
			t.Errorf("find %s: %d records, want %d\n%+v", kind, got, want, p.Records)
		}
	}

	e, counts, err := db.EraseAddress(ctx, onaAddr, "rasa", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := ErasureCounts{Submissions: 3, Messages: 3, Raw: 3, Attachments: 3, Sent: 3, Notes: 1, Copies: 3, AuditBlanked: 1}
	if counts != want {
		t.Errorf("erase counts = %+v, want %+v", counts, want)
	}
	if e.Done() || e.Copies != 3 {
		t.Errorf("erasure = %+v, want unfinished with 3 mailbox copies", e)
	}
	if err := db.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	needles := map[string][]byte{
		"address": []byte("ona.petraitiene@example.lt"), "Address": []byte(onaAddr), "name": []byte("Petraitienė"),
		"phrase": []byte("obelų alėja"), "attachment": f.onaAttachment[:200], "upload": []byte("ONA-FORM-UPLOAD-BYTES-4410"),
		"attachment name": []byte("Ona_Petraitiene_planas"),
	}
	if found := fileHas(t, f.path, needles); len(found) > 0 {
		t.Errorf("after erasure the ledger still holds: %v", found)
	}

	after, totalsAfter := count()
	if !equalCounts(before, after) || totals.Total != totalsAfter.Total || totals.Decided != totalsAfter.Decided ||
		totals.Late != totalsAfter.Late {
		t.Errorf("counts changed: %v %+v → %v %+v", before, totals, after, totalsAfter)
	}
	tomb, err := db.Submission(ctx, f.onaRefs[0])
	if err != nil {
		t.Fatal(err)
	}
	if tomb.SenderEmail != "" || tomb.SenderName != "" || tomb.Text != "" || tomb.Subject != "" || len(tomb.Attachments) != 0 ||
		tomb.Decision != "accepted" || tomb.Measure == "" || tomb.ReceivedAt.IsZero() || tomb.ErasedAt.IsZero() {
		t.Errorf("tombstone = %+v", tomb)
	}

	// Jonas keeps everything, his upload's bytes included (shared with
	// Ona's attachment), and his text naming Ona (a mention).
	js, err := db.Submission(ctx, f.jonasRef)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.blob(ctx, js.Attachments[0].SHA256)
	if err != nil || !bytes.Equal(got, f.sharedAttachment) || js.Text != f.jonasText || js.SenderEmail != "jonas@example.lt" {
		t.Errorf("Jonas's case after Ona's erasure: %+v, attachment %d bytes, %v", js, len(got), err)
	}

	// The audit log has the keyed hash, never the address.
	es, err := db.Audit(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var erased bool
	for _, a := range es {
		if mentions(a.Target+" "+a.Detail, []string{onaAddr}, []string{onaName}) {
			t.Errorf("audit entry still names her: %+v", a)
		}
		erased = erased || a.Action == "person.erase" && strings.HasPrefix(a.Target, "person:") && len(a.Target) == 7+64
	}
	if !erased {
		t.Errorf("no person.erase entry with the keyed hash: %+v", es)
	}

	// A second erasure continues the unfinished one and finds nothing new.
	e2, counts, err := db.EraseAddress(ctx, strings.ToUpper(onaAddr), "rasa", nil)
	if err != nil || e2.ID != e.ID || !counts.Zero() {
		t.Fatalf("second erasure = %+v, %+v, %v; want the same erasure, nothing more", e2, counts, err)
	}
	copies, err := db.ErasureCopies(ctx, e.ID)
	if err != nil || len(copies) != 3 || copies[0].UID != 1 || copies[0].Folder != "INBOX" || copies[0].MessageID != "<ona-1@example.lt>" {
		t.Fatalf("copies = %+v, %v", copies, err)
	}
	if err := db.CopiesDeleted(ctx, e.ID, "3 deleted"); err != nil {
		t.Fatal(err)
	}
	if err := db.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.ErasureCompacted(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	if e, err = db.ErasureByID(ctx, e.ID); err != nil || !e.Done() || e.Copies != 0 {
		t.Fatalf("erasure after the mailbox = %+v, %v", e, err)
	}
	if _, _, err := db.EraseAddress(ctx, onaAddr, "rasa", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("third erasure: %v, want ErrNotFound", err)
	}
	if prev, err := db.ErasuresOf(ctx, onaAddr); err != nil || len(prev) != 1 || prev[0].ID != e.ID {
		t.Errorf("erasures of the address = %+v, %v", prev, err)
	}
	if p, err := db.FindPerson(ctx, onaAddr); err != nil || len(p.Records) != 0 {
		t.Errorf("find after erasure = %+v, %v", p, err)
	}
	if found := fileHas(t, f.path, map[string][]byte{"message-id": []byte("ona-1@example.lt")}); len(found) > 0 {
		t.Errorf("after the mailbox part the ledger still holds: %v", found)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestEraseKeepsContentOthersNeed: an upload recorded before the privacy
// migration with the same bytes as an e-mail attachment was read from
// that e-mail; erasing the e-mail's sender keeps the upload's content,
// decoded by the extractor before the e-mail goes.
func TestEraseKeepsContentOthersNeed(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	c := newConsultation(t, db, "s")
	leaflet := bytes.Repeat([]byte("LEAFLET "), 100)
	sum := sha256.Sum256(leaflet)
	sha := hex.EncodeToString(sum[:])
	in := inbound(c, 1, "raw with the leaflet inside", "<o@x>", "ona@example.lt", "Siūlau")
	in.Attachments = []NewAttachment{{Filename: "l.pdf", SHA256: sha, Size: int64(len(leaflet))}}
	mustIngest(t, db, in)
	p, err := db.AddSubmission(ctx, &NewSubmission{ConsultationID: c.ID, Source: SourceStaff, SenderEmail: "petras@example.lt", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	// As an older vvgintake recorded it: a row naming the digest only.
	if _, err := db.w.ExecContext(ctx, `INSERT INTO attachments (submission_id, filename, content_type, size, sha256)
		VALUES (?, 'l.pdf', 'application/pdf', ?, ?)`, p.ID, len(leaflet), sha); err != nil {
		t.Fatal(err)
	}
	var asked []string
	extract := func(ctx context.Context, s string, w io.Writer) (int64, error) {
		asked = append(asked, s)
		n, err := w.Write(leaflet)
		return int64(n), err
	}
	if _, _, err := db.EraseAddress(ctx, "ona@example.lt", "t", extract); err != nil {
		t.Fatal(err)
	}
	got, err := db.blob(ctx, sha)
	if err != nil || !bytes.Equal(got, leaflet) || len(asked) != 1 {
		t.Errorf("Petras's attachment after Ona's erasure: %d bytes, %v (extractor asked for %v)", len(got), err, asked)
	}
}

// TestFindPerson finds a person by address, name (folded, any order) and
// reference, and lists another person's suggestion naming them as a
// mention that erasure leaves.
func TestFindPerson(t *testing.T) {
	ctx := context.Background()
	f := newEraseFixture(t)
	if _, err := f.db.AddSubmission(ctx, &NewSubmission{ConsultationID: f.c.ID, Source: SourceForm, SenderEmail: "p@example.lt",
		Text: "Kaip siūlė Ona Petraitienė, reikia obelų."}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{onaAddr, "petraitiene ona", "ONA PETRAITIENĖ", f.onaRefs[2], "3"} {
		t.Run(q, func(t *testing.T) {
			p, err := f.db.FindPerson(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Addresses) != 1 || p.Addresses[0] != strings.ToLower(onaAddr) || len(p.Refs) != 3 {
				t.Errorf("addresses %v, refs %v", p.Addresses, p.Refs)
			}
			if n := p.Count(RecordMention); n != 1 {
				t.Errorf("%d mentions, want 1", n)
			}
			for _, r := range p.Records {
				if r.Kind == RecordMention && r.Erasable {
					t.Errorf("a mention is erasable: %+v", r)
				}
			}
		})
	}
	if p, err := f.db.FindPerson(ctx, "Niekas Nežinomas"); err != nil || len(p.Records) != 0 {
		t.Errorf("unknown name: %+v, %v", p, err)
	}
}

// TestErasureAlert: an erasure left unfinished for a day alerts, and the
// alert clears when it is finished.
func TestErasureAlert(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	db := openTest(t, clock)
	c := newConsultation(t, db, "s")
	mustIngest(t, db, inbound(c, 1, "raw", "<a@x>", "ona@example.lt", "Siūlau"))
	e, _, err := db.EraseAddress(ctx, "ona@example.lt", "rasa", nil)
	if err != nil {
		t.Fatal(err)
	}
	alerting := func() bool {
		as, err := db.Alerts(ctx, AlertRules{MinFreeBytes: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			if strings.Contains(a, "erasure(s) unfinished") {
				return true
			}
		}
		return false
	}
	if alerting() {
		t.Errorf("an erasure started now alerts")
	}
	clock.t = clock.t.Add(25 * time.Hour)
	if !alerting() {
		t.Errorf("an erasure unfinished for a day does not alert")
	}
	if err := db.CopiesDeleted(ctx, e.ID, "1 deleted"); err != nil {
		t.Fatal(err)
	}
	if err := db.ErasureCompacted(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	if alerting() {
		t.Errorf("a finished erasure still alerts")
	}
}

// TestCompactUpgraded: a ledger with data from before the privacy migration
// (secure_delete off then) is rewritten once by its first compaction, so
// no free page keeps what was deleted before; a new ledger never is.
func TestCompactUpgraded(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	old, err := open(ctx, path, Options{}, SchemaVersion()-1)
	if err != nil {
		t.Fatal(err)
	}
	c := newConsultation(t, old, "s")
	mustIngest(t, old, inbound(c, 1, "From: x\r\n\r\nSENA-PASLAPTIS-3141", "<a@x>", "sena@example.lt", "Sena"))
	// Deleted while secure_delete was off: the bytes stay in a free page.
	if _, err := old.w.ExecContext(ctx, `PRAGMA secure_delete = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := old.w.ExecContext(ctx, `DELETE FROM message_raw`); err != nil {
		t.Fatal(err)
	}
	old.Close()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, due, _ := db.State(ctx, vacuumDueState); !due {
		t.Fatalf("an upgraded ledger with data is not marked for one rewrite")
	}
	if found := fileHas(t, path, map[string][]byte{"old raw": []byte("SENA-PASLAPTIS-3141")}); len(found) == 0 {
		t.Fatalf("the deleted bytes are not in a free page to begin with: the test proves nothing")
	}
	if err := db.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if found := fileHas(t, path, map[string][]byte{"old raw": []byte("SENA-PASLAPTIS-3141")}); len(found) > 0 {
		t.Errorf("after the first compaction: %v", found)
	}
	if _, due, _ := db.State(ctx, vacuumDueState); due {
		t.Errorf("still marked for a rewrite")
	}
	fresh := openTest(t, nil)
	if _, due, _ := fresh.State(ctx, vacuumDueState); due {
		t.Errorf("a new ledger is marked for a rewrite")
	}
}
