package form

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vvgintake/vvgintake/internal/numfmt"
)

// maxNameRunes bounds the name field; no one's name is longer.
const maxNameRunes = 200

// input is the form's fields after normalising: what is checked, and
// what is shown back to the resident when the form is re-shown.
type entry struct {
	Text, Measure, Name, Email, Sector string
	Consent                            bool
	Honeypot                           string
	raw                                *rawPost
}

// fieldErr is one problem, shown next to its field (ID) and in the
// summary at the top; Field "" is a problem of the whole form.
type fieldErr struct {
	Field, ID, Text string
}

// sectors are the sector codes the form offers, in order.
func sectors() []string { return []string{"resident", "ngo", "business", "public"} }

// inputOf normalises raw: valid UTF-8 in NFC (a Mac may send
// decomposed "š"), LF line ends, no control characters but LF and TAB in
// the text; single-line fields keep their CR/LF so check can refuse them.
func inputOf(raw *rawPost) entry {
	v := raw.fields
	return entry{
		Text:     cleanText(v["text"]),
		Measure:  strings.TrimSpace(v["measure"]),
		Name:     cleanLine(v["name"]),
		Email:    cleanLine(v["email"]),
		Sector:   strings.TrimSpace(v["sector"]),
		Consent:  isChecked(v["consent"]),
		Honeypot: strings.TrimSpace(v["website"]),
		raw:      raw,
	}
}

func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(norm.NFC.String(s))
}

func cleanLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\r' || r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(norm.NFC.String(s))
}

func isChecked(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "on", "1", "true":
		return true
	}
	return false
}

// check applies the field rules. It returns the accepted files (with
// sniffed types) and every problem, in the order of the fields on the page.
func (f *Server) check(c *Consultation, in *entry, t *texts) ([]File, []fieldErr) {
	var errs []fieldErr
	add := func(field, text string) {
		errs = append(errs, fieldErr{Field: field, ID: "f-" + field, Text: text})
	}
	switch n := utf8.RuneCountInString(in.Text); {
	case in.Text == "":
		add("text", t.TextEmpty)
	case n > f.opt.MaxTextRunes || in.raw.long["text"]:
		add("text", fmt.Sprintf(t.TextTooLongF, numfmt.Int(t.Lang, n), numfmt.Int(t.Lang, f.opt.MaxTextRunes)))
	}
	if _, ok := f.measures[c.Strategy][in.Measure]; in.Measure != "" && !ok {
		add("measure", t.MeasureBad)
	}
	switch {
	case strings.ContainsAny(in.Name, "\r\n"):
		add("name", t.NameLines)
	case utf8.RuneCountInString(in.Name) > maxNameRunes || in.raw.long["name"]:
		add("name", fmt.Sprintf(t.NameTooLongF, maxNameRunes))
	}
	switch {
	case strings.ContainsAny(in.Email, "\r\n"):
		add("email", t.EmailLines)
	case in.Email != "" && !emailOK(in.Email):
		add("email", t.EmailBad)
	}
	if in.Sector != "" && !slices.Contains(sectors(), in.Sector) {
		add("sector", t.SectorBad)
	}
	files, fileErrs := f.checkFiles(in.raw, t)
	for _, e := range fileErrs {
		add("files", e)
	}
	// Personal data needs consent (GDPR art. 6(1)(a)); an anonymous
	// suggestion holds none, so it needs none.
	if (in.Name != "" || in.Email != "") && !in.Consent {
		add("consent", t.ConsentNeeded)
	}
	return files, errs
}

// emailOK accepts one bare address (RFC 5322 addr-spec, as net/mail
// reads it): no display name, no comments, no angle brackets, a domain
// with a dot, and within RFC 5321's lengths: a local part of at most 64
// octets (§4.5.3.1.1), a domain of at most 255 (§4.5.3.1.2) in labels of
// at most 63 (RFC 1035 §2.3.4), 254 in all (a path of 256 less its angle
// brackets, §4.5.3.1.3). An address past them cannot be sent to: the
// acknowledgement would fail for good.
func emailOK(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, "\r\n") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	local, dom := s[:at], s[at+1:]
	if at <= 0 || len(local) > 64 || len(dom) > 255 || !strings.Contains(dom, ".") {
		return false
	}
	for label := range strings.SplitSeq(dom, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
	}
	return true
}

// checkFiles checks count, size and sniffed type of the uploads.
func (f *Server) checkFiles(raw *rawPost, t *texts) ([]File, []string) {
	var errs []string
	if raw.fileCount > f.opt.MaxFiles {
		errs = append(errs, fmt.Sprintf(t.FilesTooManyF, f.opt.MaxFiles))
	}
	var files []File
	for _, rf := range raw.files {
		name := cleanFileName(rf.name)
		switch ct := sniff(name, rf.head); {
		case rf.tooBig:
			errs = append(errs, fmt.Sprintf(t.FileTooBigF, name, numfmt.Bytes(f.opt.MaxUploadBytes)))
		case rf.size == 0:
			errs = append(errs, fmt.Sprintf(t.FileEmptyF, name))
		case ct == "" || !f.allowed[ct]:
			errs = append(errs, fmt.Sprintf(t.FileTypeF, name, f.typeList()))
		default:
			files = append(files, File{Filename: name, ContentType: ct, Size: rf.size, SHA256: rf.sha256, path: rf.path})
		}
	}
	return files, errs
}

// typeList names the accepted types by their extensions: "PDF, JPG, PNG".
func (f *Server) typeList() string {
	var names []string
	for _, t := range f.opt.AllowedTypes {
		names = append(names, strings.ToUpper(strings.TrimPrefix(extensionsOf(t)[0], ".")))
	}
	return strings.Join(names, ", ")
}

// acceptAttr is the file input's accept attribute: a hint to the file
// picker, never trusted.
func (f *Server) acceptAttr() string {
	var exts []string
	for _, t := range f.opt.AllowedTypes {
		exts = append(exts, extensionsOf(t)...)
	}
	return strings.Join(exts, ",")
}
