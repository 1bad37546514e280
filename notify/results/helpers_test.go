package results

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/internal/vilnius"
	"github.com/vvgintake/vvgintake/ledger"
)

// sample is one suggestion of the test consultation: what it says, who
// sent it, and what was decided.
type sample struct {
	name, email, sector, text string
	measure                   string
	decision, reason          string
	withdraw                  string
}

// samples are written for these tests: every person, number and address
// in them is made up (the personal code and IBAN carry valid check
// digits and belong to nobody).
var samples = []sample{
	{name: "Ona Petraitienė", email: "ona.petraitiene@example.lt", text: "Siūlau įkurti dienos centrą senjorams Aleksote. " +
		"Mano telefonas +370 612 34567, gyvenu Vytauto g. 12-5, Kaunas. Pagarbiai, Ona Petraitienė",
		measure: "2.1", decision: "accepted", reason: "Įtraukta į 2.1 priemonę: dienos centras numatytas 2027 m."},
	{name: "Jonas", email: "jonas@example.lt", text: "Reikia dviračių tako palei Nemuną, Veiverių gatvėje trūksta apšvietimo.",
		measure: "4", decision: "partly", reason: "Apšvietimas – savivaldybės darbas; takui skirta 15 000 Eur."},
	{name: "Aleksoto bendruomenė", email: "info@aleksotas.example.lt", sector: "ngo",
		text:    "Aleksoto bendruomenė siūlo savanorių mokymus. Kontaktinis asmuo Rūta Kazlauskaitė, tel. 8 612 34568.",
		measure: "3", decision: "rejected", reason: "Mokymai finansuojami iš kitos programos."},
	{text: "Vaikų stovykla vasarą, prašau pervesti paramą į LT12 1000 0111 0100 1000, asmens kodas 38703181745.",
		sector: "resident", measure: "other", decision: "rejected", reason: "VVG paramos asmenims neteikia."},
	{name: "Seo Expert", email: "seo@spam.example", text: "Cheap SEO services", withdraw: "spam"},
	{name: "Rasa", email: "rasa@example.lt", text: "Kursai bedarbiams: kompiuterinis raštingumas, 40 val. už 2 000 Eur.\n\nSu pagarba,\nRasa",
		measure: "1.1", decision: "accepted", reason: "Atitinka 1.1 priemonę."},
}

var measures = []Measure{{Code: "1.1", Title: "Verslumo skatinimas"}, {Code: "2.1", Title: "Socialinės paslaugos"},
	{Code: "3", Title: "Bendruomenių stiprinimas"}, {Code: "4", Title: "Infrastruktūra"}, {Code: "other", Title: "Kita"}}

type fixture struct {
	db   *ledger.DB
	c    *ledger.Consultation
	subs []*ledger.Submission // in samples' order
}

func vilniusLoc(t testing.TB) *time.Location {
	loc, err := vilnius.Location()
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// newFixture records samples in a closed consultation, decided as they
// say.
func newFixture(t testing.TB, ss []sample) *fixture {
	t.Helper()
	ctx := context.Background()
	loc := vilniusLoc(t)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, loc)
	db, err := ledger.Open(ctx, filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{Location: loc,
		Now: func() time.Time { return now }, MessageIDDomain: "vvg.test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &ledger.Consultation{Slug: "strategija", Title: "Strategijos keitimas 2026",
		OpensAt: time.Date(2026, 11, 1, 0, 0, 0, 0, loc), ClosesAt: time.Date(2026, 12, 14, 0, 0, 0, 0, loc)}
	if err := db.CreateConsultation(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetConsultationStatus(ctx, c.Slug, ledger.StatusOpen, "test"); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, c: c}
	nss := make([]*ledger.NewSubmission, len(ss))
	for i, s := range ss {
		nss[i] = &ledger.NewSubmission{ConsultationID: c.ID, Source: ledger.SourceForm, SenderName: s.name, SenderEmail: s.email,
			Sector: s.sector, Text: s.text, ReceivedAt: now.Add(time.Duration(i) * time.Minute),
			Class: ledger.Classification{Measure: s.measure, Confidence: 0.9}}
	}
	ids, err := db.AddSubmissions(ctx, nss)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		s, err := db.SubmissionByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		f.subs = append(f.subs, s)
		switch {
		case ss[i].withdraw != "":
			if _, err := db.Withdraw(ctx, s.Ref, ss[i].withdraw, "staff"); err != nil {
				t.Fatal(err)
			}
		case ss[i].decision != "":
			if _, err := db.Decide(ctx, s.Ref, ss[i].decision, ss[i].reason, "staff"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := db.SetConsultationStatus(ctx, c.Slug, ledger.StatusClosed, "test"); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) table(t testing.TB, lang string) *Table {
	t.Helper()
	tb, err := Build(context.Background(), f.db, f.c.Slug, Options{OrgName: "Aleksoto VVG", Measures: measures, Lang: lang,
		Loc: vilniusLoc(t), URL: "https://www.aleksotovvg.lt/rezultatai"})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// tool finds a command-line program the test needs (poppler-utils'
// pdftotext, pdftoppm): a failure under VVGINTAKE_TEST_REAL=1, a skip
// otherwise.
func tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if intaketest.Real() {
			t.Fatalf("%s not found; install it: apt-get install -y poppler-utils", name)
		}
		t.Skipf("%s not found; set %s=1 to make this a failure", name, intaketest.RealEnv)
	}
	return p
}

// pdfText extracts a PDF's text as a reader's tool does.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(tool(t, "pdftotext"), "-enc", "UTF-8", path, "-")
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, errOut.String())
	}
	return out.String()
}
