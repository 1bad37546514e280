package console

import (
	"net/http"
	"strconv"

	"github.com/vvgintake/vvgintake/ledger"
)

type homeData struct {
	Queue         int
	Consultations []consRow
	Outbox        ledger.OutboxStats
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	var d homeData
	var err error
	if _, d.Queue, err = s.db.ReviewQueue(ctx, "", 1); err != nil {
		s.refused(w, r, q, err)
		return
	}
	cs, err := s.db.Consultations(ctx)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	for _, c := range cs {
		if c.Status == ledger.StatusDraft || c.Status == ledger.StatusOpen || c.Status == ledger.StatusClosed {
			t, err := s.db.Totals(ctx, c.ID)
			if err != nil {
				s.refused(w, r, q, err)
				return
			}
			d.Consultations = append(d.Consultations, consRow{c, t})
		}
	}
	if d.Outbox, err = s.db.OutboxStats(ctx); err != nil {
		s.refused(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusOK, "home", "Overview", d)
}

type outboxData struct {
	Items  []*ledger.OutboxItem
	Status string
}

func (s *Server) outboxPage(w http.ResponseWriter, r *http.Request, q *request) {
	st := r.URL.Query().Get("status")
	items, err := s.db.ListOutbox(r.Context(), st, 200)
	s.show(w, r, q, err, "outbox", "Outbox", outboxData{Items: items, Status: st})
}

func (s *Server) outboxRetry(w http.ResponseWriter, r *http.Request, q *request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, q, http.StatusNotFound, "Not found.")
		return
	}
	if err := s.db.RetryOutbox(r.Context(), id, q.actor()); err != nil {
		s.refused(w, r, q, err)
		return
	}
	if s.deps.Kick != nil {
		s.deps.Kick()
	}
	back(w, r, "/outbox", "retry")
}

type auditData struct {
	Entries []ledger.AuditEntry
	Target  string
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, q *request) {
	t := r.URL.Query().Get("target")
	es, err := s.db.Audit(r.Context(), t, 300)
	s.show(w, r, q, err, "audit", "Audit log", auditData{Entries: es, Target: t})
}

type usersData struct {
	Users []*ledger.User
	Link  string // a setup link just made, shown once
	For   string
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, q *request) {
	s.showLink(w, r, q, "", "")
}

// showLink renders the users page with a one-time link ("" for none): it
// is shown once and never kept (the ledger has only its digest).
func (s *Server) showLink(w http.ResponseWriter, r *http.Request, q *request, email, link string) {
	us, err := s.db.Users(r.Context())
	s.show(w, r, q, err, "users", "Users", usersData{Users: us, Link: link, For: email})
}

func (s *Server) userAdd(w http.ResponseWriter, r *http.Request, q *request) {
	u, link, err := AddUser(r.Context(), s.db, s.baseURL(r, q), r.PostFormValue("email"), r.PostFormValue("role"), q.actor())
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	s.showLink(w, r, q, u.Email, link)
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request, q *request) {
	u, ok := idParam(s, w, r, q, s.db.UserByID)
	if !ok {
		return
	}
	if u.ID == q.user.ID {
		s.fail(w, r, q, http.StatusBadRequest, "You cannot disable your own account.")
		return
	}
	err := s.db.DisableUser(r.Context(), u.ID, q.actor())
	s.done(w, r, q, err, "/users", "disabled")
}

func (s *Server) userReset(w http.ResponseWriter, r *http.Request, q *request) {
	u, ok := idParam(s, w, r, q, s.db.UserByID)
	if !ok {
		return
	}
	link, err := ResetUser(r.Context(), s.db, s.baseURL(r, q), u.ID, q.actor())
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	s.showLink(w, r, q, u.Email, link)
}

// baseURL is Options.BaseURL, or where this request came to.
func (s *Server) baseURL(r *http.Request, q *request) string {
	if s.opt.BaseURL != "" {
		return s.opt.BaseURL
	}
	scheme := "http"
	if q.client.Secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host + s.opt.Prefix
}
