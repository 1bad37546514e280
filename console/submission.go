package console

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
)

type submissionData struct {
	S          *ledger.Submission
	History    []ledger.ClassificationEntry
	Audit      []ledger.AuditEntry
	Notes      []ledger.Note
	Messages   []*ledger.Message
	MergedFrom []string
	SplitInto  []string
	Place      *placeInfo // its near-duplicate group and theme; nil while not grouped
}

func (s *Server) submissionPage(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	sub, ok := param(s, w, r, q, "ref", s.db.Submission)
	if !ok {
		return
	}
	d := submissionData{S: sub}
	var err error
	if d.History, err = s.db.History(ctx, sub.ID); err == nil {
		if d.Notes, err = s.db.Notes(ctx, sub.ID); err == nil {
			if d.MergedFrom, err = s.db.MergedFrom(ctx, sub.ID); err == nil {
				if d.SplitInto, err = s.db.SplitInto(ctx, sub.ID); err == nil && sub.Withdrawn == "" {
					d.Place, err = s.place(r, sub)
				}
			}
		}
	}
	if err == nil && q.can(ledger.RoleStaff) {
		d.Audit, err = s.db.Audit(ctx, sub.Ref, 50)
		for _, id := range sub.MessageRows {
			if err != nil {
				break
			}
			var m *ledger.Message
			if m, err = s.db.MessageByID(ctx, id); err == nil {
				d.Messages = append(d.Messages, m)
			}
		}
	}
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	if !q.can(ledger.RoleStaff) {
		// The board never sees e-mail addresses: not the sender's, not in
		// the history's actors.
		sub.SenderEmail = ""
		for i := range d.History {
			if strings.Contains(d.History[i].Actor, "@") {
				d.History[i].Actor = ""
			}
		}
		for i := range d.Notes {
			d.Notes[i].Actor = ""
		}
		for i := range sub.Followups {
			sub.Followups[i].From = ""
		}
	}
	s.render(w, r, q, http.StatusOK, "submission", "Suggestion", d)
}

func (s *Server) measurePost(w http.ResponseWriter, r *http.Request, q *request) {
	ref, measure := r.PathValue("ref"), r.PostFormValue("measure")
	if measure == "" {
		s.fail(w, r, q, http.StatusBadRequest, "Choose a measure.")
		return
	}
	_, err := s.pipe.Review(r.Context(), ref, measure, q.actor())
	s.done(w, r, q, err, "/s/"+ref, "measure")
}

func (s *Server) decidePost(w http.ResponseWriter, r *http.Request, q *request) {
	ref := r.PathValue("ref")
	// Through the pipeline: the decision may answer the resident at once
	// (letters by decision, or after publication).
	_, err := s.pipe.RecordDecision(r.Context(), ref, r.PostFormValue("decision"), r.PostFormValue("reason"), q.actor())
	s.done(w, r, q, err, "/s/"+ref, "decided")
}

func (s *Server) notePost(w http.ResponseWriter, r *http.Request, q *request) {
	ref := r.PathValue("ref")
	err := s.db.AddNote(r.Context(), ref, r.PostFormValue("text"), q.actor())
	s.done(w, r, q, err, "/s/"+ref, "note")
}

func (s *Server) withdrawPost(w http.ResponseWriter, r *http.Request, q *request) {
	ref := r.PathValue("ref")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "other" || reason == "" {
		reason = strings.TrimSpace(r.PostFormValue("other"))
	}
	_, err := s.db.Withdraw(r.Context(), ref, reason, q.actor())
	s.done(w, r, q, err, "/s/"+ref, "withdrawn")
}

func (s *Server) reinstatePost(w http.ResponseWriter, r *http.Request, q *request) {
	ref := r.PathValue("ref")
	_, err := s.db.Reinstate(r.Context(), ref, q.actor())
	s.done(w, r, q, err, "/s/"+ref, "reinstated")
}

// splitPost cuts the letter where staff put a line with three dashes.
func (s *Server) splitPost(w http.ResponseWriter, r *http.Request, q *request) {
	ref := r.PathValue("ref")
	subs, err := s.pipe.Split(r.Context(), ref, intake.SplitParts(r.PostFormValue("text")), q.actor())
	s.done(w, r, q, err, "/s/"+ref, fmt.Sprintf("split-%d", len(subs)))
}

func (s *Server) mergePost(w http.ResponseWriter, r *http.Request, q *request) {
	ref := r.PathValue("ref")
	into := strings.ToUpper(strings.TrimSpace(r.PostFormValue("into")))
	if refs := s.db.SubjectRefs(into); len(refs) == 1 {
		into = refs[0]
	}
	_, err := s.db.Merge(r.Context(), ref, into, q.actor())
	s.done(w, r, q, err, "/s/"+ref, "merged")
}

// attachmentFile downloads attachment n (1-based) of a submission,
// checked against its SHA-256 before it is sent.
func (s *Server) attachmentFile(w http.ResponseWriter, r *http.Request, q *request) {
	sub, ok := param(s, w, r, q, "ref", s.db.Submission)
	if !ok {
		return
	}
	n, _ := strconv.Atoi(r.PathValue("n"))
	if n < 1 || n > len(sub.Attachments) || sub.Attachments[n-1].SHA256 == "" {
		s.fail(w, r, q, http.StatusNotFound, "Not found.")
		return
	}
	a := sub.Attachments[n-1]
	s.sendContent(w, r, q, a.SHA256, filepath.Base(a.Filename), a.ContentType)
}

// sendContent streams stored content after checking its digest: it is
// read into memory (one attachment or message, at most the configured
// limits) so that damaged content is refused, not half sent.
func (s *Server) sendContent(w http.ResponseWriter, r *http.Request, q *request, sha, name, ctype string) {
	var buf strings.Builder
	if _, err := intake.WriteContent(r.Context(), s.db, sha, &buf); err != nil {
		s.refused(w, r, q, err)
		return
	}
	sum := sha256.Sum256([]byte(buf.String()))
	if hex.EncodeToString(sum[:]) != sha {
		s.log.Error("stored content does not match its digest", "sha256", sha)
		s.fail(w, r, q, http.StatusInternalServerError, "The stored file is damaged.")
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-SHA256", sha)
	_, _ = w.Write([]byte(buf.String()))
}
