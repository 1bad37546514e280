package form

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// formState is what the form does with a consultation.
type formState int

const (
	formHidden formState = iota // draft or unknown status: 404
	formNotYet                  // open but before OpensAt: announced, no form
	formOpen                    // the form is shown and accepted
	formClosed                  // closed or reported: says so, no form
)

// formStateOf reads c's status at now. An open consultation past its
// deadline still takes suggestions until staff or the scheduler close it;
// the store marks them late.
func formStateOf(c *Consultation, now time.Time) formState {
	switch c.Status {
	case "open":
		if now.Before(c.OpensAt) {
			return formNotYet
		}
		return formOpen
	case "closed", "reported":
		return formClosed
	}
	return formHidden
}

// lookup finds the consultation slug; found is false for unknown slugs.
func (f *Server) lookup(ctx context.Context, slug string) (c Consultation, found bool, err error) {
	cs, err := f.store.Consultations(ctx)
	if err != nil {
		return c, false, fmt.Errorf("list consultations: %w", err)
	}
	for _, c := range cs {
		if c.Slug == slug {
			return c, true, nil
		}
	}
	return c, false, nil
}

// serveList shows the open consultations, soonest deadline first.
func (f *Server) serveList(w http.ResponseWriter, r *http.Request) {
	lang, explicit := formLanguage(r, f.opt.Lang)
	t := f.text(lang)
	cs, err := f.store.Consultations(r.Context())
	if err != nil {
		f.log.Error("list consultations", "err", err)
		f.serveStoreError(w, r, lang, explicit)
		return
	}
	now := f.opt.Now()
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].ClosesAt.Before(cs[j].ClosesAt) })
	p := f.newPage(r, lang, explicit, t.ListTitle)
	p.Intro = fmt.Sprintf(t.ListIntroF, f.opt.OrgName)
	for _, c := range cs {
		if formStateOf(&c, now) != formOpen {
			continue
		}
		p.List = append(p.List, formListItem{
			Slug: c.Slug, Title: c.Title, Paragraphs: formParagraphs(c.Description),
			Deadline: fmt.Sprintf(t.ListDeadlineF, formDeadline(lang, c.ClosesAt, f.opt.Loc)),
		})
	}
	f.render(w, http.StatusOK, "list", p)
}

// serveForm shows one consultation: its form while open, a notice when
// not yet or no longer open, 404 for drafts and unknown slugs.
func (f *Server) serveForm(w http.ResponseWriter, r *http.Request) {
	lang, explicit := formLanguage(r, f.opt.Lang)
	c, found, err := f.lookup(r.Context(), r.PathValue("slug"))
	if err != nil {
		f.log.Error("show form", "err", err)
		f.serveStoreError(w, r, lang, explicit)
		return
	}
	now := f.opt.Now()
	st := formStateOf(&c, now)
	if !found || st == formHidden {
		f.serveNotFound(w, r)
		return
	}
	p := f.newPage(r, lang, explicit, c.Title)
	p.C = f.consultView(&c, lang, st)
	if st == formOpen {
		cookie := f.cookie(w, r)
		p.Form = f.formView(lang, nil, nil, f.csrf.issue(c.Slug, cookie, now))
	}
	f.render(w, http.StatusOK, "form", p)
}

// consultView describes c for its page, with the notice for st.
func (f *Server) consultView(c *Consultation, lang string, st formState) *formConsultView {
	t := f.text(lang)
	v := &formConsultView{
		Slug: c.Slug, Title: c.Title, Paragraphs: formParagraphs(c.Description),
		Deadline: fmt.Sprintf(t.DeadlineF, formDeadline(lang, c.ClosesAt, f.opt.Loc)),
	}
	switch st {
	case formClosed:
		v.Closed = fmt.Sprintf(t.ClosedF, formDeadline(lang, c.ClosesAt, f.opt.Loc))
	case formNotYet:
		v.Closed = fmt.Sprintf(t.NotYetF, formStart(lang, c.OpensAt, f.opt.Loc))
	}
	return v
}

// cookie returns the browser's double-submit cookie, or a new one, and
// (re)sends it.
func (f *Server) cookie(w http.ResponseWriter, r *http.Request) string {
	v := formCookieValue(r)
	if v == "" {
		v = f.csrf.newCookie()
	}
	setFormCookie(w, v, f.peer(r).Secure)
	return v
}

// serveNotFound is the 404 page, in the language the request asks for.
func (f *Server) serveNotFound(w http.ResponseWriter, r *http.Request) {
	lang, explicit := formLanguage(r, f.opt.Lang)
	t := f.text(lang)
	f.serveMessage(w, r, lang, explicit, http.StatusNotFound, t.NotFoundTitle, t.NotFoundText)
}

// serveStoreError is the 500 page for a store that failed.
func (f *Server) serveStoreError(w http.ResponseWriter, r *http.Request, lang string, explicit bool) {
	t := f.text(lang)
	f.serveMessage(w, r, lang, explicit, http.StatusInternalServerError, t.StoreTitle, t.StoreText, f.contact(t))
}

// serveMessage renders a page of paragraphs.
func (f *Server) serveMessage(w http.ResponseWriter, r *http.Request, lang string, explicit bool, status int, heading string, paras ...string) {
	p := f.newPage(r, lang, explicit, heading)
	p.Message = &formMessage{Heading: heading}
	for _, s := range paras {
		if s != "" {
			p.Message.Paragraphs = append(p.Message.Paragraphs, s)
		}
	}
	f.render(w, status, "message", p)
}

// contact says whom to ask, or "" when the VVG gave no contact.
func (f *Server) contact(t *formText) string {
	who := f.opt.ContactEmail
	if f.opt.ContactPhone != "" {
		if who != "" {
			who += ", "
		}
		who += f.opt.ContactPhone
	}
	if who == "" {
		return ""
	}
	return fmt.Sprintf(t.ContactF, who)
}
