package notify

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
	"github.com/vvgintake/vvgintake/notify/results"

	"github.com/vvgintake/vvgintake/internal/excerpt"
	"github.com/vvgintake/vvgintake/internal/numfmt"
)

// defaultFS holds the built-in templates: per message kind and language a
// text body, <kind>.<lang>.txt, and the words of the HTML body,
// <kind>.<lang>.html, whose markup, the same in both languages, is
// <kind>.html (written on page.html).
//
//go:embed templates/*.txt templates/*.html
var defaultFS embed.FS

// The message kinds are the outbox's (ledger.KindAck, …); a kind is the
// first part of its templates' file names.
var (
	allKinds = []string{ledger.KindAck, ledger.KindDigest, ledger.KindReport, ledger.KindReminder, ledger.KindDecision, ledger.KindResults}
	allLangs = []string{LangLT, LangEN}
)

// Templates renders every message kind in every language. Text templates
// (text/template) also define "subject"; HTML templates (html/template)
// escape everything they print, so residents' words cannot inject markup.
// A Templates is safe for concurrent use.
type Templates struct {
	text   map[string]*texttemplate.Template // by "<kind>.<lang>"
	html   map[string]*htmltemplate.Template
	source map[string]string // file name → where it was loaded from, for errors
}

// LoadTemplates parses the embedded defaults and, when dir is not "", lets
// files in dir with the same names (e.g. "ack.lt.txt") override them. An
// override is parsed on top of the default, so a file may redefine only
// {{define "subject"}} or only the body, and an HTML one only some of the
// words ({{define "greeting"}}) or a body of its own. Every template is
// then executed once against sample data, so a misspelt field fails at
// startup rather than when the first resident writes. Errors name the file.
func LoadTemplates(dir string) (*Templates, error) {
	t := &Templates{
		text:   make(map[string]*texttemplate.Template),
		html:   make(map[string]*htmltemplate.Template),
		source: make(map[string]string),
	}
	overrides, err := listOverrides(dir)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, kind := range allKinds {
		for _, lang := range allLangs {
			if err := t.load(kind, lang, overrides); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("load templates: %w", errors.Join(errs...))
	}
	if err := t.selfTest(); err != nil {
		return nil, fmt.Errorf("load templates: %w", err)
	}
	return t, nil
}

// listOverrides maps known template file names found in dir to their paths.
// A file that looks like one of ours but is not a known name (ack.lt.text,
// digest.de.html) is an error: silently ignoring a typo would leave the
// default wording in place with nobody noticing.
func listOverrides(dir string) (map[string]string, error) {
	out := make(map[string]string)
	if dir == "" {
		return out, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read template dir: %w", err)
	}
	known := make(map[string]bool)
	for _, k := range allKinds {
		for _, l := range allLangs {
			known[k+"."+l+".txt"] = true
			known[k+"."+l+".html"] = true
		}
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			continue
		}
		if known[name] {
			out[name] = filepath.Join(dir, name)
			continue
		}
		for _, k := range allKinds {
			if strings.HasPrefix(name, k+".") {
				errs = append(errs, fmt.Errorf("%s: unknown template name (want %s.<lt|en>.<txt|html>)", filepath.Join(dir, name), k))
			}
		}
	}
	return out, errors.Join(errs...)
}

// load parses the text and HTML template of one kind and language.
func (t *Templates) load(kind, lang string, overrides map[string]string) error {
	key := kind + "." + lang
	fm := funcMap(lang)

	txtName := key + ".txt"
	srcs, err := templateSources(txtName, overrides)
	if err != nil {
		return err
	}
	tt := texttemplate.New(txtName).Funcs(fm)
	for _, src := range srcs {
		if _, err := tt.Parse(src.body); err != nil {
			return fmt.Errorf("parse %s: %w", src.where, err)
		}
		t.source[txtName] = src.where
	}
	if tt.Lookup("subject") == nil {
		return fmt.Errorf("%s: no {{define \"subject\"}}", t.source[txtName])
	}
	t.text[key] = tt

	htmlName := key + ".html"
	srcs, err = templateSources(htmlName, overrides)
	if err != nil {
		return err
	}
	ht := htmltemplate.New(htmlName).Funcs(htmltemplate.FuncMap(fm))
	// The page every HTML mail is written on (its head, body styles and
	// end, and the blocks several kinds show) and its words in lang, then
	// the markup of kind, the same in both languages; none is
	// overridable. <kind>.<lang>.html, parsed last, words the markup: an
	// override may redefine some of its words or write a body of its own.
	var pages []tmplSource
	for _, name := range []string{"page.html", "page." + lang + ".html", kind + ".html"} {
		page, err := templateSources(name, nil)
		if err != nil {
			return err
		}
		pages = append(pages, page...)
	}
	srcs = append(pages, srcs...)
	for _, src := range srcs {
		if _, err := ht.Parse(src.body); err != nil {
			return fmt.Errorf("parse %s: %w", src.where, err)
		}
		t.source[htmlName] = src.where
	}
	t.html[key] = ht
	return nil
}

