package form

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"

	"github.com/vvgintake/vvgintake/web"
)

// assets holds the pages and the stylesheet. Read-only by construction.
//
//go:embed templates
var assets embed.FS

// pageNames are the templates; each is parsed with layout.html.
func pageNames() []string { return []string{"list", "form", "receipt", "message"} }

// loadAssets parses the templates and indexes the static files.
func (f *Server) loadAssets() error {
	f.pages = map[string]*template.Template{}
	for _, name := range pageNames() {
		t, err := template.ParseFS(assets, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("parse template %s: %w", name, err)
		}
		f.pages[name] = t
	}
	static, err := web.LoadStatic(assets, "templates/static")
	if err != nil {
		return err
	}
	f.static = static
	if f.cssPath, err = static.URL("static/", "form.css"); err != nil {
		return err
	}
	if f.jsPath, err = static.URL("static/", "counter.js"); err != nil {
		return err
	}
	return nil
}

// serveStatic serves an embedded file.
func (f *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	if !f.static.Serve(w, r, r.PathValue("file")) {
		f.serveNotFound(w, r)
	}
}

// csp allows the form's own stylesheet, pictures and one script (the
// character count, a file of the form's own: nothing inline, nothing from
// elsewhere) and nothing else: no framing, posts only to itself. The
// form works without the script.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// peer is the client as the form sees it.
func (f *Server) peer(r *http.Request) web.Client { return web.ClientOf(r, f.opt.TrustedProxyHeader) }

// render writes a page. It renders into a buffer first, so a template
// error becomes a plain 500, never half a page.
func (f *Server) render(w http.ResponseWriter, status int, name string, p *page) {
	var buf bytes.Buffer
	if err := f.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		f.log.Error("render page", "page", name, "err", err)
		http.Error(w, "Vidinė klaida. Internal error.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	web.NoStore(w)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
