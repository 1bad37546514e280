package form

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// windowState is what the form does with a consultation.
type windowState int

const (
	windowHidden windowState = iota // draft or unknown status: 404
	notYet                          // open but before OpensAt: announced, no form
	windowOpen                      // the form is shown and accepted
	windowClosed                    // ended (closed, decided, published): says so, no form
)

// stateOf reads c's status at now. An open consultation past its
// deadline still takes suggestions until staff or the scheduler close it;
// the store marks them late.
func stateOf(c *Consultation, now time.Time) windowState {
	switch c.Status {
	case "open":
		if now.Before(c.OpensAt) {
			return notYet
		}
		return windowOpen
	case "closed", "decided", "published":
		return windowClosed
	}
	return windowHidden
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
	lang, explicit := pickLanguage(r, f.opt.Lang)
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
	p.Intro = fmt.Sprintf(t.ListIntroF, p.Org.Name)
	for _, c := range cs {
		if stateOf(&c, now) != windowOpen {
			continue
		}
		p.List = append(p.List, listItem{
			Slug: c.Slug, Title: c.title(lang), Paragraphs: paragraphs(c.description(lang)),
			Deadline: fmt.Sprintf(t.ListDeadlineF, showDeadline(lang, c.ClosesAt, f.opt.Loc)),
		})
	}
	f.render(w, http.StatusOK, "list", p)
}

// serveForm shows one consultation: its form while open, a notice when
// not yet or no longer open, 404 for drafts and unknown slugs.
func (f *Server) serveForm(w http.ResponseWriter, r *http.Request) {
	lang, explicit := pickLanguage(r, f.opt.Lang)
	c, found, err := f.lookup(r.Context(), r.PathValue("slug"))
	if err != nil {
		f.log.Error("show form", "err", err)
		f.serveStoreError(w, r, lang, explicit)
		return
	}
	now := f.opt.Now()
	st := stateOf(&c, now)
	if !found || st == windowHidden {
		f.serveNotFound(w, r)
		return
	}
	p := f.newPage(r, lang, explicit, c.title(lang))
	p.C = f.consultView(&c, lang, st)
	if st == windowOpen {
		cookie := f.cookie(w, r)
		p.Form = f.view(lang, &c, nil, nil, f.csrf.issue(c.Slug, cookie, now))
	}
	f.render(w, http.StatusOK, "form", p)
}

// consultView describes c for its page, with the notice for st.
func (f *Server) consultView(c *Consultation, lang string, st windowState) *consultView {
	t := f.text(lang)
	v := &consultView{
		Slug: c.Slug, Title: c.title(lang), Paragraphs: paragraphs(c.description(lang)),
		Deadline: fmt.Sprintf(t.DeadlineF, showDeadline(lang, c.ClosesAt, f.opt.Loc)),
	}
	switch st {
	case windowClosed:
		v.Closed = fmt.Sprintf(t.ClosedF, sentenceEnd(showDeadline(lang, c.ClosesAt, f.opt.Loc)))
		// The description invites suggestions; once closed it would
		// contradict the notice.
		v.Paragraphs = nil
	case notYet:
		v.Closed = fmt.Sprintf(t.NotYetF, sentenceEnd(showStart(lang, c.OpensAt, f.opt.Loc)))
	}
	return v
}

// cookie returns the browser's double-submit cookie, or a new one, and
// (re)sends it.
func (f *Server) cookie(w http.ResponseWriter, r *http.Request) string {
	v := cookieValue(r)
	if v == "" {
		v = f.csrf.newCookie()
	}
	setFormCookie(w, v, f.peer(r).Secure)
	return v
}

// serveNotFound is the 404 page, in the language the request asks for.
func (f *Server) serveNotFound(w http.ResponseWriter, r *http.Request) {
	lang, explicit := pickLanguage(r, f.opt.Lang)
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
	p.Message = &messagePage{Heading: heading}
	for _, s := range paras {
		if s != "" {
			p.Message.Paragraphs = append(p.Message.Paragraphs, s)
		}
	}
	f.render(w, status, "message", p)
}

// contact says whom to ask, or "" when the VVG gave no contact.
func (f *Server) contact(t *texts) string {
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
