package form

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/web"
)

// assets holds the pages and the stylesheet. Read-only by construction.
//
//go:embed templates
var assets embed.FS

// pageNames are the templates; each is parsed with layout.html.
func pageNames() []string { return []string{"list", "form", "receipt", "message"} }

// asset is one embedded static file.
type asset struct {
	data  []byte
	ctype string
	etag  string
}

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
	f.static = map[string]asset{}
	entries, err := fs.ReadDir(assets, "templates/static")
	if err != nil {
		return fmt.Errorf("read static files: %w", err)
	}
	for _, e := range entries {
		data, err := fs.ReadFile(assets, "templates/static/"+e.Name())
		if err != nil {
			return fmt.Errorf("read static file %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(data)
		f.static[e.Name()] = asset{
			data:  data,
			ctype: mime.TypeByExtension(path.Ext(e.Name())),
			etag:  `"` + hex.EncodeToString(sum[:8]) + `"`,
		}
	}
	css, ok := f.static["form.css"]
	if !ok {
		return fmt.Errorf("read static files: form.css missing")
	}
	// The stylesheet's URL changes with its content, so browsers may keep
	// it long yet never show an old one after an upgrade.
	f.cssPath = "static/form.css?v=" + strings.Trim(css.etag, `"`)
	js, ok := f.static["counter.js"]
	if !ok {
		return fmt.Errorf("read static files: counter.js missing")
	}
	f.jsPath = "static/counter.js?v=" + strings.Trim(js.etag, `"`)
	return nil
}

// serveStatic serves an embedded file. Only files that exist are served;
// there is no directory listing.
func (f *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := f.static[r.PathValue("file")]
	if !ok {
		f.serveNotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.data))
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