type tmplSource struct{ where, body string }

// templateSources returns the default body of name and, if present, its override.
func templateSources(name string, overrides map[string]string) ([]tmplSource, error) {
	def, err := fs.ReadFile(defaultFS, "templates/"+name)
	if err != nil {
		return nil, fmt.Errorf("read embedded %s: %w", name, err)
	}
	out := []tmplSource{{where: "embedded " + name, body: string(def)}}
	if p, ok := overrides[name]; ok {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read template: %w", err)
		}
		out = append(out, tmplSource{where: p, body: string(b)})
	}
	return out, nil
}

// rendered is one message's subject and bodies.
type rendered struct {
	subject string
	text    string
}

// renderText executes the subject and the text body of kind in lang.
func (t *Templates) renderText(kind, lang string, data any) (rendered, error) {
	key := kind + "." + lang
	tt := t.text[key]
	if tt == nil {
		return rendered{}, fmt.Errorf("no template %s.txt", key)
	}
	var b bytes.Buffer
	if err := tt.ExecuteTemplate(&b, "subject", data); err != nil {
		return rendered{}, fmt.Errorf("render subject of %s: %w", t.source[key+".txt"], err)
	}
	subject := headerText(b.String())
	b.Reset()
	if err := tt.Execute(&b, data); err != nil {
		return rendered{}, fmt.Errorf("render %s: %w", t.source[key+".txt"], err)
	}
	return rendered{subject: subject, text: tidyText(b.String())}, nil
}

// renderHTML executes the HTML body of kind in lang.
func (t *Templates) renderHTML(kind, lang string, data any) ([]byte, error) {
	key := kind + "." + lang
	ht := t.html[key]
	if ht == nil {
		return nil, fmt.Errorf("no template %s.html", key)
	}
	var b bytes.Buffer
	if err := ht.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", t.source[key+".html"], err)
	}
	return b.Bytes(), nil
}

// tidyText trims trailing spaces and squeezes the blank lines that
// conditional template sections leave behind to at most one.
func tidyText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := lines[:0]
	blank := true // drop leading blank lines
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

// funcMap returns the helpers templates in lang may call. They are bound
// to the language at parse time because each file is in one language.
func funcMap(lang string) texttemplate.FuncMap {
	return texttemplate.FuncMap{
		"lang":     func() string { return lang },
		"date":     func(t time.Time) string { return formatDate(lang, t) },
		"datetime": func(t time.Time) string { return formatDateTime(lang, t) },
		// moment is datetime for instants (received at), not deadlines.
		"moment": func(t time.Time) string { return formatMoment(lang, t) },
		"isodate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006-01-02")
		},
		"isotime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006-01-02 15:04")
		},
		// plural 12 "pasiūlymas" "pasiūlymai" "pasiūlymų" → "12 pasiūlymų"
		"plural": func(n int, one, few, many string) string {
			return numfmt.Int(lang, n) + " " + pluralForm(lang, n, one, few, many)
		},
		// form is plural without the number.
		"form": func(n int, one, few, many string) string { return pluralForm(lang, n, one, few, many) },
		"num":  func(n int) string { return numfmt.Int(lang, n) },
		// code writes a measure code: "other" is Kita (Other), as the
		// form shows it.
		"code": func(c string) string { return measureCode(lang, c) },
		// decision says a stored decision as the results table does:
		// atsižvelgta, iš dalies atsižvelgta, neatsižvelgta.
		"decision": func(d string) string { return results.DecisionWords(lang, d) },
		"truncate": func(n int, s string) string { return excerpt.Text(s, n) },
		"oneline":  func(n int, s string) string { return excerpt.Line(s, n) },
		"quote":    quote,
		"padr":     padRight,
		"join":     func(sep string, list []string) string { return strings.Join(list, sep) },
		"add":      func(a, b int) int { return a + b },
		// weburl makes "www.vvg.lt" a link that leaves the mail client.
		"weburl": func(s string) string {
			if s != "" && !strings.Contains(s, "://") {
				return "https://" + s
			}
			return s
		},
	}
}
