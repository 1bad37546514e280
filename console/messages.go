package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
)

type messagesData struct {
	Rows                 []*ledger.Message
	Total, Page, Pages   int
	Disposition, Route   string
	PrevURL, NextURL     string
	Dispositions, Routes []string
}

func (s *Server) messagesPage(w http.ResponseWriter, r *http.Request, q *request) {
	v := r.URL.Query()
	f := ledger.MessageFilter{Disposition: v.Get("disposition"), Route: v.Get("route")}
	pg, _ := strconv.Atoi(v.Get("page"))
	pg = max(pg, 1)
	rows, total, err := s.db.MessagesPage(r.Context(), f, (pg-1)*pageSize, pageSize)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	d := messagesData{Rows: rows, Total: total, Page: pg, Pages: max(1, (total+pageSize-1)/pageSize),
		Disposition: f.Disposition, Route: f.Route,
		Dispositions: []string{"suggestion", "reply", "auto-reply", "bounce", "list", "spam", "own", "malformed"},
		Routes:       []string{ledger.RouteRouted, ledger.RouteLate, ledger.RouteUnrouted, ledger.RouteOutOfWindow}}
	link := func(p int) string {
		c := url.Values{"disposition": {f.Disposition}, "route": {f.Route}, "page": {strconv.Itoa(p)}}
		return s.opt.Prefix + "/messages?" + c.Encode()
	}
	if pg > 1 {
		d.PrevURL = link(pg - 1)
	}
	if pg < d.Pages {
		d.NextURL = link(pg + 1)
	}
	s.render(w, r, q, http.StatusOK, "messages", "Messages", d)
}

type messageData struct {
	M             *ledger.Message
	Consultations []*ledger.Consultation
}

func (s *Server) messagePage(w http.ResponseWriter, r *http.Request, q *request) {
	m, ok := idParam(s, w, r, q, s.db.MessageByID)
	if !ok {
		return
	}
	cs, err := s.db.ConsultationsCached(r.Context(), 10*time.Second)
	s.show(w, r, q, err, "message", "Message", messageData{M: m, Consultations: cs})
}

// rawFile downloads the message as the mail server delivered it: the
// proof of receipt, checked against its SHA-256.
func (s *Server) rawFile(w http.ResponseWriter, r *http.Request, q *request) {
	m, ok := idParam(s, w, r, q, s.db.MessageByID)
	if !ok {
		return
	}
	s.sendContent(w, r, q, m.RawSHA256, fmt.Sprintf("message-%d.eml", m.ID), "message/rfc822")
}

// assignPost turns a message into a suggestion of a consultation
// (intake.Pipeline.AssignAs, as `messages assign`).
func (s *Server) assignPost(w http.ResponseWriter, r *http.Request, q *request) {
	m, ok := idParam(s, w, r, q, s.db.MessageByID)
	if !ok {
		return
	}
	c, err := s.db.Consultation(r.Context(), r.PostFormValue("consultation"))
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	sub, err := s.pipe.AssignAs(r.Context(), m, c, r.PostFormValue("ack") == "1", q.actor())
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	back(w, r, "/s/"+sub.Ref, "assigned")
}
