package form

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/internal/numfmt"
	"github.com/vvgintake/vvgintake/web"
)

// storeTimeout bounds one Submit. The store runs detached from the
// request: a browser that gives up mid-save (a double click cancels the
// first request) must not leave the save half-done or unknown.
const storeTimeout = 30 * time.Second

// postCtx is one POST being handled.
type postCtx struct {
	w        http.ResponseWriter
	r        *http.Request
	now      time.Time
	lang     string
	explicit bool
	peer     web.Client
	log      *slog.Logger
	c        Consultation
}

// serveSubmit takes a submission. The checks run cheapest first: rate,
// consultation, cookie and token (before any file is read), body size,
// repeat, fields, robot traps; only then is anything stored, and only a
// stored submission spends the client's budget: a refused post (a forged
// or expired token, a mistake in a field) must not use up the budget a
// whole library or mobile carrier shares behind one address.
func (f *Server) serveSubmit(w http.ResponseWriter, r *http.Request) {
	lang, explicit := pickLanguage(r, f.opt.Lang)
	p := &postCtx{w: w, r: r, now: f.opt.Now(), lang: lang, explicit: explicit, peer: f.peer(r)}
	slug := r.PathValue("slug")
	p.log = f.log.With("slug", slug)
	t := f.text(lang)

	if ok, wait := f.limiter.Check(p.peer.RateKey()); !ok {
		f.rateLimited(p, wait)
		return
	}
	c, found, err := f.lookup(r.Context(), slug)
	if err != nil {
		p.log.Error("look up consultation", "err", err)
		f.serveStoreError(w, r, lang, explicit)
		return
	}
	st := stateOf(&c, p.now)
	if !found || st == windowHidden {
		f.refuse(p, "not_found")
		f.serveNotFound(w, r)
		return
	}
	p.c = c
	if st != windowOpen {
		f.refuse(p, "closed")
		pg := f.newPage(r, lang, explicit, c.title(lang))
		pg.C = f.consultView(&c, lang, st)
		f.render(w, http.StatusForbidden, "form", pg)
		return
	}
	raw, err := f.readPost(w, r, func(fields map[string]string) error {
		_, err := f.csrf.check(fields["token"], c.Slug, cookieValue(r), p.now)
		return err
	})
	defer raw.cleanup()
	if errors.Is(err, errFormTooLarge) {
		f.refuse(p, "too_large", "limit", f.opt.bodyLimit())
		// The body was not read to its end: close the connection rather
		// than let net/http drain the rest.
		w.Header().Set("Connection", "close")
		f.serveMessage(w, r, lang, explicit, http.StatusRequestEntityTooLarge, t.TooLargeTitle,
			fmt.Sprintf(t.TooLargeTextF, numfmt.Bytes(f.opt.MaxUploadBytes*int64(max(1, f.opt.MaxFiles)))))
		return
	}
	if errors.Is(err, errFormRefused) {
		// No cookie or no valid token, found before the first file:
		// the files were never read. Close rather than drain them; the
		// token check below refuses the post and shows the text again.
		w.Header().Set("Connection", "close")
	} else if err != nil {
		f.refuse(p, "bad_body", "err", err)
		f.serveMessage(w, r, lang, explicit, http.StatusBadRequest, t.BadRequestTitle, t.BadRequestText)
		return
	}
	if l := normLang(raw.fields["lang"]); l != "" && !explicit {
		p.lang = l
	}
	in := inputOf(raw)
	f.submit(p, &in)
}

// rateLimited answers a client whose budget is spent.
func (f *Server) rateLimited(p *postCtx, wait time.Duration) {
	t := f.text(p.lang)
	f.refuse(p, "rate_limited", "client", p.peer.RateKey())
	mins := int((wait + time.Minute - 1) / time.Minute)
	// The body was not read: close rather than drain it.
	p.w.Header().Set("Connection", "close")
	p.w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
	f.serveMessage(p.w, p.r, p.lang, p.explicit, http.StatusTooManyRequests, t.RateTitle,
		fmt.Sprintf(t.RateTextF, mins), f.contact(t))
}

// submit checks the token of in and makes it single-use around accept.
func (f *Server) submit(p *postCtx, in *entry) {
	t := f.text(p.lang)
	cookie := cookieValue(p.r)
	tok, err := f.csrf.check(in.raw.fields["token"], p.c.Slug, cookie, p.now)
	if err != nil {
		reason, msg := "token_invalid", t.TokenInvalid
		switch {
		case errors.Is(err, errFormTokenMissing):
			reason, msg = "token_missing", t.TokenMissing
		case errors.Is(err, errFormTokenExpired):
			reason, msg = "token_expired", t.TokenExpired
		case errors.Is(err, errFormNoCookie):
			reason, msg = "no_cookie", t.NoCookie
		}
		f.refuse(p, reason)
		f.reshow(p, in, []fieldErr{{Text: msg}}, http.StatusForbidden, p.now)
		return
	}
	page, owner, err := f.seen.claim(p.r.Context(), tok.Nonce)
	if err != nil {
		return // the client left while an earlier post of this page ran
	}
	if !owner {
		p.log.Info("repeated post shows first receipt", "ref", page.Receipt.Ref)
		f.showReceipt(p, page)
		return
	}
	// Deferred, so a panic below (net/http recovers it) still releases
	// the nonce instead of leaving later posts of this page waiting.
	page = nil
	defer func() { f.seen.finish(tok.Nonce, page, tok.Issued, p.now) }()
	page = f.accept(p, in, tok)
	if page != nil {
		f.showReceipt(p, page)
	}
}

