package form

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/vvgintake/vvgintake/internal/numfmt"
)

// page is what every template gets. The page's own part is in one of
// List, C (with Form, or none when the consultation is not open),
// Receipt or Message.
type page struct {
	Lang, OtherLang string
	T               *texts
	Base            string // "", "../": from this page to the handler's root
	LangQuery       string // "?lang=en" when the resident chose a language
	LangSwitch      string
	CSS, JS         string
	Org             orgView
	Title           string
	Errors          []fieldErr

	Intro   string
	List    []listItem
	C       *consultView
	Form    *fieldsView
	Receipt *receiptView
	Message *messagePage
}

// orgView is the VVG as the page header and footer show it.
type orgView struct {
	Name, ShortName, Email, Phone, PhoneHref string
}

// listItem is one open consultation on the start page.
type listItem struct {
	Slug, Title, Deadline string
	Paragraphs            []string
}

// consultView is the consultation on its own page. Closed is the
// notice shown instead of the form.
type consultView struct {
	Slug, Title, Deadline, Closed string
	Paragraphs                    []string
}

// option is a select option or a radio button.
type option struct {
	ID, Value, Label string
	Selected         bool
}

// view is the form itself, with the resident's input when re-shown.
type fieldsView struct {
	Token               string
	Text, Name, Email   string
	Consent             bool
	Measures, Sectors   []option
	Err                 map[string]string
	TextHint, FilesHint string
	// MaxText, CounterLeft and CounterOver drive the live character
	// count (counter.js); {n} in the texts is replaced as the resident
	// types.
	MaxText                  int
	CounterLeft, CounterOver string
	ConsentLabel, Accept     string
	MaxFiles                 int
	FilesAgain               bool
	Privacy                  []string
}

// messagePage is a page that only says something: not found, too large,
// too many, could not save.
type messagePage struct {
	Heading    string
	Paragraphs []string
}

// newPage fills what every page shares.
func (f *Server) newPage(r *http.Request, lang string, explicit bool, title string) *page {
	p := &page{
		Lang:      lang,
		OtherLang: langEN,
		T:         f.text(lang),
		Base:      strings.Repeat("../", max(0, strings.Count(r.URL.Path, "/")-1)),
		CSS:       f.cssPath,
		JS:        f.jsPath,
		Title:     title,
		Org: orgView{
			Name: f.opt.OrgName, ShortName: f.opt.OrgShortName,
			Email: f.opt.ContactEmail, Phone: f.opt.ContactPhone,
			PhoneHref: strings.Map(func(r rune) rune {
				if unicode.IsDigit(r) || r == '+' {
					return r
				}
				return -1
			}, f.opt.ContactPhone),
		},
	}
	if lang == langEN {
		p.OtherLang = langLT
		p.Org.Name, p.Org.ShortName = f.opt.OrgNameEN, f.opt.OrgShortNameEN
	}
	p.LangSwitch = "?lang=" + p.OtherLang
	if explicit {
		p.LangQuery = "?lang=" + lang
	}
	return p
}

// orgShortName is the VVG's short name in lang.
func (f *Server) orgShortName(lang string) string {
	if lang == langEN {
		return f.opt.OrgShortNameEN
	}
	return f.opt.OrgShortName
}

// text returns the strings of lang.
func (f *Server) text(lang string) *texts {
	if lang == langEN {
		return f.textEN
	}
	return f.textLT
}

// measureLabel names a measure as a resident reads it: "1.1 – title",
// and for the measure "other" its title alone ("Kita (ne strategijos
// priemonė)"), not a code in English.
func measureLabel(m Measure, lang string) string {
	title := m.Title
	if lang == langEN && m.TitleEN != "" {
		title = m.TitleEN
	}
	if m.Code == "other" {
		return title
	}
	return m.Code + " – " + title
}

// paragraphs splits text at blank lines, for descriptions and notices.
func paragraphs(s string) []string {
	var out []string
	for p := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// view builds the form for c with in (nil for an empty form) and the
// problems found in it.
func (f *Server) view(lang string, c *Consultation, in *entry, errs []fieldErr, token string) *fieldsView {
	t := f.text(lang)
	v := &fieldsView{
		Token:        token,
		Err:          map[string]string{},
		TextHint:     fmt.Sprintf(t.TextHintF, numfmt.Int(lang, f.opt.MaxTextRunes)),
		MaxText:      f.opt.MaxTextRunes,
		CounterLeft:  strings.ReplaceAll(t.CounterLeftF, "{max}", numfmt.Int(lang, f.opt.MaxTextRunes)),
		CounterOver:  t.CounterOverF,
		FilesHint:    fmt.Sprintf(t.FilesHintF, f.opt.MaxFiles, numfmt.Bytes(f.opt.MaxUploadBytes), f.typeList()),
		ConsentLabel: fmt.Sprintf(t.ConsentLabelF, f.orgShortName(lang)),
		Accept:       f.acceptAttr(),
		MaxFiles:     f.opt.MaxFiles,
		Privacy:      paragraphs(f.opt.PrivacyNotice),
	}
	if lang == langEN && f.opt.PrivacyNoticeEN != "" {
		v.Privacy = paragraphs(f.opt.PrivacyNoticeEN)
	}
	if in == nil {
		in = &entry{raw: &rawPost{}}
	}
	v.Text, v.Name, v.Email, v.Consent = in.Text, in.Name, in.Email, in.Consent
	v.FilesAgain = in.raw.fileCount > 0
	for _, m := range f.measuresOf(c) {
		v.Measures = append(v.Measures, option{Value: m.Code, Label: measureLabel(m, lang), Selected: m.Code == in.Measure})
	}
	labels := map[string]string{"": t.SectorNone, "resident": t.SectorResident, "ngo": t.SectorNGO,
		"business": t.SectorBusiness, "public": t.SectorPublic}
	for _, s := range append([]string{""}, sectors()...) {
		id := "f-sector"
		if s != "" {
			id += "-" + s
		}
		v.Sectors = append(v.Sectors, option{ID: id, Value: s, Label: labels[s], Selected: s == in.Sector})
	}
	for _, e := range errs {
		if e.Field == "" {
			continue
		}
		if prev := v.Err[e.Field]; prev != "" {
			v.Err[e.Field] = prev + " " + e.Text
		} else {
			v.Err[e.Field] = e.Text
		}
	}
	return v
}
