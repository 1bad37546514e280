package console

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/vvgintake/vvgintake/internal/numfmt"
	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/privacy"
)

// Personal data (admin): find a person's records, export them, erase
// them, with the same rules as `vvgintake person` (package privacy).

type peopleData struct {
	Query    string
	Person   *ledger.Person
	Kinds    []kindCount // records per kind
	Open     []*ledger.Erasure
	Result   *privacy.ErasureResult // after an erasure
	Erased   string                 // the address just erased
	Waiting  string                 // why the mailbox part waits
	Mentions int
}

// kindCount is how many records of one kind a person has.
type kindCount struct {
	Kind  string
	Count int
}

var recordKinds = []string{ledger.RecordSubmission, ledger.RecordMessage, ledger.RecordMailbox, ledger.RecordAttachment,
	ledger.RecordUpload, ledger.RecordSent, ledger.RecordNote, ledger.RecordClassification, ledger.RecordAudit, ledger.RecordMention}

func kindsOf(p *ledger.Person, erasable bool) []kindCount {
	var out []kindCount
	for _, k := range recordKinds {
		n := 0
		for _, r := range p.Records {
			if r.Kind == k && (!erasable || r.Erasable) {
				n++
			}
		}
		if n > 0 {
			out = append(out, kindCount{k, n})
		}
	}
	return out
}

func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request, q *request) {
	d := peopleData{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	err := s.findPeople(r, &d)
	s.show(w, r, q, err, "people", "Personal data", d)
}

func (s *Server) findPeople(r *http.Request, d *peopleData) error {
	var err error
	if d.Open, err = s.db.Erasures(r.Context(), true, 0); err != nil {
		return err
	}
	if d.Query == "" {
		return nil
	}
	if d.Person, err = s.records.Find(r.Context(), d.Query); err != nil {
		return err
	}
	d.Kinds = kindsOf(d.Person, false)
	d.Mentions = d.Person.Count(ledger.RecordMention)
	return nil
}

// exportPost downloads a person's records as the zip `person export`
// writes. It is a POST, with the CSRF token: the archive is the
// person's data, and no link from elsewhere may fetch it.
func (s *Server) exportPost(w http.ResponseWriter, r *http.Request, q *request) {
	who := strings.TrimSpace(r.PostFormValue("q"))
	if who == "" {
		s.fail(w, r, q, http.StatusBadRequest, "Give an e-mail address, a name or a reference.")
		return
	}
	var buf bytes.Buffer
	if _, err := s.records.ExportTo(r.Context(), who, &buf); err != nil {
		s.refused(w, r, q, err)
		return
	}
	s.log.Info("personal data exported", "user", q.actor())
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="asmens-duomenys.zip"`)
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes())
}

type eraseData struct {
	Email    string
	Person   *ledger.Person
	Erasable []ledger.PersonRecord
	Kinds    []kindCount
	Stay     []ledger.PersonRecord // audit entries and mentions: they stay
	Copies   int
}

// erasePage asks for confirmation, naming everything that will go.
func (s *Server) erasePage(w http.ResponseWriter, r *http.Request, q *request) {
	email := ledger.NormAddress(r.URL.Query().Get("email"))
	d := eraseData{Email: email}
	if email != "" {
		p, err := s.records.Find(r.Context(), email)
		if err != nil {
			s.refused(w, r, q, err)
			return
		}
		d.Person, d.Kinds = p, kindsOf(p, true)
		for _, rec := range p.Records {
			switch {
			case rec.Kind == ledger.RecordMailbox:
				d.Copies++
				d.Erasable = append(d.Erasable, rec)
			case rec.Erasable:
				d.Erasable = append(d.Erasable, rec)
			default:
				d.Stay = append(d.Stay, rec)
			}
		}
	}
	s.render(w, r, q, http.StatusOK, "erase", "Erase personal data", d)
}

// erasePost erases a person by address once the address is typed again.
func (s *Server) erasePost(w http.ResponseWriter, r *http.Request, q *request) {
	email := ledger.NormAddress(r.PostFormValue("email"))
	if email == "" || ledger.NormAddress(r.PostFormValue("confirm")) != email {
		s.fail(w, r, q, http.StatusBadRequest, "Type the address again to confirm; nothing was erased.")
		return
	}
	res, err := s.records.Erase(r.Context(), email, q.actor())
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	d := peopleData{Query: email, Result: res, Erased: email}
	if res.MailboxErr != nil {
		d.Waiting = res.MailboxErr.Error()
	}
	err = s.findPeople(r, &d)
	s.show(w, r, q, err, "people", "Personal data", d)
}

// countsText says what an erasure removed, in lang.
func countsText(lang string, c ledger.ErasureCounts) string {
	if lang != "lt" {
		return c.String()
	}
	var parts []string
	for _, p := range []struct {
		n              int
		one, few, many string
	}{
		{c.Deleted, "pasiūlymas ištrintas", "pasiūlymai ištrinti", "pasiūlymų ištrinta"},
		{c.Submissions, "pasiūlymas", "pasiūlymai", "pasiūlymų"},
		{c.Messages, "el. laiškas", "el. laiškai", "el. laiškų"},
		{c.Raw, "laiško originalas", "laiškų originalai", "laiškų originalų"},
		{c.Attachments, "priedas", "priedai", "priedų"},
		{c.Sent, "išsiųstas laiškas", "išsiųsti laiškai", "išsiųstų laiškų"},
		{c.Notes, "pastaba", "pastabos", "pastabų"},
		{c.Copies, "kopija pašto dėžutėje", "kopijos pašto dėžutėje", "kopijų pašto dėžutėje"},
		{c.AuditBlanked, "žurnalo įrašo detalė", "žurnalo įrašų detalės", "žurnalo įrašų detalių"},
	} {
		if p.n > 0 {
			parts = append(parts, numfmt.Count(lang, p.n, p.one, p.few, p.many))
		}
	}
	if len(parts) == 0 {
		return "nieko"
	}
	return strings.Join(parts, ", ")
}