// accept runs the field rules and the robot traps, then stores the
// submission. It answers every refusal itself and returns the receipt
// page only on success.
func (f *Server) accept(p *postCtx, in *entry, tok csrfToken) *receiptPage {
	t := f.text(p.lang)
	files, errs := f.check(&p.c, in, t)
	if len(errs) > 0 {
		fields := make([]string, 0, len(errs))
		for _, e := range errs {
			fields = append(fields, e.Field)
		}
		f.refuse(p, "invalid_fields", "fields", strings.Join(fields, ","))
		f.reshow(p, in, errs, http.StatusUnprocessableEntity, tok.Issued)
		return nil
	}
	// The robot traps come after the field rules: a person who pressed
	// Send on an empty form at once learns what to fill in, not that they
	// were quick. They only guard what would be stored.
	if in.Honeypot != "" {
		f.refuse(p, "honeypot")
		in.Honeypot = ""
		f.reshow(p, in, []fieldErr{{Text: t.Honeypot}}, http.StatusForbidden, tok.Issued)
		return nil
	}
	if took := p.now.Sub(tok.Issued); took < f.opt.MinFill {
		f.refuse(p, "too_fast", "took_ms", took.Milliseconds())
		f.reshow(p, in, []fieldErr{{Text: t.TooFast}}, http.StatusForbidden, p.now)
		return nil
	}
	// Only a submission about to be stored spends the budget; another
	// post from the same address may have spent the last of it meanwhile.
	if ok, wait := f.limiter.Take(p.peer.RateKey()); !ok {
		f.rateLimited(p, wait)
		return nil
	}
	s := &Submission{
		Consultation: p.c.Slug, Text: in.Text, Measure: in.Measure,
		Name: in.Name, Email: in.Email, Sector: in.Sector, Consent: in.Consent,
		Files: files, ReceivedAt: p.now.UTC(), RemoteAddr: p.peer.IP.String(), Language: p.lang,
	}
	if !p.peer.IP.IsValid() {
		s.RemoteAddr = ""
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(p.r.Context()), storeTimeout)
	defer cancel()
	rc, err := f.store.Submit(ctx, s)
	if err == nil && (rc == nil || rc.Ref == "") {
		err = errors.New("store returned no reference")
	}
	if err != nil {
		p.log.Error("store submission", "reason", "store_error", "err", err)
		f.reshow(p, in, []fieldErr{{Text: t.StoreFailed}}, http.StatusInternalServerError, tok.Issued)
		return nil
	}
	p.log.Info("suggestion received", "ref", rc.Ref, "files", len(files), "lang", p.lang,
		"late", rc.Late, "ack_queued", rc.AckQueued)
	p.log.Debug("suggestion text", "ref", rc.Ref, "runes", len([]rune(in.Text)))
	page := newReceiptPage(&p.c, s, rc)
	page.Measure, page.HasMeasure = f.measures[p.c.Strategy][s.Measure]
	return page
}

// refuse logs a refusal: its reason, never the resident's words.
func (f *Server) refuse(p *postCtx, reason string, args ...any) {
	p.log.Info("submission refused", append([]any{"reason", reason}, args...)...)
}

// reshow answers with the form again: the resident's input kept (files
// must be chosen again; browsers cannot be given them back), the problems
// listed, and a fresh token dated issued.
func (f *Server) reshow(p *postCtx, in *entry, errs []fieldErr, status int, issued time.Time) {
	pg := f.newPage(p.r, p.lang, p.explicit, p.c.title(p.lang))
	pg.C = f.consultView(&p.c, p.lang, windowOpen)
	cookie := f.cookie(p.w, p.r)
	pg.Form = f.view(p.lang, &p.c, in, errs, f.csrf.issue(p.c.Slug, cookie, issued))
	pg.Errors = errs
	f.render(p.w, status, "form", pg)
}

// showReceipt answers with the receipt page.
func (f *Server) showReceipt(p *postCtx, page *receiptPage) {
	pg := f.newPage(p.r, p.lang, p.explicit, f.text(p.lang).ReceiptTitle)
	pg.Receipt = f.receiptView(p.lang, page)
	f.render(p.w, http.StatusOK, "receipt", pg)
}
